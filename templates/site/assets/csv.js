// Reading a wide answer CSV (SPEC §6) back into a questionnaire page, with the reader's
// rules of `toolkit score`: UTF-8 with or without BOM, comma or semicolon (whichever the
// header uses more), metadata columns by name, one column per question id, options by
// value or label (trimmed, case-insensitive), role and stage by id or label.
(function (root) {
  "use strict";

  function detectDelimiter(text) {
    var commas = 0;
    var semicolons = 0;
    var quoted = false;
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (c === '"') quoted = !quoted;
      else if (c === "\n" && !quoted) break;
      else if (c === "," && !quoted) commas++;
      else if (c === ";" && !quoted) semicolons++;
    }
    return semicolons > commas ? ";" : ",";
  }

  // Rows of fields; quotes as RFC 4180 writes them.
  function parse(text, delimiter) {
    var rows = [];
    var row = [];
    var field = "";
    var quoted = false;
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') {
          field += '"';
          i++;
        } else if (c === '"') quoted = false;
        else field += c;
      } else if (c === '"') quoted = true;
      else if (c === delimiter) {
        row.push(field);
        field = "";
      } else if (c === "\n" || c === "\r") {
        if (c === "\r" && text[i + 1] === "\n") i++;
        row.push(field);
        rows.push(row);
        row = [];
        field = "";
      } else field += c;
    }
    if (field !== "" || row.length) {
      row.push(field);
      rows.push(row);
    }
    return rows;
  }

  function normalise(name) {
    return name.trim().toLowerCase().replace(/[ -]/g, "_");
  }

  function matchFacet(list, value) {
    var wanted = value.trim().toLowerCase();
    var found = list.find(function (f) {
      return f.id.toLowerCase() === wanted || f.label.trim().toLowerCase() === wanted;
    });
    return found ? found.id : "";
  }

  function matchOption(question, value) {
    var wanted = value.trim().toLowerCase();
    var found = question.options.find(function (o) {
      return o.value.trim().toLowerCase() === wanted || o.label.trim().toLowerCase() === wanted;
    });
    return found ? found.value : null;
  }

  // The page state of the first response of `q` in the CSV text, or {error}.
  function stateFromCsv(q, text) {
    text = text.replace(/^\uFEFF/, "");
    var rows = parse(text, detectDelimiter(text));
    if (rows.length < 2) return { error: "That file has no response: expected a header row and one row of answers." };
    var header = rows[0].map(normalise);
    var idColumn = header.indexOf("questionnaire");
    if (idColumn < 0) return { error: 'That file is not an answer file: its header has no "questionnaire" column.' };
    var row = rows.slice(1).find(function (r) {
      return (r[idColumn] || "").trim() === q.id;
    });
    if (!row) return { error: "That file has no response to the questionnaire " + q.id + "." };
    var state = { fields: {}, answers: {} };
    var note = ".";
    rows[0].forEach(function (name, col) {
      var key = normalise(name);
      var value = (row[col] || "").trim();
      if (key === "role") state.fields.role = matchFacet(q.roles, value);
      else if (key === "stage") state.fields.stage = matchFacet(q.stages, value);
      else if (key === "response_id" || key === "respondent" || key === "group") state.fields[key] = value;
      else if (key === "version" && value && value !== q.version) note = " (written for version " + value + "; check the answers).";
      var question = q.questions.find(function (x) {
        return x.id === name.trim();
      });
      if (!question || !value) return;
      if (question.kind === "text") state.answers[question.id] = row[col];
      else
        state.answers[question.id] = value
          .split(";")
          .map(function (v) {
            return matchOption(question, v);
          })
          .filter(function (v) {
            return v != null;
          });
    });
    return { state: state, note: note };
  }

  root.toolkitCsv = { stateFromCsv: stateFromCsv, parse: parse, detectDelimiter: detectDelimiter };
})(typeof globalThis !== "undefined" ? globalThis : this);
