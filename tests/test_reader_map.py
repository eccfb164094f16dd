"""The map as a reader meets it, in Chromium at 1280 and 375 px: its regions are named in
legible text that does not overlap, the legend sits beside it (above it on a phone) and
picks out a theme's points, a tooltip shows on hover, on focus and on a tap near a point,
the points are big enough to tap on a phone, and the keyboard passes the map in one tab
stop and moves in it with the arrow keys. axe finds nothing serious in either scheme."""

from __future__ import annotations

import pytest
from test_explore import assert_no_blocking_violations

pytestmark = pytest.mark.browser

PHONE = 375
MIN_TEXT_PX = 11
MIN_TARGET_PX = 24
TAP_MISS = 16
"""How far from a point's centre a tap still picks it, in CSS pixels."""
MAP = "svg.survey-map"
BEFORE_TAB_STOPS = 382
"""Tab stops of the map page before, 349 of them its points (measured on the seed site)."""

# Every visible point's centre and drawn size on the screen, with its name and theme.
POINTS = """() => Array.from(document.querySelectorAll('svg.survey-map a')).map(a => {
  const r = a.firstElementChild.getBoundingClientRect();
  return {x: r.left + r.width / 2, y: r.top + r.height / 2, size: Math.max(r.width, r.height),
          label: a.getAttribute('aria-label'), group: a.getAttribute('data-group')};
})"""


def open_map(new_page, site_url: str, width: int = 1280, scheme: str = "light", **kw):
    page = new_page(width=width, height=800 if width > PHONE else 740, color_scheme=scheme, **kw)
    page.goto(site_url + "map/")
    page.wait_for_selector("#survey-map[data-ready]")
    return page


def boxes(page, selector: str) -> list[dict]:
    return page.eval_on_selector_all(
        selector,
        """els => els.filter(e => getComputedStyle(e).display !== 'none').map(e => {
             const r = e.getBoundingClientRect();
             return {text: e.textContent, left: r.left, right: r.right, top: r.top,
                     bottom: r.bottom, px: parseFloat(getComputedStyle(e).fontSize)};
           })""",
    )


def overlap(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and (b["top"] < a["bottom"])
    )


@pytest.mark.parametrize("width", [PHONE, 1280])
def test_regions_are_named_legibly(new_page, site_url, width) -> None:
    page = open_map(new_page, site_url, width)
    frame = page.locator(".survey-map__frame").bounding_box()
    labels = boxes(page, ".survey-map__regions li")
    assert len(labels) >= 3, labels
    for label in labels:
        assert label["px"] >= MIN_TEXT_PX, label
        assert frame["x"] - 1 <= label["left"] and label["right"] <= frame["x"] + frame["width"] + 1
        assert label["text"].strip()
    assert not [(a["text"], b["text"]) for a, b in pairs(labels) if overlap(a, b)]


def pairs(items: list[dict]) -> list[tuple[dict, dict]]:
    return [(a, b) for i, a in enumerate(items) for b in items[i + 1 :]]


def test_the_legend_sits_beside_the_map_or_above_on_a_phone(new_page, site_url) -> None:
    page = open_map(new_page, site_url, 1280)
    svg = page.locator(MAP).bounding_box()
    legend = page.locator(".survey-map-legend").bounding_box()
    assert legend["x"] >= svg["x"] + svg["width"], (legend, svg)
    assert svg["y"] <= legend["y"] + 80 and legend["y"] < svg["y"] + svg["height"]
    phone = open_map(new_page, site_url, PHONE)
    svg = phone.locator(MAP).bounding_box()
    legend = phone.locator(".survey-map-legend").bounding_box()
    assert legend["y"] + legend["height"] <= svg["y"], (legend, svg)
    # Legend and map both start on the first screen of the phone.
    assert svg["y"] < 740 - 100, svg


def test_a_theme_picked_in_the_legend_is_highlighted(new_page, site_url, survey) -> None:
    page = open_map(new_page, site_url)
    points = page.evaluate(POINTS)
    group = "multimodal"
    mine = sum(1 for p in points if p["group"] == group)
    assert 0 < mine < len(points)
    button = page.locator(f'.survey-map-legend__toggle[data-group="{group}"]')
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    faded = page.eval_on_selector_all(
        f"{MAP} a",
        """as => as.map(a => [a.getAttribute('data-group'),
                              Number(getComputedStyle(a.firstElementChild).opacity)])""",
    )
    assert all((op == 1) == (g == group) for g, op in faded), faded
    assert all(op <= 0.2 for g, op in faded if g != group)
    assert f"Showing the {mine} papers of" in page.locator("#map-status").inner_text()
    button.click()
    assert button.get_attribute("aria-pressed") == "false"
    assert page.locator(f"{MAP} a.is-faded").count() == 0


def tip(page) -> str:
    assert page.locator("#map-tip").is_visible()
    return page.locator("#map-tip").inner_text()


def test_the_tooltip_shows_on_hover_and_on_focus(new_page, site_url) -> None:
    page = open_map(new_page, site_url)
    point = page.evaluate(POINTS)[10]
    page.mouse.move(point["x"], point["y"])
    assert tip(page).startswith(point["label"].rsplit(" (", 1)[0])
    page.mouse.move(5, 5)
    assert not page.locator("#map-tip").is_visible()
    page.locator(f'{MAP} a[tabindex="0"]').focus()
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert tip(page).startswith(focused.rsplit(" (", 1)[0])
    # The browser's own tooltip would double it: the titles became the points' names.
    assert page.locator(f"{MAP} a title").count() == 0


def reach(points: list[dict], offset: float) -> tuple[dict, float, float]:
    """A point, and a place `offset` pixels from its centre that is nearer to it than to
    any other point: where a finger that misses it by that much lands."""
    for p in points:
        for dx, dy in [(1, 0), (-1, 0), (0, 1), (0, -1), (0.7, 0.7), (-0.7, 0.7), (0.7, -0.7)]:
            x, y = p["x"] + dx * offset, p["y"] + dy * offset
            if all(
                q is p or (q["x"] - x) ** 2 + (q["y"] - y) ** 2 > (offset + 2) ** 2 for q in points
            ):
                return p, x, y
    raise AssertionError(f"no point can be reached from {offset} px away")


def test_a_tap_near_a_point_shows_its_title_and_a_link(new_page, site_url) -> None:
    page = open_map(new_page, site_url, PHONE, has_touch=True)
    page.locator(MAP).scroll_into_view_if_needed()
    points = page.evaluate(POINTS)
    # Drawn larger on a phone, and picked from TAP_MISS px away: a target wider than 24 px
    # (Chrome's own touch adjustment reaches about 12 px, not 16: measured).
    sizes = sorted(p["size"] for p in points)
    assert sizes[len(sizes) // 2] >= 6, sizes[:5]
    point, x, y = reach(points, TAP_MISS)
    before = page.url
    page.touchscreen.tap(x, y)
    assert tip(page).startswith(point["label"].rsplit(" (", 1)[0])
    assert page.url == before, "a tap on the map must not leave the page"
    link = page.locator("#map-tip a")
    box = link.bounding_box()
    assert box and box["height"] >= MIN_TARGET_PX
    link.tap()
    page.wait_for_url("**/papers/**")


def test_the_map_is_one_tab_stop_and_the_arrows_move_in_it(new_page, site_url) -> None:
    page = open_map(new_page, site_url)
    stops = []
    for _ in range(BEFORE_TAB_STOPS + 5):
        page.keyboard.press("Tab")
        where = page.evaluate(
            """() => { const e = document.activeElement;
                 return [e.tagName, !!e.closest('svg.survey-map'), e === document.body]; }"""
        )
        if where[2]:
            break
        stops.append(where)
    in_map = [s for s in stops if s[1]]
    assert len(in_map) == 1 and in_map[0][0] == "a", in_map
    assert len(stops) < 60, f"{len(stops)} tab stops on the map page (was {BEFORE_TAB_STOPS})"
    page.locator(f'{MAP} a[tabindex="0"]').focus()
    first = page.evaluate("document.activeElement.getAttribute('aria-label')")
    seen = {first}
    for key in ["ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp"]:
        page.keyboard.press(key)
        seen.add(page.evaluate("document.activeElement.getAttribute('aria-label')"))
    assert len(seen) >= 3, seen
    assert page.locator(f'{MAP} a[tabindex="0"]').count() == 1
    name = page.evaluate("document.activeElement.getAttribute('aria-label')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/papers/**")
    heading = page.locator(".md-content h1").inner_text().rstrip("¶").strip()
    assert name.startswith(heading + " (")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_map_page_is_accessible(new_page, site_url, axe_script, scheme) -> None:
    page = open_map(new_page, site_url, scheme=scheme)
    page.locator(f'{MAP} a[tabindex="0"]').focus()  # with its tooltip shown
    page.locator('.survey-map-legend__toggle[data-group="multimodal"]').click()
    page.add_script_tag(path=str(axe_script))
    assert_no_blocking_violations(page)
    assert not page.errors, page.errors
