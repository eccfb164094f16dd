/* The survey's search: a dialog over the Pagefind index that generator/search.py builds.
 *
 * Pagefind's index is split into chunks: a query fetches only the chunks of its words and
 * the fragments of the results it shows, so the first result comes quickly however large
 * the survey is. Results are written with textContent; the only markup taken from the index
 * is Pagefind's <mark> around the words that matched, rebuilt here as new elements.
 */
(function () {
  "use strict";

  var SHOWN = 10;
  var dialog = document.querySelector("[data-survey-search]");
  if (!dialog) return;
  // Resolved once: instant navigation keeps the header but changes the page's address.
  var bundle = new URL(dialog.getAttribute("data-bundle"), document.baseURI);
  var root = new URL("../", bundle);
  var input = dialog.querySelector("input");
  var list = dialog.querySelector("ol");
  var status = dialog.querySelector("[role=status]");
  var engine = null;
  var busy = false; // a query is being answered
  var again = false; // and the box has changed since

  function load() {
    // A large survey's index comes in parts (generator/search.py, write_parts), listed in
    // parts.json beside the first; Pagefind merges them into one search.
    if (!engine) {
      var parts = fetch(new URL("parts.json", bundle).href).then(function (response) {
        return response.ok ? response.json() : [];
      }).catch(function () { return []; });
      engine = Promise.all([import(new URL("pagefind.js", bundle).href), parts])
        .then(function (loaded) {
          var pagefind = loaded[0];
          // Merged only once the first part is loaded: Pagefind's worker fails to load
          // the first part's metadata when both are asked for at once.
          return Promise.resolve(pagefind.options({ excerptLength: 24 })).then(function () {
            return pagefind.init();
          }).then(function () {
            return Promise.all(loaded[1].map(function (part) {
              return pagefind.mergeIndex(new URL(part, bundle).href);
            }));
          }).then(function () { return pagefind; });
        });
      engine.catch(function () {
        engine = null;
        status.textContent = "The search index could not be loaded.";
      });
    }
    return engine;
  }

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
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.className = "survey-search__result";
    a.href = new URL(result.url.replace(/^\//, ""), root).href;
    var title = document.createElement("span");
    title.className = "survey-search__title";
    title.textContent = meta.title || result.url;
    a.appendChild(title);
    var facts = [meta.kind, meta.date, meta.who, meta.themes].filter(Boolean).join(" · ");
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

  function search() {
    // One query at a time: the first keystroke is answered at once, and the keystrokes
    // that come while it is answered make one query after it, with the box as it is then.
    var query = input.value.trim();
    if (busy) {
      again = true;
      if (query && engine) engine.then(function (pagefind) { pagefind.preload(query); });
      return;
    }
    if (!query) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    busy = true;
    again = false;
    load().then(function (pagefind) {
      return pagefind.search(query);
    }).then(function (found) {
      if (again || !found) return null; // a newer query is waiting
      return Promise.all(found.results.slice(0, SHOWN).map(function (r) {
        return r.data();
      })).then(function (shown) {
        if (again) return;
        list.replaceChildren.apply(list, shown.map(item));
        var n = found.results.length;
        status.textContent = n === 0 ? "No page matches." :
          n === 1 ? "1 page matches." :
          n + " pages match" + (n > SHOWN ? ", the first " + SHOWN + " are shown." : ".");
      });
    }).catch(function () {
      if (!again) status.textContent = "The search failed; try again.";
    }).then(function () {
      busy = false;
      if (again) search();
    });
  }

  function move(step) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    var next = at + step;
    if (next < 0) input.focus();
    else links[Math.min(next, links.length - 1)].focus();
  }

  input.addEventListener("input", search);
  input.addEventListener("focus", load);
  // The engine and the index's metadata start loading with the page, in Pagefind's
  // worker, so that the first query waits only for the chunks of its own words. (Instant
  // navigation keeps this script running: it happens once per visit.)
  load();
  dialog.addEventListener("keydown", function (e) {
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
