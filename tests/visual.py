"""What a reader sees, measured in the browser: WCAG contrast from computed colours, and the
size text is drawn at. Each constant is a JavaScript function for ``page.evaluate``."""

from __future__ import annotations

# Helpers defined once per page: window.__v.contrast(fg, bg), .background(el), .parse(css).
HELPERS = """() => {
  if (window.__v) return;
  const parse = (css) => {
    const m = (css || '').match(/-?[\\d.]+/g);
    if (!m || m.length < 3 || css.startsWith('url')) return null;
    const [r, g, b] = m.slice(0, 3).map(Number);
    return [r, g, b, m.length > 3 ? Number(m[3]) : 1];
  };
  const over = (top, under) => {
    const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)).concat([1]);
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  // The colour behind an element: its own and its ancestors' backgrounds, composited.
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let out = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) out = over(layers[i], out);
    return out;
  };
  const contrast = (fg, bg) => {
    const a = lum(over(fg, bg)), b = lum(bg);
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  };
  window.__v = { parse, over, background, contrast };
}"""


def install(page) -> None:
    """Define the helpers on the page (again after each navigation)."""
    page.evaluate(HELPERS)


# The size each visible SVG <text> of `selector` is drawn at, in CSS pixels: its computed
# font size times the scale of the SVG's user space on the screen.
SVG_TEXT_SIZES = """(selector) => {
  const svg = document.querySelector(selector);
  const scale = svg.getScreenCTM().a;
  return Array.from(svg.querySelectorAll('text'))
    .filter(t => getComputedStyle(t).display !== 'none')
    .map(t => {
      const r = t.getBoundingClientRect();
      return {text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale,
              left: r.left, right: r.right, top: r.top, bottom: r.bottom};
    });
}"""
