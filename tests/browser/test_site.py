"""`make html`: the static site renders every lesson and needs no network.

The site is built into a temporary folder with scripts/build_site.py (what `make html` runs). The
non-browser checks read the pages; the browser check opens them over file:// with every non-local
request aborted, as on a classroom machine with no internet, and looks for rendered figures.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
NODE_MODULES = REPO / "node_modules"
BUILD_SCRIPT = REPO / "scripts" / "build_site.py"
IN_CI = os.environ.get("CI", "").lower() == "true"


def load_script(name: str):
    path = REPO / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"mechlib_scripts_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_site = load_script("build_site")


def ensure_node_modules() -> None:
    """Install the pinned npm packages once, as `make html` does (needs the npm registry once)."""
    stamp = NODE_MODULES / ".package-lock.json"  # written by npm; older than the lock file = stale
    installed = all((NODE_MODULES / pkg / "package.json").is_file() for pkg, _, _ in build_site.ASSETS)
    lock = REPO / "package-lock.json"
    if installed and stamp.is_file() and stamp.stat().st_mtime >= lock.stat().st_mtime:
        return
    npm = shutil.which("npm")
    if npm is None:
        msg = "`make html` needs npm once to fetch its pinned JavaScript (apt-get install npm)"
        if IN_CI:
            pytest.fail(f"CI=true and {msg}", pytrace=False)
        pytest.skip(msg)
    subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL, timeout=600)


def build(notebooks: Path, out: Path, *extra: str) -> Path:
    ensure_node_modules()
    subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--notebooks", str(notebooks), "--out", str(out), *extra],
        check=True, cwd=REPO, capture_output=True, text=True, timeout=900,
    )
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site `make html` builds, from the committed lessons."""
    return build(NOTEBOOKS, tmp_path_factory.mktemp("site") / "site")


@pytest.fixture(scope="module")
def contract_notebooks(tmp_path_factory: pytest.TempPathFactory, ui) -> Path:
    """A contract explorer executed by scripts/run_notebooks.py, exactly as `make notebooks` does."""
    folder = tmp_path_factory.mktemp("contract")
    nb = ui.write_contract_notebook(folder / "harness_check.ipynb")
    load_script("run_notebooks").run(nb)
    return folder


class _Refs(HTMLParser):
    """Every URL a page would fetch by itself: script src, link href (stylesheets), img src."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.loads.append(("script", a["src"]))
        elif tag == "link" and a.get("href") and "stylesheet" in (a.get("rel") or "") + (a.get("as") or ""):
            self.loads.append(("stylesheet", a["href"]))
        elif tag in ("img", "iframe", "source", "audio", "video") and a.get("src"):
            self.loads.append((tag, a["src"]))


def remote(url: str) -> bool:
    return url.strip().lower().startswith(("http:", "https:", "//"))


def pages(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.html"))


def test_site_has_every_lesson_and_an_index(site: Path) -> None:
    lessons = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
    assert sorted(p.stem for p in pages(site) if p.stem != "index") == lessons
    index = (site / "index.html").read_text(encoding="utf-8")
    for stem in lessons:
        assert f'href="{stem}.html"' in index, f"index.html does not link {stem}.html"


@pytest.mark.parametrize("which", ["lessons", "contract"])
def test_pages_load_nothing_remote(which: str, site: Path, request: pytest.FixtureRequest,
                                   tmp_path: Path) -> None:
    folder = site if which == "lessons" else build(request.getfixturevalue("contract_notebooks"),
                                                   tmp_path / "site")
    for page in pages(folder):
        text = page.read_text(encoding="utf-8")
        parser = _Refs()
        parser.feed(text)
        bad = [(kind, url) for kind, url in parser.loads if remote(url)]
        assert not bad, f"{page.name} loads remote resources: {bad}"
        assert not build_site.remote_references(text), f"{page.name}: {build_site.remote_references(text)}"
        for cdn in ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "unpkg.com"):
            assert cdn not in text, f"{page.name} mentions {cdn}"
        for _kind, url in parser.loads:  # every local file a page loads was copied into the site
            if not url.startswith(("data:", "#")):
                assert (folder / url.split("#")[0].split("?")[0]).is_file(), f"{page.name}: missing {url}"


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_lesson_saved_with_widget_state(path: Path) -> None:
    """Every widget view in a committed lesson has its state saved, or the static page is blank."""
    nb = nbformat.read(path, as_version=4)
    missing = build_site.widget_problems(nb)
    assert not missing, (
        f"{path.name}: {len(missing)} widget view(s) have no saved state; re-run `make notebooks` "
        "(scripts/run_notebooks.py stores widget state)"
    )


def test_run_notebooks_stores_widget_state(contract_notebooks: Path) -> None:
    nb = nbformat.read(contract_notebooks / "harness_check.ipynb", as_version=4)
    state = nb.metadata.get("widgets", {}).get(build_site.WIDGET_STATE, {}).get("state", {})
    assert state, "scripts/run_notebooks.py saved no widget state"
    assert not build_site.widget_problems(nb)
    outputs = [m["state"].get("outputs", []) for m in state.values() if m["model_name"] == "OutputModel"]
    assert any("image/png" in o.get("data", {}) for outs in outputs for o in outs), (
        "the Output widget's figure is not in the saved state"
    )


# --------------------------------------------------------------------------- in a browser, offline


def open_offline(page, url: str) -> tuple[list[str], list[str]]:
    """Open a file:// URL with every non-local request aborted; return (remote tried, local failed)."""
    tried_remote: list[str] = []
    failed_local: list[str] = []

    def route(r):
        url = r.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            r.continue_()
        else:
            tried_remote.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("requestfailed", lambda req: None if not req.url.startswith("file:")
            else failed_local.append(f"{req.url} ({req.failure})"))
    page.goto(url, wait_until="load")
    return tried_remote, failed_local


def figures_in_widgets(page) -> int:
    return page.evaluate("""() => [...document.querySelectorAll('.widget-output img, .jupyter-widgets img')]
        .filter(i => i.complete && i.naturalWidth > 0).length""")


def widget_images_expected(nb: nbformat.NotebookNode) -> int:
    """Figures saved in widget state: Image widgets with a value, Output widgets holding a PNG."""
    state = nb.metadata.get("widgets", {}).get(build_site.WIDGET_STATE, {}).get("state", {})
    images = sum(1 for m in state.values() if m.get("model_name") == "ImageModel"
                 and (m.get("buffers") or m["state"].get("value")))
    outputs = sum(
        1 for m in state.values() if m.get("model_name") == "OutputModel"
        for o in m["state"].get("outputs", []) if "image/png" in o.get("data", {})
    )
    return images + outputs


def check_offline_page(page, html_file: Path, ui, min_widget_figures: int) -> None:
    from playwright.sync_api import expect

    tried_remote, failed_local = open_offline(page, html_file.as_uri())
    if min_widget_figures:
        expect(page.locator(".widget-output img, .jupyter-widgets img").first).to_be_visible()
        ui.poll(lambda: figures_in_widgets(page) >= min_widget_figures, 60)
    body = page.locator("body").inner_text()
    for failure in ("Error displaying widget", "Error rendering widget", "Requirejs is needed"):
        assert failure not in body, f"{html_file.name}: {failure!r}"
    broken = ui.wait_images_loaded(page, "body")
    assert not broken, f"{html_file.name}: images that did not load: {broken}"
    assert figures_in_widgets(page) >= min_widget_figures, (
        f"{html_file.name}: {figures_in_widgets(page)} widget figures rendered offline, "
        f"expected {min_widget_figures}"
    )
    assert not tried_remote, f"{html_file.name} tried to reach the network: {tried_remote}"
    assert not failed_local, f"{html_file.name}: local files failed to load: {failed_local}"


@pytest.mark.browser
def test_contract_page_renders_widget_figure_offline(web_page, ui, contract_notebooks: Path,
                                                     tmp_path: Path) -> None:
    """The pipeline itself: an explorer's figure, saved as widget state, renders with no network."""
    folder = build(contract_notebooks, tmp_path / "site")
    check_offline_page(web_page, folder / "harness_check.html", ui, min_widget_figures=1)


@pytest.mark.browser
@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_lesson_page_renders_offline(web_page, ui, site: Path, path: Path) -> None:
    """Each lesson page: no error, every image loads, saved explorer figures render, no network."""
    expected = widget_images_expected(nbformat.read(path, as_version=4))
    check_offline_page(web_page, site / f"{path.stem}.html", ui, min_widget_figures=min(expected, 1))
