// The questionnaire page: shows and hides questions as role, stage and earlier answers
// make them apply or not (the rule of the scorer: roles, stages and `relevant`), keeps
// "not applicable" exclusive, scores the answers live with toolkitScoring
// (assets/scoring.js) and shows the verdict and the legal questions still unknown,
// keeps them in local storage,
// and downloads or loads them as the wide CSV that `toolkit score` reads (SPEC §6), with
// text a spreadsheet would run as a formula neutralised. A load lists every value of the
// file that the page did not take, and why; a file written for another version of the
// questionnaire brings the answers whose question ids still exist, and the load lists the
// questions that are new in this version. Answers are kept under a key naming the
// toolkit, its edition, the questionnaire and its version; a notice (shown until
// dismissed) says so, for shared computers, and clears them on request.
// Nothing is sent anywhere. `window.toolkit` exposes answersCsv() and the live values.
(function () {
  "use strict";

  var form = document.querySelector("form[data-questionnaire]");
  var dataElement = document.getElementById("questionnaire-data");
  if (!form || !dataElement || !window.toolkitScoring) return;
  var scoring = window.toolkitScoring;
  var q = JSON.parse(dataElement.textContent);
  // The respondent fields the page has, in the order of the CSV's columns.
  var FIELDS = (q.fields || ["response_id", "respondent", "group", "role", "stage"]).filter(function (name) {
    return !!form.elements[name];
  });
  var csv = window.toolkitCsv;
  // Answers of one questionnaire version of one edition of one toolkit: two toolkits (or
  // editions) opened from the same place never read each other's answers.
  var storageKey = ["toolkit", "answers", q.toolkit, q.edition, q.id, q.version].join(":");
  // The key of earlier pages (questionnaire id and version only), migrated once.
  var oldStorageKey = "toolkit:answers:" + q.id + ":" + q.version;
  var NOTICE_KEY = "toolkit:notice:shared-computer";
  var status = form.querySelector("[data-status]");
  var loadReport = form.querySelector("[data-load-report]");
  var lastValues = {};

  // A fixed word of the page in its language: the form's data-word-<name> attribute
  // (from templates/words.toml), the English fallback when it has none; {name}
  // placeholders are filled from `values`.
  function word(name, fallback, values) {
    var text = form.getAttribute("data-word-" + name);
    if (text == null) text = fallback;
    // In one pass, so a value that holds braces is never taken for a placeholder.
    return text.replace(/\{([A-Za-z0-9_-]+)\}/g, function (whole, key) {
      return values && Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  function storageGet() {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey) || "null");
    } catch (e) {
      return null;
    }
  }

  // Keeps the answers; a form with nothing in it keeps nothing.
  function storageSet(value) {
    try {
      if (value == null || isBlank(value)) window.localStorage.removeItem(storageKey);
      else window.localStorage.setItem(storageKey, JSON.stringify(value));
    } catch (e) {
      say(word("storage-unavailable", "Your browser does not let this page keep answers; download them before you close it."));
    }
  }

  // Answers kept under the key of earlier pages move to this page's key, once.
  function migrateOldAnswers() {
    try {
      var old = window.localStorage.getItem(oldStorageKey);
      if (old == null) return;
      if (window.localStorage.getItem(storageKey) == null) window.localStorage.setItem(storageKey, old);
      window.localStorage.removeItem(oldStorageKey);
    } catch (e) {
      /* nothing kept, nothing to move */
    }
  }

  function isBlank(state) {
    var fields = state.fields || {};
    var answers = state.answers || {};
    return (
      Object.keys(fields).every(function (name) {
        return !fields[name];
      }) &&
      Object.keys(answers).every(function (id) {
        var answer = answers[id];
        return Array.isArray(answer) ? answer.length === 0 : !answer;
      })
    );
  }

  function say(message) {
    if (status) status.textContent = message;
  }

  function controls(name) {
    return Array.prototype.slice.call(form.elements).filter(function (el) {
      return el.name === name;
    });
  }

  function questionElement(id) {
    return Array.prototype.find.call(form.querySelectorAll("[data-question]"), function (el) {
      return el.getAttribute("data-question") === id;
    });
  }

  // The form's current state: respondent fields and raw answers by question id.
  function readState() {
    var state = { fields: {}, answers: {} };
    FIELDS.forEach(function (name) {
      state.fields[name] = form.elements[name].value;
    });
    q.questions.forEach(function (question) {
      var els = controls(question.id);
      if (question.kind === "text") {
        state.answers[question.id] = els.length ? els[0].value : "";
      } else {
        state.answers[question.id] = els
          .filter(function (el) {
            return el.checked;
          })
          .map(function (el) {
            return el.value;
          });
      }
    });
    return state;
  }

  function writeState(state) {
    FIELDS.forEach(function (name) {
      form.elements[name].value = (state.fields && state.fields[name]) || "";
    });
    q.questions.forEach(function (question) {
      var answer = state.answers ? state.answers[question.id] : null;
      controls(question.id).forEach(function (el) {
        if (question.kind === "text") el.value = answer || "";
        else el.checked = Array.isArray(answer) && answer.indexOf(el.value) >= 0;
      });
    });
  }

  // Answers as the scorer takes them: option indices or text, by question index.
  function scoringAnswers(state) {
    return q.questions.map(function (question) {
      var raw = state.answers[question.id];
      if (question.kind === "text") return raw && raw.trim() ? { text: raw } : null;
      var choices = (raw || [])
        .map(function (value) {
          return question.options.findIndex(function (o) {
            return o.value === value;
          });
        })
        .filter(function (i) {
          return i >= 0;
        });
      return choices.length ? { choices: choices } : null;
    });
  }

  // Which questions apply to a state: role, stage and relevance on its answers.
  function applicableMask(state) {
    return scoring.applicableMask(q, state.fields.role || null, state.fields.stage || null, scoringAnswers(state));
  }

  function showResult(name, value, text) {
    var el = form.ownerDocument.querySelector('[data-result="' + name + '"]');
    if (!el) return;
    el.setAttribute("data-value", value);
    if (text != null) el.textContent = text;
  }

  function percentText(value) {
    return value === "" ? word("not-scored", "not scored") : value + " %";
  }

  // Failed consistency checks, listed with their messages, and the screening answers of
  // "no" that the facts contradict (a rule raised the same flag); they change no score.
  function showWarnings(warnings, contradictions) {
    var el = document.querySelector('[data-result="warnings"]');
    if (!el) return;
    // The ids summary.csv lists: the checks', then `<flag id>-contradicts-<question id>`.
    var ids = warnings.map(function (w) { return w.id; }).concat(
      contradictions.map(function (c) {
        return q.rules[c.rule].id + "-contradicts-" + q.questions[c.question].id;
      })
    );
    el.setAttribute("data-value", ids.sort().join(" "));
    el.textContent = "";
    if (!warnings.length && !contradictions.length) {
      var none = document.createElement("p");
      none.textContent = word("none", "None.");
      el.appendChild(none);
      return;
    }
    var list = document.createElement("ul");
    warnings.forEach(function (warning) {
      var item = document.createElement("li");
      var id = document.createElement("strong");
      id.textContent = warning.id;
      item.appendChild(id);
      item.appendChild(document.createTextNode(": " + warning.message));
      list.appendChild(item);
    });
    contradictions.forEach(function (c) {
      var rule = q.rules[c.rule];
      var question = q.questions[c.question];
      var item = document.createElement("li");
      item.setAttribute("data-contradiction", rule.id + " " + question.id);
      var id = document.createElement("strong");
      id.textContent = question.id;
      item.appendChild(id);
      item.appendChild(
        document.createTextNode(
          ": " +
            word(
              "contradiction",
              "you answered \u201cno\u201d, but your other answers raise the flag {flag} ({message}). Read the question again; the flag stays raised.",
              { flag: rule.id, message: rule.message }
            )
        )
      );
      list.appendChild(item);
    });
    el.appendChild(list);
  }

  // The verdict of a risk questionnaire, in plain words.
  function showVerdict(values) {
    var el = document.querySelector('[data-result="verdict"]');
    if (!el) return;
    el.setAttribute("data-value", values.verdict);
    if (el.hidden) return;
    var verdict = (q.verdicts || []).find(function (v) {
      return v.id === values.verdict;
    });
    el.textContent = "";
    var p = document.createElement("p");
    var label = document.createElement("span");
    label.className = "verdict-label";
    label.textContent = word("verdict-label", "Verdict:") + " " + (verdict ? verdict.label : word("not-given", "not given")) + ".";
    p.appendChild(label);
    if (verdict) p.appendChild(document.createTextNode(" " + verdict.explanation));
    el.appendChild(p);
  }

  // The legal screening questions left blank or answered "not sure": each counts as
  // "yes" until it is answered.
  function showUnknowns(result, values) {
    var el = document.querySelector('[data-result="unknowns"]');
    if (!el) return;
    el.setAttribute("data-value", values.unknowns);
    if (el.hidden) return;
    el.textContent = "";
    if (!result.unknowns.length) {
      var none = document.createElement("p");
      none.textContent = word("no-unknowns", "None: every legal screening question that applies has an answer.");
      el.appendChild(none);
      return;
    }
    var intro = document.createElement("p");
    intro.textContent =
      result.unknowns.length === 1
        ? word("unknowns-one", "This legal screening question is left blank or answered \u201cnot sure\u201d, so it counts as \u201cyes\u201d and raises its flags until you find out:")
        : word("unknowns-many", "These legal screening questions are left blank or answered \u201cnot sure\u201d, so each counts as \u201cyes\u201d and raises its flags until you find out:");
    el.appendChild(intro);
    var list = document.createElement("ul");
    result.unknowns.forEach(function (i) {
      var question = q.questions[i];
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#q-" + question.id;
      link.textContent = question.id;
      item.appendChild(link);
      item.appendChild(document.createTextNode(" " + question.text));
      list.appendChild(item);
    });
    el.appendChild(list);
  }

  function showFlags(result, values) {
    var el = document.querySelector('[data-result="flags"]');
    el.setAttribute("data-value", values.flags);
    el.textContent = "";
    var seen = {};
    var list = document.createElement("ul");
    result.flags.forEach(function (flag) {
      if (seen[flag.id]) return;
      seen[flag.id] = true;
      var item = document.createElement("li");
      var id = document.createElement("strong");
      id.textContent = flag.id;
      item.appendChild(id);
      if (flag.stop) item.setAttribute("data-stop", "");
      var why = "";
      if (flag.unknown && flag.question != null) why = " " + word("flag-unknown", "Raised because {question} is not answered yet (it counts as \u201cyes\u201d).", { question: q.questions[flag.question].id });
      else if (flag.rule != null) why = " " + word("flag-facts", "Raised by the facts you gave.");
      // The scorer's own flag (a required question unanswered) speaks the page's language.
      var message = flag.rule == null && flag.question == null && flag.id === "incomplete" ? word("incomplete", flag.message) : flag.message;
      item.appendChild(document.createTextNode(": " + message + why + (flag.stop ? " " + word("flag-stops", "This flag stops the use.") : "")));
      list.appendChild(item);
    });
    if (list.children.length) el.appendChild(list);
    else {
      var none = document.createElement("p");
      none.textContent = word("none-raised", "None raised.");
      el.appendChild(none);
    }
  }

  function showResults(result, values) {
    showResult("score", values.score, percentText(values.score));
    var level = result.level == null ? null : q.levels[result.level];
    showResult("level", values.level, level ? level.label : word("not-scored", "not scored"));
    showResult("completion", values.completion, values.completion + " %");
    if (q.kind === "risk") {
      showResult("risk", values.risk, percentText(values.risk));
      showResult("mitigation", values.mitigation, percentText(values.mitigation));
    }
    q.dimensions.forEach(function (d, i) {
      var value = values["dim:" + d.id];
      showResult("dim:" + d.id, value, percentText(value));
      var bar = document.querySelector('[data-bar="' + d.id + '"]');
      var percent = result.dimensions[i].percent;
      if (bar) bar.style.width = (percent == null ? 0 : Math.max(0, Math.min(100, percent))) + "%";
    });
    showFlags(result, values);
    showVerdict(values);
    showUnknowns(result, values);
    var answered = document.querySelector("[data-answered]");
    var applicable = document.querySelector("[data-applicable]");
    if (answered) answered.textContent = String(result.answered);
    if (applicable) applicable.textContent = String(result.applicable);
  }

  // Shows and hides questions, scores, shows the result and saves; on every change.
  function update() {
    var state = readState();
    var answers = scoringAnswers(state);
    var result = scoring.scoreResponse(q, {
      role: state.fields.role || null,
      stage: state.fields.stage || null,
      answers: answers,
    });
    q.questions.forEach(function (question, i) {
      var el = questionElement(question.id);
      if (el) el.hidden = !result.applicable_questions[i];
    });
    lastValues = scoring.resultValues(q, result);
    showResults(result, lastValues);
    showWarnings(scoring.consistencyWarnings(q, answers), result.contradictions);
    storageSet(state);
  }

  // A "not applicable" box clears the others, and any other box clears it.
  function keepNotApplicableExclusive(target) {
    if (target.type !== "checkbox") return;
    var question = q.questions.find(function (x) {
      return x.id === target.name;
    });
    if (!question || !target.checked) return;
    var na = target.hasAttribute("data-not-applicable");
    controls(target.name).forEach(function (el) {
      if (el !== target && el.hasAttribute("data-not-applicable") !== na) el.checked = false;
      if (el !== target && na) el.checked = false;
    });
  }

  // A cell of the CSV: quoted when it holds a delimiter, a quote, a line break or
  // surrounding spaces.
  function csvField(value) {
    var text = value == null ? "" : String(value);
    if (/[",;\r\n]/.test(text) || text !== text.trim()) return '"' + text.replace(/"/g, '""') + '"';
    return text;
  }

  // The wide CSV of SPEC §6, UTF-8 with a byte order mark, one row for this response.
  // Typed text (the response id, names, free-text answers) that a spreadsheet would run
  // as a formula gets a leading apostrophe, as in summary.csv; a load takes it off.
  function answersCsv() {
    var state = readState();
    var mask = applicableMask(state);
    // The page's language goes with the answers: the scorer types the report in it.
    var header = ["questionnaire", "version"].concat(FIELDS, ["language"]);
    var row = [q.id, q.version].concat(
      FIELDS.map(function (name) {
        var value = state.fields[name] || "";
        return name === "role" || name === "stage" ? value : csv.neutralise(value);
      }),
      [q.language || ""]
    );
    q.questions.forEach(function (question, i) {
      header.push(question.id);
      var raw = state.answers[question.id];
      if (!mask[i]) row.push("");
      else if (question.kind === "text") row.push(csv.neutralise(raw || ""));
      else row.push((raw || []).join(";"));
    });
    return "\uFEFF" + header.map(csvField).join(",") + "\r\n" + row.map(csvField).join(",") + "\r\n";
  }

  function fileName() {
    var id = form.elements.response_id.value.trim() || "response";
    return (q.id + "-" + id).replace(/[^A-Za-z0-9._-]/g, "_") + ".csv";
  }

  function download() {
    // A response needs an id to name its file: make one when the respondent gave none.
    if (!form.elements.response_id.value.trim()) {
      form.elements.response_id.value = newResponseId();
      update();
    }
    var blob = new Blob([answersCsv()], { type: "text/csv;charset=utf-8" });
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = fileName();
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () {
      URL.revokeObjectURL(url);
    }, 1000);
    say(word("downloaded", "Downloaded {file}. Hand it to whoever scores the workshop, or run: toolkit score {file}", { file: fileName() }));
  }

  function newResponseId() {
    var bytes = new Uint8Array(4);
    window.crypto.getRandomValues(bytes);
    return "web-" + Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function reset() {
    if (!window.confirm(word("confirm-reset", "Clear every answer on this page and start again?"))) return;
    clearAnswers();
    say(word("cleared", "Every answer was cleared."));
  }

  // Empties the form and removes its answers from local storage (under either key).
  function clearAnswers() {
    writeState({ fields: {}, answers: {} });
    update();
    storageSet(null);
    try {
      window.localStorage.removeItem(oldStorageKey);
    } catch (e) {
      /* nothing was kept */
    }
    showLoadReport(null);
  }

  window.toolkit = {
    questionnaire: q,
    storageKey: storageKey,
    answersCsv: answersCsv,
    values: function () {
      return Object.assign({}, lastValues);
    },
    state: readState,
    // Loads a CSV given as text, or as the bytes of a file (any encoding the scorer reads).
    load: function (content, name) {
      var file = name || word("the-file", "the file");
      if (typeof content === "string") loadText(content, file);
      else loadBytes(new Uint8Array(content), file);
    },
  };

  function loadBytes(bytes, name) {
    var decoded = csv.decode(bytes, word);
    if (decoded.error) refuse(name, decoded.error);
    else loadText(decoded.text, name);
  }

  // Loads the response of a CSV, or refuses the whole file (the page keeps its answers),
  // then lists every value of the file the page did not take.
  function loadText(text, name) {
    var outcome = csv.stateFromCsv(q, text, word);
    if (outcome.error) {
      refuse(name, outcome.error);
      return;
    }
    writeState(outcome.state);
    update();
    say("");
    showLoadReport(name, outcome, hiddenAnswers(readState()));
  }

  function refuse(name, message) {
    say("");
    showLoadReport(name, { error: message });
  }

  // Loaded answers to questions that do not apply to the loaded role, stage and answers:
  // kept, hidden, and left out of a download.
  function hiddenAnswers(state) {
    var mask = applicableMask(state);
    return q.questions
      .filter(function (question, i) {
        var answer = state.answers[question.id];
        var given = Array.isArray(answer) ? answer.length > 0 : !!answer;
        return given && !mask[i];
      })
      .map(function (question) {
        return question.id;
      });
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text != null) el.textContent = text;
    return el;
  }

  // A value as the list shows it: long ones cut after 80 characters.
  function shownValue(value) {
    var chars = Array.from(value);
    return chars.length <= 80 ? value : chars.slice(0, 80).join("") + "\u2026";
  }

  // What a load did: the file refused, with why; or loaded, with every value not loaded
  // (column, question, value, why). `outcome` null empties the report.
  function showLoadReport(name, outcome, hidden) {
    if (!loadReport) return;
    loadReport.textContent = "";
    loadReport.removeAttribute("data-outcome");
    if (!outcome) return;
    if (outcome.error) {
      loadReport.setAttribute("data-outcome", "refused");
      loadReport.appendChild(element("p", "load-title", word("load-refused", "Nothing was loaded from {file}.", { file: name })));
      loadReport.appendChild(element("p", null, word("load-unchanged", "{error} The answers on this page did not change.", { error: outcome.error })));
      return;
    }
    var problems = outcome.problems;
    var id = outcome.state.fields.response_id;
    var who = id ? word("loaded-response", "response {id}", { id: id }) : word("loaded-the-response", "the response");
    var count = !problems.length
      ? word("loaded-all", "Every value in the file was loaded.")
      : problems.length === 1
        ? word("loaded-problems-one", "1 value in the file was not loaded:")
        : word("loaded-problems-many", "{count} values in the file were not loaded:", { count: problems.length });
    loadReport.setAttribute("data-outcome", problems.length ? "partly-loaded" : "loaded");
    loadReport.appendChild(
      element(
        "p",
        "load-title",
        word("loaded", "Loaded {response} from {file} (row {row}).", { response: who, file: name, row: outcome.row }) + " " + count
      )
    );
    if (problems.length) {
      var list = element("ul", "load-problems");
      problems.forEach(function (problem) {
        var item = element("li");
        item.setAttribute("data-column", problem.column);
        item.setAttribute("data-value", problem.value);
        item.setAttribute("data-reason", problem.reason);
        item.appendChild(element("span", "qid", problem.column));
        if (problem.title) item.appendChild(document.createTextNode(" " + problem.title));
        var detail = element("span", "load-why");
        detail.appendChild(element("q", "load-value", shownValue(problem.value)));
        detail.appendChild(document.createTextNode(" " + word("value-not-loaded", "was not loaded: {why}", { why: problem.why })));
        item.appendChild(detail);
        list.appendChild(item);
      });
      loadReport.appendChild(list);
      loadReport.appendChild(
        element(
          "p",
          null,
          word(
            "load-fix",
            "The page holds only what was loaded, and a download writes only that. Fix these values in the file and load it again, or answer those questions here."
          )
        )
      );
    }
    if (outcome.newQuestions && outcome.newQuestions.length) showNewQuestions(outcome);
    if (hidden && hidden.length) {
      loadReport.appendChild(
        element(
          "p",
          null,
          word(
            "load-hidden",
            "Loaded but hidden: the answers to {questions} are to questions that do not apply to the role, stage or other answers in the file. " +
              "They stay on the page but are left out of a download unless a change makes those questions apply.",
            { questions: hidden.join(", ") }
          )
        )
      );
    }
  }

  // The questions of this version that the file (written for another version) does not
  // have: listed as new questions to answer, each linked to its question, with a note on
  // those that do not apply to the loaded answers.
  function showNewQuestions(outcome) {
    var mask = applicableMask(readState());
    var ids = outcome.newQuestions;
    var section = element("div", "load-new-questions");
    section.setAttribute("data-new-questions", ids.join(" "));
    section.appendChild(
      element(
        "p",
        "load-title",
        ids.length === 1
          ? word(
              "new-questions-one",
              "New questions to answer: the file was written for version {version} of this questionnaire, and version {current} has 1 question that the file does not:",
              { version: outcome.version, current: q.version }
            )
          : word(
              "new-questions-many",
              "New questions to answer: the file was written for version {version} of this questionnaire, and version {current} has {count} questions that the file does not:",
              { version: outcome.version, current: q.version, count: ids.length }
            )
      )
    );
    var list = element("ul", "load-problems");
    ids.forEach(function (id) {
      var index = q.questions.findIndex(function (x) {
        return x.id === id;
      });
      var question = q.questions[index];
      var item = element("li");
      item.setAttribute("data-new-question", id);
      if (mask[index]) {
        var link = element("a", "qid", id);
        link.href = "#q-" + id;
        item.appendChild(link);
      } else item.appendChild(element("span", "qid", id));
      item.appendChild(document.createTextNode(" " + question.text));
      if (!mask[index]) item.appendChild(element("span", "load-why", word("new-question-hidden", "It does not apply to these answers, so it is hidden for now.")));
      list.appendChild(item);
    });
    section.appendChild(list);
    loadReport.appendChild(section);
  }

  // The shared-computer notice: shown until dismissed (remembered in this browser); its
  // button removes this questionnaire's answers from the browser and says so.
  function setUpSharedComputerNotice() {
    var notice = document.querySelector("[data-shared-notice]");
    if (!notice) return;
    var noticeStatus = notice.querySelector("[data-notice-status]");
    var dismissed = null;
    try {
      dismissed = window.localStorage.getItem(NOTICE_KEY);
    } catch (e) {
      return; /* no local storage: nothing stays in the browser */
    }
    notice.hidden = dismissed === "dismissed";
    notice.querySelector('[data-action="clear-stored"]').addEventListener("click", function () {
      var question = word(
        "confirm-clear-stored",
        "Remove your answers to this questionnaire from this page and this browser? Download them first if you want to keep them."
      );
      if (!isBlank(readState()) && !window.confirm(question)) return;
      clearAnswers();
      say("");
      noticeStatus.textContent = word("cleared-stored", "Your answers to this questionnaire were removed from this browser.");
    });
    notice.querySelector('[data-action="dismiss-notice"]').addEventListener("click", function () {
      try {
        window.localStorage.setItem(NOTICE_KEY, "dismissed");
      } catch (e) {
        /* shown again next time */
      }
      notice.hidden = true;
      var heading = document.querySelector("h1");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus();
      }
    });
  }

  form.addEventListener("change", function (event) {
    keepNotApplicableExclusive(event.target);
    if (event.target.getAttribute("data-action") === "load") return;
    update();
  });
  form.addEventListener("input", function (event) {
    if (event.target.getAttribute("data-action") !== "load") update();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  form.querySelector('[data-action="download"]').addEventListener("click", download);
  form.querySelector('[data-action="reset"]').addEventListener("click", reset);
  var print = form.querySelector('[data-action="print"]');
  if (print) print.addEventListener("click", function () {
    window.print();
  });
  form.querySelector('[data-action="load"]').addEventListener("change", function (event) {
    var file = event.target.files && event.target.files[0];
    if (!file) return;
    var input = event.target;
    if (q.limits && file.size > q.limits.file_bytes) {
      refuse(
        file.name,
        word("file-too-large", "The file is {size} MB; answer files are limited to {max} MB.", {
          size: Math.round(file.size / 1048576),
          max: Math.round(q.limits.file_bytes / 1048576),
        })
      );
      input.value = "";
      return;
    }
    var reader = new FileReader();
    reader.onload = function () {
      loadBytes(new Uint8Array(reader.result), file.name);
      input.value = "";
    };
    reader.onerror = function () {
      refuse(file.name, word("file-unreadable", "The browser could not read the file."));
      input.value = "";
    };
    reader.readAsArrayBuffer(file);
  });

  migrateOldAnswers();
  setUpSharedComputerNotice();
  var saved = storageGet();
  if (saved) writeState(saved);
  update();
})();
