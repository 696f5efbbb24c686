"""Diagrams in a real browser (Voila + Debian's Chromium): cited tooltips, find-in-page, the dark
theme, and the presenter screen at 1920x1080 and 1280x720 with nothing fetched off the machine.

No timing is asserted here; click-to-paint latency is measured by ``make bench``.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mechlib import data, graph

pytestmark = pytest.mark.browser

PRESENTER = "08_mechanism_explorer.ipynb"
LOCAL = ("http://127.0.0.1", "data:", "blob:", "about:")


def open_executed(page: Page, server, name: str, theme: str = "light") -> list[str]:
    """Open ``name`` in Voila and wait until every cell has run; return off-machine requests."""
    remote: list[str] = []
    page.on("request", lambda r: remote.append(r.url) if not r.url.startswith(LOCAL) else None)
    page.goto(server.page_url(f"voila/render/{name}?theme={theme}"), wait_until="commit")
    expect(page.locator("#loading")).to_have_count(0, timeout=180_000)
    return remote


def test_every_node_and_edge_has_a_tooltip_with_its_evidence(web_page: Page, voila_server) -> None:
    open_executed(web_page, voila_server, PRESENTER)
    svg = web_page.locator(".mechlib-present .mechlib-figure svg").first
    expect(svg).to_be_visible()
    tips = svg.evaluate("""s => Object.fromEntries([...s.querySelectorAll('g.node[id], g.edge[id]')]
        .map(g => [g.id, g.querySelector(':scope > title')?.textContent || '']))""")
    g, ds = graph.view("combined"), data.load()
    assert {k for k in tips if k.startswith("n-")} == {f"n-{n}" for n in g}
    for n, label in g.nodes(data="label"):
        assert tips[f"n-{n}"].startswith(label) and "State: " in tips[f"n-{n}"], n
    for u, v, k, d in g.edges(keys=True, data=True):
        tip = tips[f"e-{u}-{v}-{k}"]
        assert f"Status: {d['status']}" in tip
        for key in d["references"]:
            assert ds.reference(key).citation in tip, (u, v, key)
    links = svg.evaluate("s => [...s.querySelectorAll('a')].map(a => a.getAttribute('href'))")
    assert len(links) == g.number_of_edges() - sum(
        1 for *_, d in g.edges(data=True) if not (ds.reference(d["references"][0]).doi
                                                   or ds.reference(d["references"][0]).pmid
                                                   or ds.reference(d["references"][0]).url))
    assert all(h.startswith(("https://doi.org/", "https://pubmed.ncbi.nlm.nih.gov/", "http"))
               for h in links)


def test_find_in_page_finds_nmda_receptor_in_lesson_01s_diagram(web_page: Page, voila_server) -> None:
    open_executed(web_page, voila_server, "01_neurons_and_synapses.ipynb")
    expect(web_page.locator(".mechlib-figure svg").first).to_be_attached()
    hit = web_page.evaluate("""() => {
        const found = [];
        window.getSelection().removeAllRanges();
        while (window.find('NMDA receptor', false, false, false)) {
            const n = window.getSelection().anchorNode;
            const el = n.nodeType === 1 ? n : n.parentElement;
            found.push(!!el.closest('svg.mechlib-diagram'));
            if (found.length > 200) break;
        }
        return found;
    }""")
    assert any(hit), f"find-in-page found 'NMDA receptor' {len(hit)} times, never in a diagram"


def test_dark_theme_gives_dark_figures(web_page: Page, voila_server) -> None:
    open_executed(web_page, voila_server, PRESENTER, theme="dark")
    svg = web_page.locator(".mechlib-present .mechlib-figure svg").first
    expect(svg).to_be_visible()
    paper, ink = svg.evaluate("""s => [getComputedStyle(s.querySelector('.paper')).fill,
        getComputedStyle(s.querySelector('.cluster text')).fill]""")

    def luminance(css: str) -> float:
        r, g, b = (int(x) for x in css[css.index("(") + 1:css.index(")")].split(",")[:3])
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    assert luminance(paper) < 60, paper
    assert luminance(ink) > 150, ink


@pytest.mark.parametrize("width, height", [(1920, 1080), (1280, 720)])
def test_presenter_screen_fits_the_window_and_stays_on_the_machine(chromium, voila_server, width,
                                                                   height) -> None:
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        remote = open_executed(page, voila_server, PRESENTER)
        box = page.locator(".mechlib-present").first
        expect(box).to_be_visible()
        geo = box.evaluate("""b => {
            const r = e => { const q = e.getBoundingClientRect();
                             return [q.left, q.top, q.right, q.bottom]; };
            const svg = b.querySelector('.mechlib-figure svg');
            const labels = [...svg.querySelectorAll('g.node text')]
                .map(t => t.getBoundingClientRect().height / t.querySelectorAll('tspan').length);
            return {svg: r(svg), controls: [...b.querySelectorAll(
                        '.widget-dropdown, .widget-toggle-button, .widget-checkbox, button')]
                        .map(r), verdict: r(b.querySelector('.mechlib-readout')),
                    label: Math.min(...labels)};
        }""")

        def inside(rect) -> bool:
            x0, y0, x1, y1 = rect
            return x0 >= 0 and y0 >= 0 and x1 <= width + 0.5 and y1 <= height + 0.5

        assert inside(geo["svg"]), geo["svg"]
        assert geo["controls"] and all(inside(c) for c in geo["controls"]), geo["controls"]
        assert geo["verdict"][1] < height - 40  # the verdict starts on screen, beside the diagram
        if width == 1920:
            assert geo["label"] >= 24, f"node labels are {geo['label']:.1f} px tall"
        assert remote == [], f"requests left the machine: {remote}"
    finally:
        context.close()
