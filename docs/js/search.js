/* The survey's search: a dialog over the Pagefind index that generator/search.py builds.
 *
 * Pagefind's index is split into chunks: a query fetches only the chunks of its words and
 * the fragments of the results it shows, so the first result comes quickly however large
 * the survey is. Results are written with textContent; the only markup taken from the index
 * is Pagefind's <mark> around the words that matched, rebuilt here as new elements.
 *
 * What is added to Pagefind's own answer (evaluation/search_queries.yaml judges it,
 * bench/search_eval.py measures it):
 * - A word no page has finds nothing. Pagefind answers a word it does not know with the
 *   pages of the longest indexed word it starts with ("xyzzy" finds "X", "sommelier" finds
 *   "so"), and in an index of several parts it does so in each part that lacks the word.
 *   A result is kept only if it holds every word of the query, or a near form (`near`:
 *   "reasonign" still finds "reasoning"); a word no checked result holds is dropped, as
 *   Pagefind drops a word it has no prefix of, and the reader is told.
 * - Titles first. Among the first WINDOW results, a page whose title is the query, starts
 *   with it, holds it as a phrase or holds all its words comes first, in that order; the
 *   rest keep Pagefind's order (which already weighs the title, TITLE_WEIGHT).
 * - A theme narrows the search (a Pagefind filter: a paper's themes are not its text), and
 *   "Show more" lists PAGE results more at a time.
 */
(function () {
  "use strict";

  var PAGE = 10;
  var WINDOW = 20;
  var LOAD = 60; // results whose data one query or one "Show more" loads at most
  var TITLE_WEIGHT = 10; // Pagefind's default is 5
  // Words of a query Pagefind is asked for, at most: each costs one index chunk in every
  // part of the index, rare or common, so a title of a dozen words took that many chunks
  // per part. The rarest words (by common.json, which generator/search.py writes) find the
  // page; every word of the query is still checked in each result (`has`).
  var MAX_TERMS = 5;
  var opener = document.querySelector("[data-survey-search-open]");
  if (!opener) return;
  // The dialog is written here, not in every page: without this script it does nothing,
  // and it weighed a tenth of a paper's page (docs/performance.md).
  var dialog = document.querySelector("[data-survey-search]") || build(opener);
  // Resolved once: instant navigation keeps the header but changes the page's address.
  var bundle = new URL(dialog.getAttribute("data-bundle"), document.baseURI);
  var root = new URL("../", bundle);
  var input = dialog.querySelector("input");
  var theme = dialog.querySelector("[data-survey-search-theme]");
  var list = dialog.querySelector("ol");
  var more = dialog.querySelector("[data-survey-search-more]");
  var status = dialog.querySelector("[role=status]");
  var engine = null;
  var common = {}; // word: how many records hold it, for the commonest words
  var busy = false; // a query is being answered
  var again = false; // and the box has changed since
  var answer = null; // the Answer shown

  function build(after) {
    var made = document.createElement("dialog");
    made.className = "survey-search";
    made.setAttribute("data-survey-search", "");
    made.setAttribute("data-bundle", after.getAttribute("data-bundle"));
    made.setAttribute("aria-label", "Search the survey");
    made.innerHTML = (
      '<div class="survey-search__bar" role="search">' +
      '<span class="survey-icon survey-icon--magnify" aria-hidden="true"></span>' +
      '<input type="search" class="survey-search__input" placeholder="Search titles and ' +
      'abstracts" aria-label="Search the survey" aria-describedby="survey-search-status" ' +
      'aria-controls="survey-search-results" autocomplete="off" autocapitalize="off" ' +
      'spellcheck="false">' +
      '<button type="button" class="survey-search__close md-icon" data-survey-search-close ' +
      'aria-label="Close search" title="Close (Esc)">' +
      '<span class="survey-icon survey-icon--close" aria-hidden="true"></span></button></div>' +
      '<div class="survey-search__filters"><label for="survey-search-theme">Theme</label>' +
      '<select id="survey-search-theme" class="survey-search__theme" ' +
      'data-survey-search-theme aria-controls="survey-search-results">' +
      '<option value="">All themes</option></select></div>' +
      '<p id="survey-search-status" class="survey-search__status" role="status" ' +
      'aria-live="polite"></p>' +
      '<ol id="survey-search-results" class="survey-search__results" ' +
      'aria-label="Search results"></ol>' +
      '<button type="button" class="survey-search__more" data-survey-search-more hidden>' +
      "Show more results</button>"
    );
    after.insertAdjacentElement("afterend", made);
    return made;
  }

  function load() {
    // A large survey's index comes in parts (generator/search.py, write_parts), listed in
    // parts.json beside the first; Pagefind merges them into one search.
    if (!engine) {
      var parts = fetch(new URL("parts.json", bundle).href).then(function (response) {
        return response.ok ? response.json() : [];
      }).catch(function () { return []; });
      fetch(new URL("common.json", bundle).href).then(function (response) {
        return response.ok ? response.json() : {};
      }).then(function (counts) { common = counts || {}; }).catch(function () {});
      engine = Promise.all([import(new URL("pagefind.js", bundle).href), parts])
        .then(function (loaded) {
          var pagefind = loaded[0];
          // Merged only once the first part is loaded: Pagefind's worker fails to load
          // the first part's metadata when both are asked for at once. Each part ranks
          // with the options it is given, so every part is given the same.
          var options = { excerptLength: 24, ranking: { metaWeights: { title: TITLE_WEIGHT } } };
          return Promise.resolve(pagefind.options(options)).then(function () {
            return pagefind.init();
          }).then(function () {
            return Promise.all(loaded[1].map(function (part) {
              return pagefind.mergeIndex(new URL(part, bundle).href, options);
            }));
          }).then(function () {
            themes(pagefind);
            return pagefind;
          });
        });
      engine.catch(function () {
        engine = null;
        status.textContent = "The search index could not be loaded.";
      });
    }
    return engine;
  }

  function themes(pagefind) {
    // The theme list: each theme and its number of pages, which the build writes beside
    // the index (generator/search.py, THEMES). Pagefind's own list of filter values would
    // load every part's filter index first, ahead of the reader's first query.
    return fetch(new URL("themes.json", bundle).href).then(function (response) {
      return response.ok ? response.json() : Promise.resolve(pagefind.filters()).then(
        function (filters) { return (filters && filters.theme) || {}; });
    }).then(function (counts) {
      var names = Object.keys(counts || {}).sort(function (a, b) { return a.localeCompare(b); });
      if (theme.options.length > 1) return;
      names.forEach(function (name) {
        var option = document.createElement("option");
        option.value = name;
        option.textContent = name + " (" + counts[name] + ")";
        theme.appendChild(option);
      });
    }).catch(function () { /* the search works without the list */ });
  }

  // ------------------------------------------------------------------ words and titles

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function words(text) {
    // Lowercase letters and digits: "Single-threaded" is "single", "threaded".
    return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  function parts(word) {
    // A word of a page as Pagefind indexes it: whole, and split at hyphens and case changes.
    var split = word.replace(/([a-z])([A-Z])/g, "$1 $2");
    return words(word).concat(words(word.replace(/[^\p{L}\p{N}]+/gu, "")), words(split));
  }

  function near(word, term) {
    // The same stem, give or take a late typo: Pagefind stems the query's words ("expe" is
    // "exp", "tokenization" is "token"), so the page's word starts with all of a term of up
    // to 3 letters, and with 40 % of a longer one, at least 3 letters ("x" is not "xyzzy").
    var need = term.length <= 3 ? term.length : Math.max(3, Math.ceil(0.4 * term.length));
    var n = 0;
    while (n < word.length && n < term.length && word[n] === term[n]) n++;
    return n >= need;
  }

  function held(d) {
    // The words of a result that matched, as Pagefind indexes them, and of its metadata
    // (which Pagefind searches too). Kept with the result for the locations of this query
    // (without a worker, Pagefind gives the same object to every query that finds it).
    var at = (d.locations || []).join();
    if (d.heldAt !== at) {
      var content = (d.content || "").split(/[\r\n\s]+/g);
      var out = [];
      (d.locations || []).forEach(function (i) { out = out.concat(parts(content[i] || "")); });
      Object.keys(d.meta || {}).forEach(function (key) {
        String(d.meta[key]).split(/\s+/).forEach(function (w) { out = out.concat(parts(w)); });
      });
      d.held = out;
      d.heldAt = at;
    }
    return d.held;
  }

  function has(d, word) {
    // Whether a result holds the query's word (each of its parts), or near forms of it.
    return words(word).every(function (t) {
      return held(d).some(function (w) { return near(w, t); });
    });
  }

  function same(word, term) {
    // The same word in a title, give or take a typo: one edit in 5 to 8 letters, two in
    // longer words ("compositonal" is "compositional", "reasonign" is "reasoning", but
    // "token" is not "tokenization").
    if (word === term) return true;
    var most = term.length >= 9 ? 2 : term.length >= 5 ? 1 : 0;
    if (!most || Math.abs(word.length - term.length) > most) return false;
    return edits(word, term) <= most;
  }

  function edits(a, b) {
    // Levenshtein distance, an adjacent swap counting as one edit.
    var d = [];
    for (var i = 0; i <= a.length; i++) {
      d.push([i]);
      for (var j = 1; j <= b.length; j++) {
        if (!i) { d[0].push(j); continue; }
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length][b.length];
  }

  function fit(title, query) {
    // How a title answers the query: 4 it is the query, 3 it starts with it, 2 it holds it
    // as a phrase, 1 it holds all its words, 0 none of these.
    // The query's last word may be still being typed: a title word it starts counts.
    var t = words(title);
    var q = words(query);
    if (!q.length) return 0;
    var last = q.length - 1;
    function is(x, j) {
      return same(x, q[j]) || (j === last && q[j].length >= 3 && x.indexOf(q[j]) === 0);
    }
    var at = -1;
    for (var i = 0; i + q.length <= t.length && at < 0; i++) {
      if (q.every(function (w, j) { return is(t[i + j], j); })) at = i;
    }
    if (at === 0) return q.length === t.length ? 4 : 3;
    if (at > 0) return 2;
    return q.every(function (w, j) { return t.some(function (x) { return is(x, j); }); }) ? 1 : 0;
  }

  // ------------------------------------------------------------------ asking Pagefind

  // An answer: Pagefind's results for a query, checked as their data is loaded. Pagefind
  // answers a word it does not know with a shorter word, and in an index of several parts
  // (generator/search.py) it does so in each part that does not know the word, so a result
  // is kept only if it holds every word of the query; `total` counts those kept and those
  // not checked yet.
  function Answer(found, query, note) {
    this.query = query;
    this.note = note;
    this.pending = found.results.slice();
    this.kept = [];
    this.seen = [];
    this.shown = 0;
  }

  Answer.prototype.total = function () { return this.kept.length + this.pending.length; };

  Answer.prototype.fill = function (n) {
    // Check pending results until n are kept, none are left, or LOAD more were loaded.
    var self = this;
    var budget = LOAD;
    function step() {
      if (self.kept.length >= n || !self.pending.length || budget <= 0) return self;
      var batch = self.pending.splice(0, Math.min(budget, Math.max(PAGE, n - self.kept.length)));
      budget -= batch.length;
      return Promise.all(batch.map(function (r) { return r.data(); })).then(function (loaded) {
        loaded.forEach(function (d) {
          self.seen.push(d);
          var all = !self.query || self.query.split(/\s+/).every(function (w) { return has(d, w); });
          if (all) self.kept.push(d);
        });
        return step();
      });
    }
    return Promise.resolve(step());
  };

  Answer.prototype.rank = function () {
    // Among the results checked so far, those whose titles fit the query come first.
    var query = this.query;
    var order = this.kept.map(function (d, i) {
      return [query ? fit((d.meta || {}).title || "", query) : 0, i];
    });
    order.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    var kept = this.kept;
    this.kept = order.map(function (o) { return kept[o[1]]; });
    return this;
  };

  function selective(query) {
    // The query's MAX_TERMS rarest words, in their order: a word is as rare as the rarest
    // of its parts, and a word not among the common ones is rarer than all of them.
    var all = query.split(/\s+/).filter(Boolean);
    if (all.length <= MAX_TERMS) return query;
    var held = all.map(function (w, i) {
      var n = Math.min.apply(null, words(w).map(function (t) { return common[t] || 0; }));
      return [isFinite(n) ? n : 0, i];
    });
    held.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var kept = held.slice(0, MAX_TERMS).map(function (h) { return h[1]; }).sort(function (a, b) {
      return a - b;
    });
    return kept.map(function (i) { return all[i]; }).join(" ");
  }

  function answerFor(pagefind, query, filter) {
    // The answer to a query, ranked. The query's words that no result checked holds are
    // unknown: the answer is then that of the other words, as Pagefind itself gives for a
    // word it has no prefix of (none if no word is left), with a note that says so.
    var options = filter ? { filters: { theme: filter } } : {};
    return pagefind.search(query ? selective(query) : null, options).then(function (found) {
      var answer = new Answer(found, query, "");
      return answer.fill(WINDOW).then(function () {
        var one = query && !filter && !/\s/.test(query); // nothing at all: the word is unknown
        var missing = query && answer.seen.length ? query.split(/\s+/).filter(function (w) {
          return !answer.seen.some(function (d) { return has(d, w); });
        }) : one ? [query] : [];
        if (!missing.length) return answer.rank();
        var note = "No page has " + missing.map(function (w) { return "“" + w + "”"; })
          .join(" or ") + ".";
        var rest = query.split(/\s+/).filter(function (w) { return missing.indexOf(w) < 0; });
        if (!rest.length) return new Answer({ results: [] }, "", note);
        return pagefind.search(selective(rest.join(" ")), options).then(function (second) {
          var other = new Answer(second, rest.join(" "), note + " Pages with the other words:");
          return other.fill(WINDOW).then(function () { return other.rank(); });
        });
      });
    });
  }

  // ------------------------------------------------------------------ showing results

  function excerpt(html) {
    // Pagefind gives the excerpt as HTML: the page's text, escaped, with <mark> around the
    // matched words. It is parsed inertly and rebuilt from text and <mark> elements only.
    var out = document.createElement("p");
    out.className = "survey-search__excerpt";
    var parsed = new DOMParser().parseFromString(html, "text/html").body.childNodes;
    Array.prototype.forEach.call(parsed, function (node) {
      var marked = node.nodeName === "MARK";
      var copy = marked ? document.createElement("mark") : document.createTextNode("");
      copy.textContent = node.textContent;
      out.appendChild(copy);
    });
    return out;
  }

  function item(result) {
    var meta = result.meta || {};
    var filters = result.filters || {};
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.className = "survey-search__result";
    a.href = new URL(result.url.replace(/^\//, ""), root).href;
    var title = document.createElement("span");
    title.className = "survey-search__title";
    title.textContent = meta.title || result.url;
    a.appendChild(title);
    var facts = [(filters.kind || [])[0], meta.date, meta.who, (filters.placed || []).join(" · ")]
      .filter(Boolean).join(" · ");
    if (facts) {
      var small = document.createElement("span");
      small.className = "survey-search__meta";
      small.textContent = facts;
      a.appendChild(small);
    }
    a.appendChild(excerpt(result.excerpt || ""));
    li.appendChild(a);
    return li;
  }

  function tell() {
    var n = answer.total();
    var shown = answer.shown;
    var said = n === 0 ? "No page matches." :
      n === 1 ? "1 page matches." :
      n + " pages match" + (n > shown ? "; the first " + shown + " are shown." : ".");
    status.textContent = answer.note ? answer.note + " " + said : said;
    more.hidden = shown >= n;
  }

  function showMore() {
    // The next PAGE results, after those shown; focus goes to the first of them.
    if (!answer || busy) return;
    var shown = answer.shown;
    working(true);
    answer.fill(shown + PAGE).then(function () {
      if (again) return;
      answer.kept.slice(shown, shown + PAGE).forEach(function (d) {
        list.appendChild(item(d));
      });
      answer.shown = Math.min(answer.kept.length, shown + PAGE);
      tell();
      var first = list.querySelectorAll("a")[shown];
      if (first) first.focus();
    }).catch(function () {
      status.textContent = "The search failed; try again.";
    }).then(function () {
      working(false);
      if (again) search();
    });
  }

  function working(now) {
    // While a query is answered, the list says so (aria-busy), and keystrokes wait.
    busy = now;
    if (now) list.setAttribute("aria-busy", "true");
    else if (!again) list.removeAttribute("aria-busy");
  }

  function search() {
    // One query at a time: the first keystroke is answered at once, and the keystrokes
    // that come while it is answered make one query after it, with the box as it is then.
    var query = input.value.trim();
    var filter = theme.value;
    if (busy) {
      again = true;
      if (query && engine) engine.then(function (pagefind) { pagefind.preload(selective(query)); });
      return;
    }
    if (!query && !filter) {
      answer = null;
      list.replaceChildren();
      status.textContent = "";
      more.hidden = true;
      return;
    }
    again = false;
    working(true);
    load().then(function (pagefind) {
      return answerFor(pagefind, query, filter);
    }).then(function (found) {
      if (again) return; // a newer query is waiting
      answer = found;
      answer.shown = Math.min(PAGE, answer.kept.length);
      list.replaceChildren.apply(list, answer.kept.slice(0, PAGE).map(item));
      dialog.scrollTop = 0; // a new answer is read from its first result
      tell();
    }).catch(function () {
      if (!again) status.textContent = "The search failed; try again.";
    }).then(function () {
      working(false);
      if (again) search();
    });
  }

  // ------------------------------------------------------------------ the dialog

  function open() {
    if (!dialog.open) dialog.showModal();
    input.focus();
    input.select();
    load();
  }

  function close() {
    if (dialog.open) dialog.close();
    unfocus();
  }

  function unfocus() {
    // Focus must not stay in the closed dialog, where "/" would be typed, not obeyed.
    if (dialog.contains(document.activeElement)) document.activeElement.blur();
  }

  function move(step) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    if (!more.hidden) links.push(more);
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    var next = at + step;
    if (next < 0) input.focus();
    else links[Math.min(next, links.length - 1)].focus();
  }

  input.addEventListener("input", search);
  input.addEventListener("focus", load);
  theme.addEventListener("change", search);
  more.addEventListener("click", showMore);
  // The engine and the index's metadata start loading with the page, in Pagefind's
  // worker, so that the first query waits only for the chunks of its own words. (Instant
  // navigation keeps this script running: it happens once per visit.)
  load();
  dialog.addEventListener("keydown", function (e) {
    if (e.target === theme && (e.key === "ArrowDown" || e.key === "ArrowUp")) return;
    if (e.key === "ArrowDown") { move(1); e.preventDefault(); }
    else if (e.key === "ArrowUp") { move(-1); e.preventDefault(); }
    // A search box would take the first Escape to clear itself: it closes the dialog.
    else if (e.key === "Escape") { close(); e.preventDefault(); }
    else if (e.key === "Enter" && e.target === input) {
      var first = list.querySelector("a");
      if (first) { first.click(); e.preventDefault(); }
    }
  });
  dialog.addEventListener("click", function (e) {
    if (e.target === dialog) close(); // the backdrop
    else if (e.target.closest("[data-survey-search-close]")) close();
    else if (e.target.closest("a")) close();
  });
  // The close event comes later than close(): by then the dialog may be open again.
  dialog.addEventListener("close", function () {
    if (!dialog.open) unfocus();
  });
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-survey-search-open]")) open();
  });
  document.addEventListener("keydown", function (e) {
    if (dialog.open || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && !dialog.contains(t) &&
        (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (e.key === "/" || e.key === "s" || e.key === "f") { open(); e.preventDefault(); }
  });
})();
