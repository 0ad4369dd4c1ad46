// The questionnaire page: shows and hides questions as role and stage are chosen (the
// rule of the workbooks and the scorer), keeps "not applicable" exclusive, scores the
// answers live with toolkitScoring (assets/scoring.js), keeps them in local storage,
// and downloads or loads them as the wide CSV that `toolkit score` reads (SPEC §6).
// Nothing is sent anywhere. `window.toolkit` exposes answersCsv() and the live values.
(function () {
  "use strict";

  var FIELDS = ["response_id", "respondent", "group", "role", "stage"];
  var form = document.querySelector("form[data-questionnaire]");
  var dataElement = document.getElementById("questionnaire-data");
  if (!form || !dataElement || !window.toolkitScoring) return;
  var scoring = window.toolkitScoring;
  var q = JSON.parse(dataElement.textContent);
  var storageKey = "toolkit:answers:" + q.id + ":" + q.version;
  var status = form.querySelector("[data-status]");
  var lastValues = {};

  function storageGet() {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey) || "null");
    } catch (e) {
      return null;
    }
  }

  function storageSet(value) {
    try {
      if (value == null) window.localStorage.removeItem(storageKey);
      else window.localStorage.setItem(storageKey, JSON.stringify(value));
    } catch (e) {
      say("Your browser does not let this page keep answers; download them before you close it.");
    }
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

  function applies(question, state) {
    return scoring.appliesTo(question, state.fields.role || null, state.fields.stage || null);
  }

  function showResult(name, value, text) {
    var el = form.ownerDocument.querySelector('[data-result="' + name + '"]');
    if (!el) return;
    el.setAttribute("data-value", value);
    if (text != null) el.textContent = text;
  }

  function percentText(value) {
    return value === "" ? "not scored" : value + " %";
  }

  // Failed consistency checks: listed with their messages; they change no score.
  function showWarnings(warnings) {
    var el = document.querySelector('[data-result="warnings"]');
    if (!el) return;
    el.setAttribute("data-value", warnings.map(function (w) { return w.id; }).sort().join(" "));
    el.textContent = "";
    if (!warnings.length) {
      var none = document.createElement("p");
      none.textContent = "None.";
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
      item.appendChild(document.createTextNode(": " + flag.message));
      list.appendChild(item);
    });
    if (list.children.length) el.appendChild(list);
    else {
      var none = document.createElement("p");
      none.textContent = "None raised.";
      el.appendChild(none);
    }
  }

  function showResults(result, values) {
    showResult("score", values.score, percentText(values.score));
    var level = result.level == null ? null : q.levels[result.level];
    showResult("level", values.level, level ? level.label : "not scored");
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
    var answered = document.querySelector("[data-answered]");
    var applicable = document.querySelector("[data-applicable]");
    if (answered) answered.textContent = String(result.answered);
    if (applicable) applicable.textContent = String(result.applicable);
  }

  // Shows and hides questions, scores, shows the result and saves; on every change.
  function update() {
    var state = readState();
    q.questions.forEach(function (question) {
      var el = questionElement(question.id);
      if (el) el.hidden = !applies(question, state);
    });
    var answers = scoringAnswers(state);
    var result = scoring.scoreResponse(q, {
      role: state.fields.role || null,
      stage: state.fields.stage || null,
      answers: answers,
    });
    lastValues = scoring.resultValues(q, result);
    showResults(result, lastValues);
    showWarnings(scoring.consistencyWarnings(q, answers));
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

  function csvField(value) {
    var text = value == null ? "" : String(value);
    if (/[",;\r\n]/.test(text) || text !== text.trim()) return '"' + text.replace(/"/g, '""') + '"';
    return text;
  }

  // The wide CSV of SPEC §6, UTF-8 with a byte order mark, one row for this response.
  function answersCsv() {
    var state = readState();
    var header = ["questionnaire", "version"].concat(FIELDS);
    var row = [q.id, q.version].concat(
      FIELDS.map(function (name) {
        return state.fields[name];
      })
    );
    q.questions.forEach(function (question) {
      header.push(question.id);
      var raw = state.answers[question.id];
      if (!applies(question, state)) row.push("");
      else if (question.kind === "text") row.push(raw || "");
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
    say("Downloaded " + fileName() + ". Hand it to whoever scores the workshop, or run: toolkit score " + fileName());
  }

  function newResponseId() {
    var bytes = new Uint8Array(4);
    window.crypto.getRandomValues(bytes);
    return "web-" + Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function reset() {
    if (!window.confirm("Clear every answer on this page and start again?")) return;
    storageSet(null);
    writeState({ fields: {}, answers: {} });
    update();
    say("Every answer was cleared.");
  }

  window.toolkit = {
    questionnaire: q,
    answersCsv: answersCsv,
    values: function () {
      return Object.assign({}, lastValues);
    },
    state: readState,
    load: function (text) {
      loadCsv(text);
    },
  };

  // Loading a CSV back: see csv-load below.
  function loadCsv(text) {
    var outcome = window.toolkitCsv.stateFromCsv(q, text);
    if (outcome.error) {
      say(outcome.error);
      return;
    }
    writeState(outcome.state);
    update();
    say("Loaded the answers of " + (outcome.state.fields.response_id || "the response") + outcome.note);
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
    var reader = new FileReader();
    reader.onload = function () {
      loadCsv(String(reader.result));
      event.target.value = "";
    };
    reader.readAsText(file, "utf-8");
  });

  var saved = storageGet();
  if (saved) writeState(saved);
  update();
})();
