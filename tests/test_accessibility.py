"""axe-core, injected into the home page, a top-level and a leaf theme, a paper, About, the
overview of all themes, Explore and the map, finds no serious or critical accessibility
violation, in the light and the dark palette."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
SHOWN_NODES = 3


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} node(s))")
        lines.append(f"    {v['helpUrl']}")
        for node in v["nodes"][:SHOWN_NODES]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    at {node['target']}: {node['html'][:160]}")
            if summary:
                lines.append(f"       {summary[:300]}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def pages(survey) -> dict[str, str]:
    theme = survey.taxonomy.roots[0]
    paper = next(p for p in survey.corpus.papers if p.title.startswith("DeepSeek-R1 Thoughtology"))
    leaf = next(t.id for t in survey.taxonomy.themes if not t.children)
    return {
        "home": "",
        "theme": f"themes/{theme}/",
        "leaf theme": f"themes/{leaf}/",
        "paper": f"papers/{paper.slug}/",
        "about": "about/",
        "all themes": "themes/",
        "explore": "explore/",
        "map": "map/",
    }


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "which", ["home", "theme", "leaf theme", "paper", "about", "all themes", "explore", "map"]
)
def test_no_serious_axe_violations(which, scheme, pages, new_page, site_url, axe_script):
    page = new_page(color_scheme=scheme)
    url = site_url + pages[which]
    page.goto(url)
    page.wait_for_load_state("networkidle")
    expected = "slate" if scheme == "dark" else "default"
    assert page.evaluate("() => document.body.dataset.mdColorScheme") == expected
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate(
        """async () => {
          const r = await axe.run(document, {resultTypes: ['violations']});
          return r.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
            nodes: v.nodes.map(n => ({target: n.target, html: n.html,
                                      failureSummary: n.failureSummary}))}));
        }"""
    )
    blocking = [v for v in result if v["impact"] in BLOCKING]
    assert not blocking, (
        f"axe finds {len(blocking)} serious/critical violation(s) on {which} ({url}, "
        f"{scheme}):\n{describe(blocking)}"
    )
