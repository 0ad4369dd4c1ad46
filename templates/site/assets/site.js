// Behaviour shared by every page of the web edition: the knowledge-level switch (shown
// on pages with blocks tagged by level, remembered across pages and visits in local
// storage) and the primer chooser. Without JavaScript every block stays visible with its
// label, and the chooser's table of links still works.
(function () {
  "use strict";

  var LEVEL_KEY = "toolkit:level";

  function stored(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }

  function store(key, value) {
    try {
      window.localStorage.setItem(key, value);
    } catch (e) {
      /* the choice lasts for this page only */
    }
  }

  // A fixed word of the page in its language: the element's data-word-<name> attribute
  // (from templates/words.toml), the English fallback when it has none; {name}
  // placeholders are filled from `values`.
  function word(element, name, fallback, values) {
    var text = element.getAttribute("data-word-" + name);
    if (text == null) text = fallback;
    // In one pass, so a value that holds braces is never taken for a placeholder.
    return text.replace(/\{([A-Za-z0-9_-]+)\}/g, function (whole, key) {
      return values && Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  // Hides every block tagged for other levels than `level` ("all" shows everything).
  function applyLevel(level) {
    var shown = 0;
    var hidden = 0;
    document.querySelectorAll("[data-levels]").forEach(function (block) {
      var levels = block.getAttribute("data-levels").split(/\s+/);
      var hide = level !== "all" && levels.indexOf(level) < 0;
      block.hidden = hide;
      if (hide) hidden++;
      else shown++;
    });
    // The PDF of the chosen level is marked as the reader's.
    document.querySelectorAll("[data-pdf-level]").forEach(function (link) {
      if (link.getAttribute("data-pdf-level") === level) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    });
    var status = document.getElementById("level-status");
    if (status) {
      var select = document.querySelector('[data-action="level"]');
      var label = select ? select.options[select.selectedIndex].text : level;
      status.textContent =
        level === "all"
          ? word(status, "all", "Showing every level. Each block says whom it is for.")
          : word(status, "showing", "Showing blocks for {level} readers: {shown} shown, {hidden} hidden.", {
              level: label,
              shown: shown,
              hidden: hidden,
            });
    }
  }

  function setUpLevelSwitch() {
    var select = document.querySelector('[data-action="level"]');
    if (!select) return;
    var level = stored(LEVEL_KEY) || "all";
    var known = Array.prototype.some.call(select.options, function (o) {
      return o.value === level;
    });
    select.value = known ? level : "all";
    applyLevel(select.value);
    select.addEventListener("change", function () {
      store(LEVEL_KEY, select.value);
      applyLevel(select.value);
    });
  }

  function setUpPrimerChooser() {
    var chooser = document.querySelector("[data-chooser]");
    if (!chooser) return;
    chooser.addEventListener("submit", function (event) {
      event.preventDefault();
      // The page carries every primer's path (data-pages, from the output layout).
      var pages = JSON.parse(chooser.getAttribute("data-pages") || "{}");
      var page = pages[chooser.elements.role.value + " " + chooser.elements.stage.value];
      if (page) window.location.href = page;
    });
  }

  // The language switcher leads to the same section of the page in the other language:
  // sections keep their anchors in every language, so the link takes the current one.
  function setUpLanguageSwitcher() {
    var links = document.querySelectorAll(".languages a[hreflang]");
    Array.prototype.forEach.call(links, function (link) {
      link.addEventListener("click", function () {
        var hash = window.location.hash;
        if (hash && hash.length > 1) link.href = link.href.split("#")[0] + hash;
      });
    });
  }

  setUpLevelSwitch();
  setUpPrimerChooser();
  setUpLanguageSwitcher();
})();
