// Search in the page over the index that `toolkit build` writes (search-index.js): every
// word typed must occur in a section's title or text; sections whose title holds the
// words come first. Results are built as DOM text, never as HTML.
(function () {
  "use strict";

  var index = window.toolkitSearchIndex || [];
  var form = document.querySelector("[data-search]");
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!form || !input || !list) return;
  // Text as the search compares it: lower case, accents and other combining marks left
  // out (é is e, ñ is n), and in Arabic the short-vowel marks and the tatweel left out and
  // the letter forms that vary in spelling made one (أ إ آ ٱ are ا, ى is ي, ة is ه, ؤ is و,
  // ئ is ي), so a word is found however it was typed.
  function folded(text) {
    return text
      .normalize("NFD")
      .replace(/[\u0300-\u036f\u064B-\u065F\u0670\u0640]/g, "")
      .toLowerCase()
      .replace(/[\u0623\u0625\u0622\u0671]/g, "\u0627")
      .replace(/\u0649/g, "\u064A")
      .replace(/\u0629/g, "\u0647")
      .replace(/\u0624/g, "\u0648")
      .replace(/\u0626/g, "\u064A");
  }
  // The folded text with, for each of its characters, the position of the original
  // character it comes from (for the snippet).
  function fold(text) {
    var out = "";
    var from = [];
    for (var i = 0; i < text.length; i++) {
      var f = folded(text[i]);
      for (var k = 0; k < f.length; k++) from.push(i);
      out += f;
    }
    return { text: out, from: from };
  }
  var prepared = index.map(function (entry) {
    return { entry: entry, title: folded(entry.title), text: folded(entry.text) };
  });

  // A fixed word of the page in its language: the status line's data-word-<name>
  // attribute (from templates/words.toml), the English fallback when it has none; {name}
  // placeholders are filled from `values`.
  function word(name, fallback, values) {
    var text = status ? status.getAttribute("data-word-" + name) : null;
    if (text == null) text = fallback;
    // In one pass, so a value that holds braces is never taken for a placeholder.
    return text.replace(/\{([A-Za-z0-9_-]+)\}/g, function (whole, key) {
      return values && Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  function snippet(text, word) {
    var folded = fold(text);
    var found = folded.text.indexOf(word);
    if (found < 0) return text.slice(0, 200);
    var at = folded.from[found];
    var start = Math.max(0, at - 80);
    return (start > 0 ? "… " : "") + text.slice(start, start + 220) + (start + 220 < text.length ? " …" : "");
  }

  function search(query) {
    var words = folded(query).split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!words.length) {
      status.textContent = word("empty", "Type words to search every guide of the toolkit.");
      return;
    }
    var hits = prepared
      .map(function (p) {
        var score = 0;
        var all = words.every(function (w) {
          var inTitle = p.title.indexOf(w) >= 0;
          var inText = p.text.indexOf(w) >= 0;
          score += (inTitle ? 10 : 0) + (inText ? 1 : 0);
          return inTitle || inText;
        });
        return all ? { p: p, score: score } : null;
      })
      .filter(Boolean)
      .sort(function (a, b) {
        return b.score - a.score;
      })
      .slice(0, 50);
    if (!hits.length) status.textContent = word("no-match", "No section holds every word. Try fewer or other words.");
    else if (hits.length === 1) status.textContent = word("found-one", "1 section found.");
    else if (hits.length === 50) status.textContent = word("found-more", "{count} or more sections found.", { count: hits.length });
    else status.textContent = word("found", "{count} sections found.", { count: hits.length });
    hits.forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = hit.p.entry.url;
      link.textContent = hit.p.entry.document + ": " + hit.p.entry.title;
      var text = document.createElement("p");
      text.textContent = snippet(hit.p.entry.text, words[0]);
      item.appendChild(link);
      item.appendChild(text);
      list.appendChild(item);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    search(input.value);
  });
  input.addEventListener("input", function () {
    search(input.value);
  });
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) {
    input.value = params.get("q");
    search(input.value);
  }
})();
