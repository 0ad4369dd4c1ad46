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
// Messages are in the page's language when the caller passes a `word` function
// (questionnaire.js passes the one reading the form's data-word-<name> attributes, from
// templates/words.toml `script.<name>`); in English otherwise.
(function (root) {
  "use strict";

  // `text` with its {name} placeholders filled from `values`, in one pass, so a value
  // that holds braces is never taken for a placeholder.
  function fill(text, values) {
    return text.replace(/\{([A-Za-z0-9_-]+)\}/g, function (whole, key) {
      return values && Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  // The `word(name, fallback, values)` to use: the caller's, or English with {name}
  // placeholders filled from `values`.
  function wordsOf(word) {
    if (typeof word === "function") return word;
    return function (name, fallback, values) {
      return fill(fallback, values);
    };
  }

  // Metadata columns, by their normalised names, with the names the page shows in English
  // (words `script.column-<name>` in the page's language).
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

  function decodeUtf16(bytes, label, name, word) {
    if (bytes.length % 2) return { error: word("utf16-odd", "The file is UTF-16 but has an odd number of bytes: it looks cut short. Save it again and load it again.") };
    try {
      return { text: new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes), encoding: name };
    } catch (e) {
      return { error: word("utf16-invalid", "The file is UTF-16 but holds a character that is not valid UTF-16. Save it again as CSV UTF-8 and load it again.") };
    }
  }

  // The text of a CSV file's bytes, decoded as `toolkit score` decodes it: UTF-16 with a
  // byte-order mark, UTF-8 with or without one, or Windows-1252 when the file is not
  // UTF-8 at all. A UTF-8 file with a stray byte is refused, naming its line. Returns
  // {text, encoding} or {error}, its message in the words of `word` (see wordsOf).
  function decode(bytes, word) {
    word = wordsOf(word);
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16(bytes.subarray(2), "utf-16le", "UTF-16LE", word);
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16(bytes.subarray(2), "utf-16be", "UTF-16BE", word);
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
        error: word(
          "stray-byte",
          "Line {line} of the file holds a byte (0x{byte}) that is not UTF-8, although the rest of the file is UTF-8. " +
            "Save the file again as UTF-8 (in Excel: CSV UTF-8) and load it again.",
          { line: line, byte: hex }
        ),
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

  // A list in plain words: "a, b and c".
  function listOf(items, word) {
    if (items.length < 2) return items.join("");
    return word("list", "{items} and {last}", { items: items.slice(0, -1).join(", "), last: items[items.length - 1] });
  }

  function quoted(text, word) {
    return word("quoted", "\u201c{text}\u201d", { text: text });
  }

  // The first column the header names twice (a metadata field in any spelling, or a
  // question id), as the scorer finds it: the file is refused, since one would hide the other.
  function duplicateColumn(header, word) {
    var seen = {};
    for (var i = 0; i < header.length; i++) {
      var name = header[i].trim();
      var key = fieldOf(name) ? "field:" + fieldOf(name) : "column:" + name;
      if (!name) continue;
      if (Object.prototype.hasOwnProperty.call(seen, key)) {
        return word(
          "duplicate-column",
          "That file cannot be loaded. Its header names {name} twice, in columns {first} and {second}: keep one of them and load the file again.",
          { name: quoted(name, word), first: seen[key] + 1, second: i + 1 }
        );
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
  // Messages are in the words of `word` (see wordsOf).
  function stateFromCsv(q, text, word) {
    word = wordsOf(word);
    var quote = function (text) {
      return quoted(text, word);
    };
    var list = function (items) {
      return listOf(items.map(quote), word);
    };
    if (text.indexOf("\0") >= 0) return { error: word("binary", "That file is not a CSV text file: it holds binary data.") };
    var rows = parse(text, detectDelimiter(text));
    if (!rows.length || (rows.length === 1 && rows[0].join("").trim() === "")) {
      return { error: word("empty", "That file is empty: expected a header row and a row of answers.") };
    }
    var header = rows[0].map(function (h) {
      return h.trim();
    });
    var idColumn = header.findIndex(function (h) {
      return fieldOf(h) === "questionnaire";
    });
    if (idColumn < 0) {
      return {
        error: word(
          "no-questionnaire-column",
          'That file is not an answer file: its header row has no "questionnaire" column (expected questionnaire, version, response_id, respondent, group, role, stage and one column per question id).'
        ),
      };
    }
    var duplicate = duplicateColumn(header, word);
    if (duplicate) return { error: duplicate };
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
            named.length > 1
              ? word(
                  "other-questionnaire-many",
                  "That file holds answers to the questionnaires {ids}, not to this one ({id}). Nothing was loaded: open the page of that questionnaire and load the file there.",
                  { ids: list(named), id: quote(q.id) }
                )
              : word(
                  "other-questionnaire-one",
                  "That file holds answers to the questionnaire {ids}, not to this one ({id}). Nothing was loaded: open the page of that questionnaire and load the file there.",
                  { ids: list(named), id: quote(q.id) }
                ),
        };
      }
      if (others.length) {
        return { error: word("blank-questionnaire", 'The response in that file names no questionnaire: its "questionnaire" cell is blank. Nothing was loaded.') };
      }
      return { error: word("no-response", "That file has no response: expected a header row and a row of answers.") };
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
        if (name) problem(name, "", value, "unknown-column", word("unknown-column", "this questionnaire has no question or field named {name}.", { name: quote(name) }));
        else problem(column(col), "", value, "outside-header", word("outside-header", "the value is in a column with no name in the header row."));
        return;
      }
      readAnswer(question, value);
    });
    for (var col = header.length; col < row.length; col++) {
      var extra = (row[col] || "").trim();
      if (extra) problem(column(col), "", extra, "outside-header", word("past-header", "the value is past the last column of the header row."));
    }

    // The name of a column (counted from 0) or row (counted from 1) in the report.
    function column(col) {
      return word("column-number", "column {number}", { number: col + 1 });
    }
    function rowName(number) {
      return word("row-number", "row {number}", { number: number });
    }

    function readField(field, name, value) {
      var label = word("column-" + field.replace("_", "-"), FIELD_LABELS[field]);
      // The language an answer file was written in takes nothing from this page's.
      if (field === "questionnaire" || field === "language" || !value) return;
      if (field === "version") {
        if (value !== q.version) {
          versionNote = value;
          problem(name, label, value, "other-version",
            word(
              "other-version",
              "the file was written for version {version} of this questionnaire; this page is version {current}. Answers to questions with the same ids were loaded: check them before you download.",
              { version: value, current: q.version }
            ));
        }
        return;
      }
      if (field === "system" && (q.fields || []).indexOf("system") < 0) {
        problem(name, label, value, "no-system-field",
          word("no-system-field", "this questionnaire does not record the name of the system assessed; it is kept only on risk assessments."));
        return;
      }
      if (field === "role" || field === "stage") {
        var facets = field === "role" ? q.roles : q.stages;
        var id = matchFacet(facets, value);
        if (id) state.fields[field] = id;
        else {
          var labels = list(facets.map(function (f) {
            return f.label;
          }));
          problem(name, label, value, "unknown-" + field,
            field === "role"
              ? word("unknown-role", "it is not a role of this toolkit; the roles are {list}.", { list: labels })
              : word("unknown-stage", "it is not a stage of this toolkit; the stages are {list}.", { list: labels }));
        }
        return;
      }
      var text = unneutralise(value);
      if (length(text) > limits.field) {
        problem(name, label, text, "too-long",
          word("too-long", "it is {length} characters long; at most {max} are accepted.", { length: length(text), max: limits.field }));
        return;
      }
      state.fields[field] = text;
    }

    function readAnswer(question, value) {
      var title = question.text || "";
      if (question.kind === "text") {
        var text = unneutralise(value);
        if (length(text) > limits.text) {
          problem(question.id, title, text, "too-long",
            word("too-long-text", "it is {length} characters long; at most {max} are accepted (about ten printed pages).", { length: length(text), max: limits.text }));
        } else state.answers[question.id] = text;
        return;
      }
      var notAnOption = word("not-an-option", "it is not an option of this question; the options are {list}.", {
        list: list(question.options.map(function (o) {
          return o.label;
        })),
      });
      if (question.kind === "single") {
        var option = matchOption(question, value);
        if (option) state.answers[question.id] = [option.value];
        else problem(question.id, title, value, "not-an-option", notAnOption);
        return;
      }
      var picked = [];
      value.split(";").forEach(function (part) {
        part = part.trim();
        if (!part) return;
        var found = matchOption(question, part);
        if (!found) problem(question.id, title, part, "not-an-option", notAnOption);
        else if (picked.indexOf(found) < 0) picked.push(found);
      });
      var notApplicable = picked.filter(function (o) {
        return o.not_applicable;
      });
      if (notApplicable.length && picked.length > 1) {
        problem(question.id, title, value, "not-applicable-with-others",
          word(
            "not-applicable-with-others",
            "{option} was chosen together with other options; it is an answer only on its own, so none of this question's choices was loaded.",
            { option: quote(notApplicable[0].label) }
          ));
        return;
      }
      if (picked.length) {
        state.answers[question.id] = picked.map(function (o) {
          return o.value;
        });
      }
    }

    var noResponseId = word("no-response-id", "(no response ID)");
    mine.slice(1).forEach(function (other) {
      problem(rowName(other.number), word("another-response-title", "another response to this questionnaire"), other.responseId || noResponseId, "another-response",
        word("another-response", "this page holds one response at a time, so only the response on row {row} was loaded.", { row: chosen.number }));
    });
    others.forEach(function (other) {
      if (other.questionnaire) {
        problem(rowName(other.number), word("other-questionnaire-title", "a response to another questionnaire"), other.questionnaire, "other-questionnaire",
          word("other-questionnaire-row", "it answers the questionnaire {id}, not this one.", { id: quote(other.questionnaire) }));
      } else {
        problem(rowName(other.number), word("no-questionnaire-title", "a response that names no questionnaire"), other.responseId || noResponseId, "no-questionnaire",
          word("no-questionnaire-row", 'its "questionnaire" cell is blank.'));
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
