// Reading a wide answer CSV (SPEC §6) back into a questionnaire page, with the reader's
// rules of `toolkit score` (pipeline/answers/csv_file.rs and validate.rs): UTF-8 with or
// without BOM, UTF-16 with a BOM, or Windows-1252 when the file is not UTF-8 at all;
// comma, semicolon or tab (whichever the header uses most); metadata columns by name, one
// column per question id (case-insensitive); options by value or label (trimmed,
// case-insensitive), role and stage by id or label; the scorer's length limits. Every
// value the scorer would refuse is reported with its column and why, never dropped
// silently. A file written for another version of the questionnaire brings the answers
// whose question ids still exist, and names the questions that are new in this version.
// Also the other way: neutralising text a spreadsheet would run as a formula.
(function (root) {
  "use strict";

  // Metadata columns, by their normalised names, with the names the page shows.
  var FIELD_LABELS = {
    questionnaire: "Questionnaire",
    version: "Version",
    response_id: "Response ID",
    respondent: "Your name",
    group: "Group",
    role: "Your role",
    stage: "Stage of the project",
    system: "System assessed",
    language: "Language",
  };

  // Text a spreadsheet would run as a formula: starting with =, +, -, @, tab or carriage
  // return (the rule of summary.csv), or with apostrophes before one of those, so that
  // taking one apostrophe off always gives back the text as typed.
  var FORMULA_START = /^'*[=+\-@\t\r]/;

  // Text made safe to open in a spreadsheet: a leading apostrophe when it looks like a formula.
  function neutralise(text) {
    return FORMULA_START.test(text) ? "'" + text : text;
  }

  // The text as typed, from a neutralised cell.
  function unneutralise(text) {
    return text.charAt(0) === "'" && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
  }

  // The length of a text in characters (code points), as the scorer counts it.
  function length(text) {
    return Array.from(text).length;
  }

  // The length in bytes of the valid UTF-8 sequence at `i`, or 0 when it is not one.
  function utf8Sequence(bytes, i) {
    var b = bytes[i];
    var cont = function (k, low, high) {
      var c = bytes[i + k];
      return c !== undefined && c >= (low || 0x80) && c <= (high || 0xbf);
    };
    if (b < 0x80) return 1;
    if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
    if (b === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
    if ((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) return cont(1) && cont(2) ? 3 : 0;
    if (b === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
    if (b === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    if (b >= 0xf1 && b <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (b === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
    return 0;
  }

  // In bytes that are not valid UTF-8: the offset and value of the first invalid byte,
  // when the bytes also hold valid non-ASCII UTF-8 (a UTF-8 file with a stray byte, not
  // another encoding); otherwise null.
  function strayByteInUtf8(bytes) {
    var first = null;
    var hasUtf8 = false;
    for (var i = 0; i < bytes.length; ) {
      var n = utf8Sequence(bytes, i);
      if (n === 0) {
        if (first === null) first = i;
        i++;
      } else {
        if (n > 1) hasUtf8 = true;
        i += n;
      }
    }
    return first !== null && hasUtf8 ? { offset: first, byte: bytes[first] } : null;
  }

  function decodeUtf16(bytes, label, name) {
    if (bytes.length % 2) return { error: "The file is UTF-16 but has an odd number of bytes: it looks cut short. Save it again and load it again." };
    try {
      return { text: new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes), encoding: name };
    } catch (e) {
      return { error: "The file is UTF-16 but holds a character that is not valid UTF-16. Save it again as CSV UTF-8 and load it again." };
    }
  }

  // The text of a CSV file's bytes, decoded as `toolkit score` decodes it: UTF-16 with a
  // byte-order mark, UTF-8 with or without one, or Windows-1252 when the file is not
  // UTF-8 at all. A UTF-8 file with a stray byte is refused, naming its line. Returns
  // {text, encoding} or {error}.
  function decode(bytes) {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16(bytes.subarray(2), "utf-16le", "UTF-16LE");
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16(bytes.subarray(2), "utf-16be", "UTF-16BE");
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    try {
      return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes), encoding: "UTF-8" };
    } catch (e) {
      /* not UTF-8: a stray byte, or another encoding */
    }
    var stray = strayByteInUtf8(bytes);
    if (stray) {
      var line = 1;
      for (var i = 0; i < stray.offset; i++) if (bytes[i] === 0x0a) line++;
      var hex = ("0" + stray.byte.toString(16).toUpperCase()).slice(-2);
      return {
        error:
          "Line " + line + " of the file holds a byte (0x" + hex + ") that is not UTF-8, although the rest of the file is UTF-8. " +
          "Save the file again as UTF-8 (in Excel: CSV UTF-8) and load it again.",
      };
    }
    return { text: new TextDecoder("windows-1252").decode(bytes), encoding: "Windows-1252" };
  }

  // The delimiter the header line uses most outside quotes: comma (ties), semicolon
  // (European Excel) or tab (Excel's "Unicode text").
  function detectDelimiter(text) {
    var commas = 0;
    var semicolons = 0;
    var tabs = 0;
    var quoted = false;
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (c === '"') quoted = !quoted;
      else if (c === "\n" && !quoted) break;
      else if (c === "," && !quoted) commas++;
      else if (c === ";" && !quoted) semicolons++;
      else if (c === "\t" && !quoted) tabs++;
    }
    if (tabs > commas && tabs > semicolons) return "\t";
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

  // Lowercase, with spaces and hyphens as underscores: "Response ID" -> "response_id".
  function normalise(name) {
    return name.trim().toLowerCase().replace(/[ -]/g, "_");
  }

  // The metadata field a column names, or null when it names none.
  function fieldOf(name) {
    var key = normalise(name);
    if (key === "responseid") key = "response_id";
    return Object.prototype.hasOwnProperty.call(FIELD_LABELS, key) ? key : null;
  }

  function matchFacet(list, value) {
    var wanted = value.trim().toLowerCase();
    var found = list.find(function (f) {
      return f.id.toLowerCase() === wanted || f.label.trim().toLowerCase() === wanted;
    });
    return found ? found.id : null;
  }

  function matchOption(question, value) {
    var wanted = value.trim().toLowerCase();
    var found = question.options.find(function (o) {
      return o.value.trim().toLowerCase() === wanted || o.label.trim().toLowerCase() === wanted;
    });
    return found || null;
  }

  // A list in plain English: "a, b and c".
  function listOf(items) {
    if (items.length < 2) return items.join("");
    return items.slice(0, -1).join(", ") + " and " + items[items.length - 1];
  }

  function quoted(text) {
    return "\u201c" + text + "\u201d";
  }

  // The first column the header names twice (a metadata field in any spelling, or a
  // question id), as the scorer finds it: the file is refused, since one would hide the other.
  function duplicateColumn(header) {
    var seen = {};
    for (var i = 0; i < header.length; i++) {
      var name = header[i].trim();
      var key = fieldOf(name) ? "field:" + fieldOf(name) : "column:" + name;
      if (!name) continue;
      if (Object.prototype.hasOwnProperty.call(seen, key)) {
        return "Its header names " + quoted(name) + " twice, in columns " + (seen[key] + 1) + " and " + (i + 1) + ": keep one of them and load the file again.";
      }
      seen[key] = i;
    }
    return null;
  }

  // Whether a row is a response: the scorer skips rows with nothing but the
  // questionnaire and version (a template's example row, or a blank line).
  function hasContent(header, row) {
    return header.some(function (name, col) {
      var value = (row[col] || "").trim();
      if (!value) return false;
      var field = fieldOf(name);
      return field !== "questionnaire" && field !== "version";
    });
  }

  // The page state of the response to `q` in the CSV text, and every value of the file
  // that it does not hold, each with its column, value and why:
  // {state, problems: [{column, title, value, reason, why}], row, version, newQuestions}
  // or {error}. `version` is the file's version when it is not the page's, and then
  // `newQuestions` lists the ids of the page's questions that have no column in the file
  // (empty otherwise). The state holds only what the scorer would accept; nothing is guessed.
  function stateFromCsv(q, text) {
    if (text.indexOf("\0") >= 0) return { error: "That file is not a CSV text file: it holds binary data." };
    var rows = parse(text, detectDelimiter(text));
    if (!rows.length || (rows.length === 1 && rows[0].join("").trim() === "")) {
      return { error: "That file is empty: expected a header row and a row of answers." };
    }
    var header = rows[0].map(function (h) {
      return h.trim();
    });
    var idColumn = header.findIndex(function (h) {
      return fieldOf(h) === "questionnaire";
    });
    if (idColumn < 0) {
      return { error: 'That file is not an answer file: its header row has no "questionnaire" column (expected questionnaire, version, response_id, respondent, group, role, stage and one column per question id).' };
    }
    var duplicate = duplicateColumn(header);
    if (duplicate) return { error: "That file cannot be loaded. " + duplicate };
    var idColumnOf = function (name) {
      return header.findIndex(function (h) {
        return fieldOf(h) === name;
      });
    };
    var responseIdColumn = idColumnOf("response_id");
    var mine = [];
    var others = [];
    rows.slice(1).forEach(function (row, i) {
      if (!hasContent(header, row)) return;
      var id = (row[idColumn] || "").trim();
      var entry = { row: row, number: i + 2, questionnaire: id, responseId: responseIdColumn >= 0 ? (row[responseIdColumn] || "").trim() : "" };
      if (id.toLowerCase() === q.id.toLowerCase()) mine.push(entry);
      else others.push(entry);
    });
    if (!mine.length) {
      var named = others
        .map(function (o) {
          return o.questionnaire;
        })
        .filter(function (id, i, all) {
          return id && all.indexOf(id) === i;
        });
      if (named.length) {
        return {
          error:
            "That file holds answers to " + (named.length > 1 ? "the questionnaires " : "the questionnaire ") + listOf(named.map(quoted)) +
            ", not to this one (" + quoted(q.id) + "). Nothing was loaded: open the page of that questionnaire and load the file there.",
        };
      }
      if (others.length) return { error: "The response in that file names no questionnaire: its \"questionnaire\" cell is blank. Nothing was loaded." };
      return { error: "That file has no response: expected a header row and a row of answers." };
    }

    var problems = [];
    function problem(column, title, value, reason, why) {
      problems.push({ column: column, title: title, value: value, reason: reason, why: why });
    }
    var state = { fields: {}, answers: {} };
    var chosen = mine[0];
    var row = chosen.row;
    var limits = q.limits || { field: 200, text: 20000 };
    var versionNote = null;

    header.forEach(function (name, col) {
      var value = (row[col] || "").trim();
      var field = fieldOf(name);
      if (field) {
        readField(field, name, value);
        return;
      }
      if (!value) return;
      var question = q.questions.find(function (x) {
        return x.id.toLowerCase() === name.toLowerCase();
      });
      if (!question) {
        if (name) problem(name, "", value, "unknown-column", "this questionnaire has no question or field named " + quoted(name) + ".");
        else problem("column " + (col + 1), "", value, "outside-header", "the value is in a column with no name in the header row.");
        return;
      }
      readAnswer(question, value);
    });
    for (var col = header.length; col < row.length; col++) {
      var extra = (row[col] || "").trim();
      if (extra) problem("column " + (col + 1), "", extra, "outside-header", "the value is past the last column of the header row.");
    }

    function readField(field, name, value) {
      var label = FIELD_LABELS[field];
      // The language an answer file was written in takes nothing from this page's.
      if (field === "questionnaire" || field === "language" || !value) return;
      if (field === "version") {
        if (value !== q.version) {
          versionNote = value;
          problem(name, label, value, "other-version",
            "the file was written for version " + value + " of this questionnaire; this page is version " + q.version +
            ". Answers to questions with the same ids were loaded: check them before you download.");
        }
        return;
      }
      if (field === "system" && (q.fields || []).indexOf("system") < 0) {
        problem(name, label, value, "no-system-field",
          "this questionnaire does not record the name of the system assessed; it is kept only on risk assessments.");
        return;
      }
      if (field === "role" || field === "stage") {
        var list = field === "role" ? q.roles : q.stages;
        var id = matchFacet(list, value);
        if (id) state.fields[field] = id;
        else {
          problem(name, label, value, "unknown-" + field,
            "it is not a " + field + " of this toolkit; the " + field + "s are " + listOf(list.map(function (f) {
              return quoted(f.label);
            })) + ".");
        }
        return;
      }
      var text = unneutralise(value);
      if (length(text) > limits.field) {
        problem(name, label, text, "too-long", "it is " + length(text) + " characters long; at most " + limits.field + " are accepted.");
        return;
      }
      state.fields[field] = text;
    }

    function readAnswer(question, value) {
      var title = question.text || "";
      if (question.kind === "text") {
        var text = unneutralise(value);
        if (length(text) > limits.text) {
          problem(question.id, title, text, "too-long", "it is " + length(text) + " characters long; at most " + limits.text + " are accepted (about ten printed pages).");
        } else state.answers[question.id] = text;
        return;
      }
      var options = "the options are " + listOf(question.options.map(function (o) {
        return quoted(o.label);
      })) + ".";
      if (question.kind === "single") {
        var option = matchOption(question, value);
        if (option) state.answers[question.id] = [option.value];
        else problem(question.id, title, value, "not-an-option", "it is not an option of this question; " + options);
        return;
      }
      var picked = [];
      value.split(";").forEach(function (part) {
        part = part.trim();
        if (!part) return;
        var found = matchOption(question, part);
        if (!found) problem(question.id, title, part, "not-an-option", "it is not an option of this question; " + options);
        else if (picked.indexOf(found) < 0) picked.push(found);
      });
      var notApplicable = picked.filter(function (o) {
        return o.not_applicable;
      });
      if (notApplicable.length && picked.length > 1) {
        problem(question.id, title, value, "not-applicable-with-others",
          quoted(notApplicable[0].label) + " was chosen together with other options; it is an answer only on its own, so none of this question's choices was loaded.");
        return;
      }
      if (picked.length) {
        state.answers[question.id] = picked.map(function (o) {
          return o.value;
        });
      }
    }

    mine.slice(1).forEach(function (other) {
      problem("row " + other.number, "another response to this questionnaire", other.responseId || "(no response ID)", "another-response",
        "this page holds one response at a time, so only the response on row " + chosen.number + " was loaded.");
    });
    others.forEach(function (other) {
      if (other.questionnaire) {
        problem("row " + other.number, "a response to another questionnaire", other.questionnaire, "other-questionnaire",
          "it answers the questionnaire " + quoted(other.questionnaire) + ", not this one.");
      } else {
        problem("row " + other.number, "a response that names no questionnaire", other.responseId || "(no response ID)", "no-questionnaire",
          "its \"questionnaire\" cell is blank.");
      }
    });
    var newQuestions = [];
    if (versionNote) {
      var columns = header.map(function (h) {
        return h.toLowerCase();
      });
      newQuestions = q.questions
        .filter(function (question) {
          return columns.indexOf(question.id.toLowerCase()) < 0;
        })
        .map(function (question) {
          return question.id;
        });
    }
    return { state: state, problems: problems, row: chosen.number, version: versionNote, newQuestions: newQuestions };
  }

  root.toolkitCsv = {
    decode: decode,
    stateFromCsv: stateFromCsv,
    parse: parse,
    detectDelimiter: detectDelimiter,
    neutralise: neutralise,
    unneutralise: unneutralise,
    length: length,
  };
})(typeof globalThis !== "undefined" ? globalThis : this);
