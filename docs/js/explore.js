/* The Explore page: every paper in one table, filtered and sorted in the browser.
 *
 * The page (generated from generator/templates/explore.md.j2) holds the form, an empty
 * table and the papers as JSON in <script id="explore-data">, so it works offline and from
 * file:// too. The words of the abstracts come in a script of their own (explore-words.js,
 * an inverted index: generator/export.py, explore_words), loaded when a reader first uses
 * the word filter. The filters live in the query string, so a view can be shared. Rows are
 * rendered a batch at a time; filtering walks a sort order computed once per column. Each
 * facet's counts are those of the papers every other filter keeps.
 */
(function () {
  "use strict";

  var BATCH = 100;
  var DEFAULT_DIR = { title: "asc", date: "desc", org: "asc", upvotes: "desc" };
  var FIELDS = ["q", "theme", "year", "org", "code", "min", "max"];
  var FACETS = ["theme", "year", "org"];
  // A paper's failed filters, as bits: each facet's own, and all the others together.
  var FAILS = { theme: 1, year: 2, org: 4 };
  var OTHER = 8;
  // Gaps between paper numbers in explore-words.js: base 32, last digit from LAST.
  var LAST = "0123456789abcdefghijklmnopqrstuv";
  var MORE = "wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$";
  var LABELS = ["", "Date", "Organisation", "Upvotes", "Code", "Themes"];

  function init() {
    var root = document.getElementById("explore");
    var source = document.getElementById("explore-data");
    if (!root || !source || root.getAttribute("data-ready")) return;
    root.setAttribute("data-ready", "1");

    var data = JSON.parse(source.textContent);
    var base = root.getAttribute("data-base") || "";
    var form = root.querySelector("form");
    var tbody = root.querySelector("tbody");
    var status = document.getElementById("explore-status");
    var more = document.getElementById("explore-more");
    var headers = Array.prototype.slice.call(root.querySelectorAll("th[data-sort]"));
    var collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

    var themes = data.themes.map(function (t) {
      return { id: t[0], title: t[1], parent: t[2] };
    });
    var papers = data.papers.map(function (row, n) {
      var own = row[6];
      var within = {};
      own.forEach(function (i) {
        for (var j = i; j >= 0; j = themes[j].parent) within[themes[j].id] = true;
      });
      var names = own.map(function (i) { return themes[i].title; });
      return {
        n: n,
        slug: row[0],
        title: row[1],
        date: row[2],
        year: row[2] ? row[2].slice(0, 4) : "none",
        org: row[3],
        up: row[4],
        code: row[5],
        themes: own,
        within: within,
        text: [row[1], row[3], row[7] || "", names.join(" ")].join(" ").toLowerCase(),
      };
    });

    // Each facet option's label without its count, which follows the other filters.
    FACETS.forEach(function (name) {
      Array.prototype.forEach.call(form.elements[name].options, function (option) {
        if (option.value) option.setAttribute("data-label", option.textContent.replace(/ \(\d+\)$/, ""));
      });
    });

    // The words of the abstracts: the vocabulary, and per word the papers that have it.
    var abstracts = null;
    var loading = false;
    var cache = {};
    function useWords(index) {
      if (!index || index.papers !== papers.length) return false;
      abstracts = { words: index.words ? index.words.split(" ") : [], postings: index.postings.split(" ") };
      cache = {};
      return true;
    }
    function loadWords() {
      if (abstracts || loading) return;
      if (useWords(window.surveyExploreWords)) return;
      var src = root.getAttribute("data-words");
      if (!src) return;
      loading = true;
      var script = document.createElement("script");
      script.src = src;
      script.onload = function () {
        loading = false;
        if (useWords(window.surveyExploreWords) && state.q) apply(false);
      };
      script.onerror = function () { loading = false; };
      document.head.appendChild(script);
    }
    // Which papers' abstracts hold a word that contains `word`, as one flag per paper.
    function inAbstracts(word) {
      if (!abstracts) return null;
      if (cache[word]) return cache[word];
      var flags = new Uint8Array(papers.length);
      for (var i = 0; i < abstracts.words.length; i++) {
        if (abstracts.words[i].indexOf(word) < 0) continue;
        var code = abstracts.postings[i], at = 0, value = 0;
        for (var k = 0; k < code.length; k++) {
          var last = LAST.indexOf(code[k]);
          if (last < 0) { value = value * 32 + MORE.indexOf(code[k]); continue; }
          at += value * 32 + last;
          flags[at] = 1;
          value = 0;
        }
      }
      cache[word] = flags;
      return flags;
    }

    var orders = {};
    function order(key, dir) {
      var name = key + ":" + dir;
      if (orders[name]) return orders[name];
      var sign = dir === "asc" ? 1 : -1;
      var list = papers.slice();
      list.sort(function (a, b) {
        var c = 0;
        if (key === "title") c = sign * collator.compare(a.title, b.title);
        else if (key === "org") {
          // Papers without an organisation go last either way.
          c = (a.org ? 0 : 1) - (b.org ? 0 : 1) || sign * collator.compare(a.org, b.org);
        } else if (key === "date") {
          c = (a.date ? 0 : 1) - (b.date ? 0 : 1) || sign * (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);
        } else if (key === "upvotes") c = sign * (a.up - b.up);
        return c || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);
      });
      orders[name] = list;
      return list;
    }

    var state = { sort: "date", dir: "desc" };
    var matches = [];
    var shown = 0;
    var announceTimer = null;

    function readForm() {
      FIELDS.forEach(function (name) {
        var el = form.elements[name];
        state[name] = el.type === "checkbox" ? (el.checked ? "1" : "") : el.value.trim();
      });
    }

    function writeForm() {
      FIELDS.forEach(function (name) {
        var el = form.elements[name];
        if (el.type === "checkbox") el.checked = state[name] === "1";
        else el.value = state[name] || "";
      });
      // A value no option offers (a renamed theme in an old link) falls back to "any".
      readForm();
    }

    function fromUrl() {
      var params = new URLSearchParams(window.location.search);
      FIELDS.forEach(function (name) { state[name] = params.get(name) || ""; });
      var sort = params.get("sort");
      state.sort = DEFAULT_DIR[sort] ? sort : "date";
      var dir = params.get("dir");
      state.dir = dir === "asc" || dir === "desc" ? dir : DEFAULT_DIR[state.sort];
    }

    function toUrl() {
      var params = new URLSearchParams();
      FIELDS.forEach(function (name) { if (state[name]) params.set(name, state[name]); });
      if (state.sort !== "date" || state.dir !== "desc") {
        params.set("sort", state.sort);
        params.set("dir", state.dir);
      }
      var query = params.toString();
      var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      if (url !== window.location.pathname + window.location.search + window.location.hash) {
        window.history.replaceState(window.history.state, "", url);
      }
    }

    // The filters a paper fails, as FAILS and OTHER bits; 0 when it matches.
    function fails(p, words, flags, min, max) {
      var out = 0;
      if (state.theme) {
        if (state.theme === "unsorted" ? p.themes.length : !p.within[state.theme]) out |= FAILS.theme;
      }
      if (state.year && p.year !== state.year) out |= FAILS.year;
      if (state.org && p.org !== state.org) out |= FAILS.org;
      if (state.code && !p.code) return out | OTHER;
      var up = p.up < 0 ? 0 : p.up;
      if (up < min || up > max) return out | OTHER;
      for (var i = 0; i < words.length; i++) {
        if (p.text.indexOf(words[i]) < 0 && !(flags[i] && flags[i][p.n])) return out | OTHER;
      }
      return out;
    }

    // A facet's option counts the papers that every filter but that facet's keeps.
    function count(p, failed, counts) {
      if (failed & OTHER) return;
      if (!(failed & ~FAILS.theme)) {
        if (!p.themes.length) counts.theme.unsorted = (counts.theme.unsorted || 0) + 1;
        for (var id in p.within) counts.theme[id] = (counts.theme[id] || 0) + 1;
      }
      if (!(failed & ~FAILS.year)) counts.year[p.year] = (counts.year[p.year] || 0) + 1;
      if (!(failed & ~FAILS.org) && p.org) counts.org[p.org] = (counts.org[p.org] || 0) + 1;
    }

    function showCounts(counts) {
      FACETS.forEach(function (name) {
        Array.prototype.forEach.call(form.elements[name].options, function (option) {
          var label = option.getAttribute("data-label");
          if (label === null) return;
          var n = counts[name][option.value] || 0;
          var text = label + " (" + n + ")";
          if (option.textContent !== text) option.textContent = text;
          // Nothing to find there with the other filters: not offered, unless chosen.
          option.disabled = n === 0 && option.value !== state[name];
        });
      });
    }

    function number(text, fallback) {
      var n = parseInt(text, 10);
      return isNaN(n) ? fallback : n;
    }

    function cell(row, content, className) {
      var td = document.createElement("td");
      // On a phone the rows are cards: each cell says what it is (survey.css).
      var label = LABELS[row.cells.length];
      if (label) td.setAttribute("data-label", label);
      if (className) td.className = className;
      if (typeof content === "string") td.textContent = content;
      else if (content) td.appendChild(content);
      row.appendChild(td);
      return td;
    }

    function link(href, text) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      return a;
    }

    function rowOf(p) {
      var tr = document.createElement("tr");
      cell(tr, link(base + "papers/" + p.slug + "/", p.title));
      var time = null;
      if (p.date) {
        time = document.createElement("time");
        time.dateTime = p.date;
        time.textContent = p.date;
      }
      cell(tr, time, "survey-nowrap");
      cell(tr, p.org);
      cell(tr, p.up < 0 ? "" : String(p.up), "survey-num");
      var code = null;
      if (p.code) {
        code = link(p.code, "code");
        code.setAttribute("aria-label", "Code of " + p.title);
      }
      cell(tr, code);
      var td = cell(tr, null, "survey-explore__themes");
      p.themes.forEach(function (i, k) {
        if (k) td.appendChild(document.createTextNode(", "));
        td.appendChild(link(base + "themes/" + themes[i].id + "/", themes[i].title));
      });
      return tr;
    }

    function renderRows(from, to) {
      var fragment = document.createDocumentFragment();
      for (var i = from; i < to; i++) fragment.appendChild(rowOf(matches[i]));
      tbody.appendChild(fragment);
      shown = to;
      var left = matches.length - shown;
      more.hidden = left <= 0;
      more.textContent = "Show " + Math.min(BATCH, left) + " more (" + left + " not shown yet)";
    }

    function describe() {
      var text = matches.length + " of " + papers.length + " papers match.";
      if (shown < matches.length) text += " Showing the first " + shown + ".";
      return text;
    }

    function announce(now) {
      window.clearTimeout(announceTimer);
      if (now) status.textContent = describe();
      // Typing would otherwise announce every keystroke.
      else announceTimer = window.setTimeout(function () { status.textContent = describe(); }, 400);
    }

    function showSort() {
      headers.forEach(function (th) {
        if (th.getAttribute("data-sort") === state.sort) {
          th.setAttribute("aria-sort", state.dir === "asc" ? "ascending" : "descending");
        } else {
          th.removeAttribute("aria-sort");
        }
      });
    }

    function apply(typing) {
      var words = state.q.toLowerCase().split(/\s+/).filter(Boolean);
      if (words.length) loadWords();
      var flags = words.map(inAbstracts);
      var min = number(state.min, 0);
      var max = number(state.max, Infinity);
      var counts = { theme: {}, year: {}, org: {} };
      matches = [];
      order(state.sort, state.dir).forEach(function (p) {
        var failed = fails(p, words, flags, min, max);
        if (!failed) matches.push(p);
        count(p, failed, counts);
      });
      showCounts(counts);
      tbody.textContent = "";
      renderRows(0, Math.min(BATCH, matches.length));
      showSort();
      toUrl();
      announce(!typing);
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("input", function (event) {
      readForm();
      apply(event.target === form.elements.q);
    });
    form.addEventListener("change", function () {
      var before = JSON.stringify(state);
      readForm();
      if (JSON.stringify(state) !== before) apply(false);
    });
    form.addEventListener("reset", function () {
      window.setTimeout(function () { readForm(); apply(false); }, 0);
    });
    headers.forEach(function (th) {
      th.querySelector("button").addEventListener("click", function () {
        var key = th.getAttribute("data-sort");
        if (key === state.sort) state.dir = state.dir === "asc" ? "desc" : "asc";
        else {
          state.sort = key;
          state.dir = DEFAULT_DIR[key];
        }
        apply(false);
      });
    });
    // The abstracts' words arrive while the reader is still typing the first word.
    form.elements.q.addEventListener("focus", loadWords);
    more.addEventListener("click", function () {
      var first = shown;
      renderRows(shown, Math.min(shown + BATCH, matches.length));
      announce(true);
      // Keep the keyboard where the reader was: on the first newly shown paper.
      var row = tbody.rows[first];
      if (row) row.querySelector("a").focus();
    });

    fromUrl();
    writeForm();
    apply(false);
  }

  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
