/* The map of papers (generator/charts.py draws it; nothing on other pages).
 *
 * A tooltip with a paper's title and theme shows on hover, on focus and on a tap; a tap
 * picks the nearest point within NEAR pixels (the points are too small and too close for
 * a finger), and the tooltip then holds a link to the paper. The map is one tab stop: the
 * arrow keys move to the nearest point in their direction, Enter opens it. A theme picked
 * in the legend fades the other points. Region names that would run into a larger
 * region's are hidden. Everything is written with textContent.
 */
(function () {
  "use strict";

  var NEAR = 24;
  var XLINK = "http://www.w3.org/1999/xlink";
  var KEYS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  // The open page's map, for the one resize listener (instant navigation swaps pages).
  var refit = null;
  var resizing = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(function () {
      if (refit && document.body.contains(refit.root)) refit.run();
    }, 150);
  });

  function init() {
    var root = document.getElementById("survey-map");
    if (!root || root.getAttribute("data-ready")) return;
    root.setAttribute("data-ready", "1");
    var svg = root.querySelector("svg.survey-map");
    var frame = root.querySelector(".survey-map__frame");
    var tip = document.getElementById("map-tip");
    var status = document.getElementById("map-status");
    var buttons = Array.prototype.slice.call(root.querySelectorAll(".survey-map-legend__toggle"));
    var names = {};
    buttons.forEach(function (b) {
      names[b.getAttribute("data-group")] = b.querySelector(".survey-map-legend__name").textContent;
    });
    var drawn = Array.prototype.slice.call(svg.querySelectorAll("a"));
    // Each point's title becomes its name: the browser's own tooltip would double ours.
    var points = drawn.map(function (a) {
      var title = a.querySelector("title");
      var label = title ? title.textContent : "";
      if (title) title.parentNode.removeChild(title);
      a.setAttribute("aria-label", label);
      // What Chrome makes it: said aloud, for checkers that do not read xlink:href.
      a.setAttribute("role", "link");
      var group = a.getAttribute("data-group");
      var suffix = " (" + (names[group] || "") + ")";
      var box = a.firstElementChild.getBBox();
      return {
        a: a,
        group: group,
        title: label.slice(-suffix.length) === suffix ? label.slice(0, -suffix.length) : label,
        x: box.x + box.width / 2,
        y: box.y + box.height / 2,
      };
    });
    var byLink = new Map(points.map(function (p) { return [p.a, p]; }));
    var active = null;
    var shown = null;
    var touched = 0;

    function live(p) { return !active || p.group === active; }

    function place(p) {
      var f = frame.getBoundingClientRect();
      var m = svg.getScreenCTM();
      var x = m.a * p.x + m.e - f.left;
      var y = m.d * p.y + m.f - f.top;
      var w = tip.offsetWidth;
      var h = tip.offsetHeight;
      tip.style.left = Math.max(0, Math.min(x - w / 2, f.width - w)) + "px";
      tip.style.top = (y - h - 14 >= 0 ? y - h - 14 : y + 14) + "px";
    }

    function show(p, withLink) {
      if (shown && shown !== p) shown.a.classList.remove("is-current");
      shown = p;
      p.a.classList.add("is-current");
      tip.textContent = "";
      var title = document.createElement("strong");
      title.textContent = p.title;
      tip.appendChild(title);
      var theme = document.createElement("span");
      theme.textContent = names[p.group] || "";
      tip.appendChild(theme);
      if (withLink) {
        var open = document.createElement("a");
        open.href = new URL(p.a.getAttributeNS(XLINK, "href"), window.location.href).href;
        open.textContent = "Open the paper";
        tip.appendChild(open);
      }
      tip.hidden = false;
      place(p);
    }

    function hide() {
      if (shown) shown.a.classList.remove("is-current");
      shown = null;
      tip.hidden = true;
    }

    // The live point nearest to a place on the screen, if within NEAR pixels of it.
    function nearest(clientX, clientY) {
      var m = svg.getScreenCTM();
      var best = null;
      var limit = NEAR / m.a;
      var x = (clientX - m.e) / m.a;
      var y = (clientY - m.f) / m.d;
      points.forEach(function (p) {
        var d = Math.hypot(p.x - x, p.y - y);
        if (live(p) && d <= limit) { best = p; limit = d; }
      });
      return best;
    }

    // The nearest live point in a direction: ahead of `from`, as little aside as may be.
    function step(from, d) {
      var best = null;
      var score = Infinity;
      points.forEach(function (p) {
        if (p === from || !live(p)) return;
        var dx = p.x - from.x;
        var dy = p.y - from.y;
        var ahead = dx * d[0] + dy * d[1];
        if (ahead <= 0) return;
        var s = ahead + 2 * Math.abs(dx * d[1] - dy * d[0]);
        if (s < score) { best = p; score = s; }
      });
      return best;
    }

    function focusOn(p) {
      points.forEach(function (q) { if (q !== p) q.a.setAttribute("tabindex", "-1"); });
      p.a.setAttribute("tabindex", "0");
      p.a.focus();
    }

    // On the frame, not the <svg>: Chrome makes an SVG element with a focus or key
    // listener a tab stop of its own.
    frame.addEventListener("pointerover", function (event) {
      var p = byLink.get(event.target.closest("a"));
      if (p && event.pointerType === "mouse" && live(p)) show(p, false);
    });
    frame.addEventListener("pointerout", function (event) {
      var p = byLink.get(event.target.closest("a"));
      if (p && event.pointerType === "mouse" && p === shown && document.activeElement !== p.a) hide();
    });
    frame.addEventListener("focusin", function (event) {
      var p = byLink.get(event.target.closest("a"));
      if (!p) return;
      points.forEach(function (q) { if (q !== p) q.a.setAttribute("tabindex", "-1"); });
      p.a.setAttribute("tabindex", "0");
      show(p, false);
    });
    frame.addEventListener("focusout", function (event) {
      if (!frame.contains(event.relatedTarget)) hide();
    });
    frame.addEventListener("keydown", function (event) {
      var p = byLink.get(event.target.closest("a"));
      if (!p) return;
      if (event.key === "Escape") { hide(); return; }
      var d = KEYS[event.key];
      if (!d) return;
      event.preventDefault();
      var next = step(p, d);
      if (next) focusOn(next);
    });
    // A tap shows the nearest point's title and a link to it, instead of leaving the page.
    frame.addEventListener("pointerdown", function (event) {
      touched = event.pointerType === "touch" ? Date.now() : 0;
    }, true);
    frame.addEventListener("click", function (event) {
      if (tip.contains(event.target) || Date.now() - touched > 1000) return;
      event.preventDefault();
      event.stopPropagation();
      var p = nearest(event.clientX, event.clientY);
      if (p) show(p, true);
      else hide();
    }, true);
    root.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && shown) hide();
    });

    function highlight(group) {
      active = group;
      hide();
      var count = 0;
      buttons.forEach(function (b) {
        b.setAttribute("aria-pressed", String(b.getAttribute("data-group") === group));
      });
      // The picked theme's points are drawn last, over the others; then as they were.
      drawn.forEach(function (a) { svg.appendChild(a); });
      points.forEach(function (p) {
        var on = live(p);
        p.a.classList.toggle("is-faded", !on);
        if (group && on) { svg.appendChild(p.a); count++; }
      });
      svg.classList.toggle("is-highlighting", !!group);
      // The map's one tab stop moves to a point still shown.
      var stop = points.filter(function (p) { return p.a.getAttribute("tabindex") === "0"; })[0];
      var first = points.filter(live)[0];
      if (stop && !live(stop) && first) {
        stop.a.setAttribute("tabindex", "-1");
        first.a.setAttribute("tabindex", "0");
      }
      status.textContent = group
        ? "Showing the " + count + " papers of " + names[group] + "; select it again to show all."
        : "Showing all papers. Select a theme to pick out its papers.";
    }
    buttons.forEach(function (b) {
      b.addEventListener("click", function () {
        var group = b.getAttribute("data-group");
        highlight(active === group ? null : group);
      });
    });

    // A region's name that runs into a larger region's (listed before it) is hidden.
    var labels = Array.prototype.slice.call(root.querySelectorAll(".survey-map__regions li"));
    function fitLabels() {
      var kept = [];
      var f = frame.getBoundingClientRect();
      labels.forEach(function (li) {
        li.hidden = false;
        li.style.marginLeft = "";
        var r = li.getBoundingClientRect();
        // Kept inside the map: a name near its edge moves in.
        var shift = Math.max(f.left - r.left, 0) - Math.max(r.right - f.right, 0);
        if (shift) {
          li.style.marginLeft = shift + "px";
          r = li.getBoundingClientRect();
        }
        var clash = kept.some(function (k) {
          return r.left < k.right + 4 && r.right + 4 > k.left && r.top < k.bottom + 2 && r.bottom + 2 > k.top;
        });
        if (clash) li.hidden = true;
        else kept.push(r);
      });
    }
    refit = { root: root, run: function () { fitLabels(); if (shown) place(shown); } };
    fitLabels();
  }

  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
