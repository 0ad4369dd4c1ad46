// The published scoring method (SPEC §5) in JavaScript, driven by the questionnaire data
// that `toolkit build` embeds in each questionnaire page. It mirrors Rust's
// `scoring::score_response` step by step, in the same order of floating-point operations,
// so every figure is equal; the tests score hundreds of generated answer sets with both
// and compare every figure. No DOM here: the page script and the tests both call it.
//
// An answer is null (blank), {choices: [option indices]} or {text: "..."}.
//
// Method 2 (SPEC §5 step 7) as Rust has it: questions apply by role, stage and relevance
// (applicableMask); a screening question left blank or answered "unsure" raises its "yes"
// flags and is listed in `unknowns`; [[rules]] whose condition holds raise their flags; a
// flag is listed once per id, and every raising clamps the level (questions' flags in
// question order, then rules in definition order); a raised rule whose flag a screening
// question answered "no" carries is a contradiction; risk questionnaires get a verdict.
(function (root) {
  "use strict";

  var INCOMPLETE = "incomplete";
  // The option values method 2 reads on screening questions: left blank or answered
  // "unsure", a screening question raises the flags of its "yes"; a rule contradicts "no".
  var UNSURE = "unsure";
  var YES = "yes";
  var NO = "no";


  function appliesTo(question, role, stage) {
    function fits(list, wanted) {
      return !wanted || list.length === 0 || list.indexOf(wanted) >= 0;
    }
    return fits(question.roles, role) && fits(question.stages, stage);
  }

  function maxOptionScore(question) {
    var best = 0;
    question.options.forEach(function (o) {
      if (!o.not_applicable) best = Math.max(best, o.score);
    });
    return best;
  }

  function maxMultipleScore(question) {
    var sum = 0;
    question.options.forEach(function (o) {
      if (!o.not_applicable) sum += o.score;
    });
    return question.max == null ? sum : Math.min(sum, question.max);
  }

  function weightedMean(pairs) {
    var sum = 0;
    var weights = 0;
    pairs.forEach(function (p) {
      sum = sum + p[0] * p[1];
      weights = weights + p[1];
    });
    return weights > 0 ? sum / weights : null;
  }

  function levelFor(q, score) {
    for (var i = 0; i < q.levels.length; i++) {
      if (q.levels[i].up_to >= score) return i;
    }
    return Math.max(q.levels.length - 1, 0);
  }

  function isBlank(answer) {
    if (answer == null) return true;
    if (answer.text != null) return answer.text.trim() === "";
    return !answer.choices || answer.choices.length === 0;
  }

  // Scores one question the respondent can see; returns {achieved, max, answered, not_applicable}.
  function scoreQuestion(q, question, answer) {
    var chosen = answer && answer.choices && answer.choices.length ? answer.choices : [];
    var notApplicable = chosen.some(function (c) {
      return question.options[c].not_applicable;
    });
    var max = question.kind === "multiple" ? maxMultipleScore(question) : maxOptionScore(question);
    if (chosen.length === 0) {
      var risky = q.dimensions[question.dimension].role === "risk";
      return { achieved: risky ? max : 0, max: max, answered: false, not_applicable: false };
    }
    if (notApplicable) {
      return { achieved: 0, max: 0, answered: true, not_applicable: true };
    }
    var sum = 0;
    chosen.forEach(function (c) {
      sum += question.options[c].score;
    });
    var achieved = question.kind === "multiple" && question.max != null ? Math.min(sum, question.max) : sum;
    return { achieved: achieved, max: max, answered: true, not_applicable: false };
  }

  // Score, risk and mitigation from the dimension percents.
  function overall(q, dimensions) {
    function scored(role) {
      var pairs = [];
      q.dimensions.forEach(function (d, i) {
        if (d.role === role && dimensions[i].percent != null) pairs.push([dimensions[i].percent, d.weight]);
      });
      return pairs;
    }
    if (q.kind !== "risk") {
      return { risk: null, mitigation: null, score: weightedMean(scored("plain")) };
    }
    var risk = weightedMean(scored("risk"));
    var mitigation = weightedMean(scored("mitigation"));
    if (mitigation == null) mitigation = 0;
    var score = risk;
    if (risk != null && q.mitigation && mitigation >= q.mitigation.threshold) {
      score = risk * (1 - q.mitigation.reduction / 100);
    }
    return { risk: risk, mitigation: mitigation, score: score };
  }

  // The chosen option indices of an answer; empty for a blank or text answer.
  function chosenOptions(answer) {
    return answer && answer.choices && answer.choices.length ? answer.choices : [];
  }

  // Which questions apply to a response (SPEC §5 steps 1 and 7): role and stage fit, and
  // each item of the question's `relevant` condition holds: its question applies and is
  // unanswered (an unknown is not safe), or applies and its answer includes one of the
  // item's options; never when its question does not apply. Memoised; `depth` guards
  // against a cycle (which `toolkit check` refuses), as Questionnaire::applicable_mask.
  function applicableMask(q, role, stage, answers) {
    var n = q.questions.length;
    var mask = [];
    for (var k = 0; k < n; k++) mask.push(null);
    function applies(i, depth) {
      if (mask[i] != null) return mask[i];
      var question = q.questions[i];
      var result = appliesTo(question, role, stage);
      if (result && depth <= n) {
        var relevant = question.relevant || [];
        for (var r = 0; r < relevant.length; r++) {
          var item = relevant[r];
          var holds = applies(item.question, depth + 1);
          if (holds) {
            var chosen = chosenOptions(answers[item.question]);
            holds = chosen.length === 0 || chosen.some(function (c) {
              return item.options.indexOf(c) >= 0;
            });
          }
          if (!holds) {
            result = false;
            break;
          }
        }
      }
      mask[i] = result;
      return result;
    }
    for (var i = 0; i < n; i++) applies(i, 0);
    return mask.map(function (m) {
      return m === true;
    });
  }

  // Whether every item of a condition holds on the answers: an applicable question
  // answered with one of the item's options (a blank answer holds no item).
  function conditionHolds(conditions, answers, mask) {
    return conditions.every(function (item) {
      return (
        mask[item.question] === true &&
        chosenOptions(answers[item.question]).some(function (c) {
          return item.options.indexOf(c) >= 0;
        })
      );
    });
  }

  // The index of the option of a question whose value is `value`, or -1.
  function optionNamed(question, value) {
    for (var i = 0; i < question.options.length; i++) {
      if (question.options[i].value === value) return i;
    }
    return -1;
  }

  // Scores one response: input = {role, stage, answers: [answer per question]}.
  function scoreResponse(q, input) {
    var role = input.role || null;
    var stage = input.stage || null;
    var answers = input.answers;
    var mask = applicableMask(q, role, stage, answers);
    var questions = [];
    var dimensions = q.dimensions.map(function () {
      return { achieved: 0, max: 0, percent: null };
    });
    var flags = [];
    var clamps = [];
    var unanswered = [];
    var unknowns = [];
    var answered = 0;
    var applicable = 0;

    // A flag is listed once per id (a later raising can only add `stop`, and a raising by
    // an answer or a rule means it no longer rests on an unknown alone); every raising's
    // level bounds clamp the level.
    function raise(flag, clamp) {
      var raised = null;
      for (var f = 0; f < flags.length; f++) {
        if (flags[f].id === flag.id) {
          raised = flags[f];
          break;
        }
      }
      if (raised) {
        raised.stop = raised.stop || flag.stop;
        raised.unknown = raised.unknown && flag.unknown;
      } else flags.push(flag);
      clamps.push(clamp);
    }

    function raiseFlags(question, i, chosen, unknown) {
      question.flags.forEach(function (flag) {
        var hit = chosen.some(function (c) {
          return flag.when.indexOf(c) >= 0;
        });
        if (hit) {
          raise(
            { id: flag.id, message: flag.message, question: i, rule: null, unknown: unknown, stop: !!flag.stop },
            [flag.min_level, flag.max_level]
          );
        }
      });
    }

    q.questions.forEach(function (question, i) {
      if (!mask[i]) {
        questions.push(null);
        return;
      }
      var answer = answers[i];
      if (isBlank(answer)) unanswered.push(i);
      if (question.kind === "text") {
        questions.push(null);
        return;
      }
      applicable += 1;
      var score = scoreQuestion(q, question, answer);
      if (score.answered) answered += 1;
      var dim = dimensions[question.dimension];
      dim.achieved += score.achieved;
      dim.max += score.max;
      var chosen = chosenOptions(answer);
      var unknown =
        !!question.screening &&
        (chosen.length === 0 ||
          chosen.some(function (c) {
            return question.options[c].value === UNSURE;
          }));
      if (unknown) {
        unknowns.push(i);
        var yes = optionNamed(question, YES);
        raiseFlags(question, i, yes >= 0 ? [yes] : [], true);
      } else {
        raiseFlags(question, i, chosen, false);
      }
      questions.push(score);
    });

    // Rules, in definition order, after the questions' flags; a raised rule contradicts a
    // screening question answered "no" that carries a flag of the same id.
    var contradictions = [];
    (q.rules || []).forEach(function (rule, r) {
      if (!conditionHolds(rule.conditions, answers, mask)) return;
      raise(
        { id: rule.id, message: rule.message, question: null, rule: r, unknown: false, stop: !!rule.stop },
        [rule.min_level, rule.max_level]
      );
      q.questions.forEach(function (question, i) {
        var saidNo =
          mask[i] &&
          !!question.screening &&
          question.flags.some(function (f) {
            return f.id === rule.id;
          }) &&
          chosenOptions(answers[i]).some(function (c) {
            return question.options[c].value === NO;
          });
        if (saidNo) contradictions.push({ rule: r, question: i });
      });
    });

    dimensions.forEach(function (dim) {
      dim.percent = dim.max > 0 ? (100 * dim.achieved) / dim.max : null;
    });
    var result = overall(q, dimensions);
    var levelBeforeFlags = result.score == null ? null : levelFor(q, result.score);
    var level = levelBeforeFlags;
    if (level != null) {
      clamps.forEach(function (c) {
        if (c[0] != null) level = Math.max(level, c[0]);
        if (c[1] != null) level = Math.min(level, c[1]);
      });
    }
    var incomplete = unanswered.some(function (i) {
      return q.questions[i].required;
    });
    if (incomplete) {
      flags.push({
        id: INCOMPLETE,
        message: "At least one required question was left unanswered; missing answers never improve a result.",
        question: null,
        rule: null,
        unknown: false,
        stop: false,
      });
    }
    return {
      questions: questions,
      dimensions: dimensions,
      risk: result.risk,
      mitigation: result.mitigation,
      score: result.score,
      level: level,
      level_before_flags: levelBeforeFlags,
      flags: flags,
      completion: applicable === 0 ? 100 : (100 * answered) / applicable,
      answered: answered,
      applicable: applicable,
      unanswered: unanswered,
      unknowns: unknowns,
      contradictions: contradictions,
      verdict: q.kind === "risk" ? verdict(level, flags) : null,
      applicable_questions: mask,
    };
  }

  // The verdict of a risk assessment (SPEC §5 step 8) from its level and raised flags.
  function verdict(level, flags) {
    if (flags.some(function (f) { return f.stop; })) return "do-not-proceed";
    var raised = flags.some(function (f) {
      return f.id !== INCOMPLETE;
    });
    if ((level != null && level > 0) || raised) return "proceed-with-conditions";
    return "proceed";
  }

  // A percent with one decimal, exactly as Rust's `format!("{:.1}")` writes it: the exact
  // binary value rounded, exact ties to even (JavaScript's toFixed rounds ties up).
  function formatPercent(value) {
    var negative = value < 0;
    var digits = Math.abs(value).toFixed(30);
    var point = digits.indexOf(".");
    var whole = digits.slice(0, point);
    var tenth = digits.charCodeAt(point + 1) - 48;
    var rest = digits.slice(point + 2);
    var half = "5" + "0".repeat(rest.length - 1);
    var up = rest > half || (rest === half && tenth % 2 === 1);
    if (up) {
      tenth += 1;
      if (tenth === 10) {
        tenth = 0;
        whole = (BigInt(whole) + 1n).toString();
      }
    }
    var text = whole + "." + tenth;
    return negative && text !== "0.0" ? "-" + text : text;
  }

  // The live-result figures of SPEC §9: data-result name -> data-value, as summary.csv
  // writes them (flags sorted, separated by spaces, each once); the verdict id (empty but
  // for risk questionnaires) and the unknown screening questions' ids, in question order.
  function resultValues(q, result) {
    function optional(v) {
      return v == null ? "" : formatPercent(v);
    }
    var flags = [];
    result.flags.forEach(function (f) {
      if (flags.indexOf(f.id) < 0) flags.push(f.id);
    });
    flags.sort();
    var values = {
      score: optional(result.score),
      level: result.level == null ? "" : q.levels[result.level].id,
      flags: flags.join(" "),
      completion: formatPercent(result.completion),
      verdict: result.verdict || "",
      unknowns: (result.unknowns || [])
        .map(function (i) {
          return q.questions[i].id;
        })
        .join(" "),
    };
    if (q.kind === "risk") {
      values.risk = optional(result.risk);
      values.mitigation = optional(result.mitigation);
    }
    q.dimensions.forEach(function (d, i) {
      values["dim:" + d.id] = optional(result.dimensions[i].percent);
    });
    return values;
  }

  // The consistency checks an answer set fails (in definition order): every condition
  // holds, that is each named question's answer includes one of the named options; a blank
  // never holds. Warnings change no score, level or flag (as consistency_warnings in Rust).
  function consistencyWarnings(q, answers) {
    return (q.checks || []).filter(function (check) {
      return check.conditions.every(function (condition) {
        var answer = answers[condition.question];
        return !!(answer && answer.choices && answer.choices.some(function (i) {
          return condition.options.indexOf(i) >= 0;
        }));
      });
    });
  }

  var api = {
    consistencyWarnings: consistencyWarnings,
    appliesTo: appliesTo,
    applicableMask: applicableMask,
    conditionHolds: conditionHolds,
    scoreResponse: scoreResponse,
    formatPercent: formatPercent,
    resultValues: resultValues,
    INCOMPLETE: INCOMPLETE,
  };
  root.toolkitScoring = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
