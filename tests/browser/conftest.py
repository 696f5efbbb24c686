"""Fixtures for the real-browser tests: JupyterLab, Voila and Debian's Chromium driven by Playwright.

Read ``testing-notes.md`` (shared reference) for why things are done this way. In short:

- the browser is Debian's ``/usr/bin/chromium`` (never ``playwright install``); without it the tests
  fail in CI (``CI=true``) and skip locally with a message saying how to install it;
- servers bind 127.0.0.1 on a free port with a token, run on a temporary copy of ``notebooks/``
  (JupyterLab autosaves) with ``data/`` beside it and ``MECHLIB_DATA_DIR`` pointing at the repo's
  ``data/``; JupyterLab gets ``--allow-root`` when run as root and a settings folder that silences
  the news/update toasts;
- one JupyterLab server and one browser per test session (per xdist worker), a fresh page per test;
- on failure a full-page screenshot goes to ``tests/browser/artifacts/`` (git-ignored).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
DATA = REPO / "data"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IN_CI = os.environ.get("CI", "").lower() == "true"
# Generous: under `pytest -n 2` on two cores a first run-all can take tens of seconds.
EXPECT_TIMEOUT_MS = 60_000
SERVER_START_TIMEOUT_S = 90


def lesson_notebooks() -> list[Path]:
    """Every notebook in notebooks/, sorted; the browser tests are parametrised over these."""
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def needs_chromium() -> None:
    """Fail in CI, skip locally, when Debian's Chromium is not installed."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return
    msg = (
        f"the browser tests need Debian's Chromium at {CHROMIUM}. Install it with "
        "`sudo apt-get install chromium` (or run `make test` as root, which installs it); "
        "never `playwright install`."
    )
    if IN_CI:
        pytest.fail(f"CI=true and {msg}", pytrace=False)
    pytest.skip(msg)


# --------------------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    """Wait until something accepts TCP connections on the port (never GET / : Voila would run)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"server exited with code {proc.returncode} before listening; its log:\n"
                + log.read_text(errors="replace")[-4000:]
            )
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.settimeout(0.5)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(
        f"server did not listen on port {port} within {timeout:.0f} s; its log:\n"
        + log.read_text(errors="replace")[-4000:]
    )


def strip_outputs(path: Path) -> None:
    """Remove stored outputs, counts and widget state, so a test sees only what a fresh run makes."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)


def workspace_copy(tmp: Path, strip: bool) -> Path:
    """A temporary copy of notebooks/ with data/ beside it, as in the repository."""
    shutil.copytree(NOTEBOOKS, tmp / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(DATA, tmp / "data")
    if strip:
        for nb in (tmp / "notebooks").glob("*.ipynb"):
            strip_outputs(nb)
    return tmp / "notebooks"


def server_env(tmp: Path) -> dict[str, str]:
    """Environment for a server: repo data, a settings folder without toasts, no stray config."""
    settings = tmp / "lab-settings"
    notif = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notif.parent.mkdir(parents=True, exist_ok=True)
    notif.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    # Render every cell into the DOM (no windowing), so every output and image can be checked.
    tracker = settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True, exist_ok=True)
    tracker.write_text(json.dumps({"windowingMode": "none"}))
    env = dict(os.environ)
    env.update(
        MECHLIB_DATA_DIR=str(DATA),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "lab-workspaces"),
        JUPYTER_CONFIG_DIR=str(tmp / "jupyter-config"),
        JUPYTER_PATH=str(REPO / "share" / "jupyter"),  # the Voila template `make present` uses
        PYTHONUNBUFFERED="1",
    )
    return env


@dataclass
class Server:
    url: str  # base URL without trailing slash
    token: str
    root: Path  # the folder it serves (the temporary notebooks/ copy)
    proc: subprocess.Popen

    def page_url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.url}/{path.lstrip('/')}{sep}token={self.token}"

    def api(self, method: str, path: str) -> object:
        req = urllib.request.Request(
            f"{self.url}/api/{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(req, timeout=30) as resp:
            body = resp.read()
        return json.loads(body) if body else None


def start_server(cmd: list[str], cwd: Path, env: dict[str, str], log: Path, port: int) -> subprocess.Popen:
    with log.open("w") as logf:  # the child keeps its own copy of the file descriptor
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=logf, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, proc, log, SERVER_START_TIMEOUT_S)
    except Exception:
        stop(proc)
        raise
    return proc


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One JupyterLab for the session, serving a copy of notebooks/ with the outputs stripped."""
    needs_chromium()
    tmp = tmp_path_factory.mktemp("lab")
    root = workspace_copy(tmp, strip=True)
    port, token = free_port(), secrets.token_hex(16)
    cmd = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    proc = start_server(cmd, root, server_env(tmp), tmp / "lab.log", port)
    server = Server(f"http://127.0.0.1:{port}", token, root, proc)
    yield server
    stop(proc)


@pytest.fixture(scope="module")
def voila_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Voila serving the copied notebooks/ folder: /voila/render/<name>.ipynb runs one."""
    needs_chromium()
    tmp = tmp_path_factory.mktemp("voila")
    root = workspace_copy(tmp, strip=True)
    port, token = free_port(), secrets.token_hex(16)
    cmd = [
        sys.executable, "-m", "voila", str(root), "--template=mechlib",
        "--no-browser", "--Voila.ip=127.0.0.1", f"--port={port}", "--Voila.port_retries=0",
        f"--token={token}", "--show_tracebacks=True",
    ]
    proc = start_server(cmd, root, server_env(tmp), tmp / "voila.log", port)
    server = Server(f"http://127.0.0.1:{port}", token, root, proc)
    yield server
    stop(proc)


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def chromium():
    """One headless Debian Chromium per session (named so pytest-playwright's fixtures stay unused)."""
    needs_chromium()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _artifact_name(item: pytest.Item) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid.split("::", 1)[-1])[:150]


@pytest.fixture
def web_page(chromium, request: pytest.FixtureRequest):
    """A fresh page in its own context; on failure, a screenshot and the console log are kept."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(EXPECT_TIMEOUT_MS)
    pg = context.new_page()
    console: list[str] = []
    pg.on("console", lambda m: console.append(f"[{m.type}] {m.text}"))
    pg.on("pageerror", lambda e: console.append(f"[pageerror] {e}"))
    yield pg
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        stem = ARTIFACTS / _artifact_name(request.node)
        try:
            pg.screenshot(path=str(stem.with_suffix(".png")), full_page=True, timeout=20_000)
        except Exception as exc:  # a crashed page must not hide the real failure
            console.append(f"[screenshot failed] {exc}")
        stem.with_suffix(".console.txt").write_text("\n".join(console), encoding="utf-8")
    context.close()


@pytest.fixture
def lab_page(web_page, lab_server: Server):
    """A page on JupyterLab; afterwards every kernel the test started is shut down."""
    page = web_page
    page.add_locator_handler(
        page.locator(".jp-Dialog"),
        lambda: page.locator(".jp-Dialog .jp-mod-accept").first.click(),
    )
    yield page
    for session in lab_server.api("GET", "sessions") or []:
        lab_server.api("DELETE", f"sessions/{session['id']}")


# --------------------------------------------------------------------------- a tiny explorer

# A stand-in explorer and quiz that follow the lesson writers' contract (``mechlib-explorer`` with
# ``mechlib-figure`` and ``mechlib-readout``; ``mechlib-quiz`` with a Check button and
# ``mechlib-feedback``), built from plain ipywidgets. It checks the harness itself (the Lab
# interaction helpers and the offline static site) independently of the lessons.
CONTRACT_EXPLORER_CELLS = [
    """\
import ipywidgets as w
import matplotlib.pyplot as plt
from IPython.display import display

slider = w.IntSlider(value=2, min=0, max=10, description="dose")
drug = w.ToggleButtons(options=["Lamotrigine", "Ketamine"], description="drug")
figure = w.Output()
figure.add_class("mechlib-figure")
readout = w.HTML()
readout.add_class("mechlib-readout")


def redraw(_=None):
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot(range(11), [slider.value * x * (1 if drug.value == "Lamotrigine" else -1) for x in range(11)])
    ax.set_title(f"{drug.value}, dose {slider.value}")
    with figure:
        figure.clear_output(wait=True)
        display(fig)
    plt.close(fig)
    readout.value = f"<b>{drug.value}</b>: dose {slider.value}"


slider.observe(redraw, "value")
drug.observe(redraw, "value")
redraw()
explorer = w.VBox([w.HBox([slider, drug]), figure, readout])
explorer.add_class("mechlib-explorer")
explorer""",
    """\
choice = w.RadioButtons(options=["It blocks NMDA receptors", "It blocks sodium channels"],
                        value=None, description="Ketamine:")
check = w.Button(description="Check")
feedback = w.HTML()
feedback.add_class("mechlib-feedback")
check.on_click(lambda _: setattr(feedback, "value", "Right." if choice.index == 0 else "Not quite."))
quiz = w.VBox([choice, check, feedback])
quiz.add_class("mechlib-quiz")
quiz""",
]


def write_contract_notebook(path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Harness check: a contract explorer and quiz")]
    nb.cells += [nbformat.v4.new_code_cell(src) for src in CONTRACT_EXPLORER_CELLS]
    nbformat.write(nb, path)
    return path


# --------------------------------------------------------------------------- page helpers


class UI:
    """Helpers shared by the Lab, Voila and site tests (reached through the ``ui`` fixture)."""

    # The figure is an Image widget (<img class="mechlib-figure">), an Output widget holding one,
    # or (a diagram) an HTML widget holding inline SVG.
    FIGURE = "img.mechlib-figure, .mechlib-figure img, .mechlib-figure svg"
    FIGURE_LOADED_JS = """el => [...el.querySelectorAll('img.mechlib-figure, .mechlib-figure img')]
        .every(i => !i.checkVisibility() || (i.complete && i.naturalWidth > 0))"""
    # JS that reports, for one explorer container, its readout text and figure image source.
    EXPLORER_STATE_JS = """el => {
        const r = el.querySelector('.mechlib-readout');
        const img = el.querySelector('img.mechlib-figure, .mechlib-figure img');
        const svg = el.querySelector('.mechlib-figure svg');
        const src = img ? img.getAttribute('src') : svg ? svg.outerHTML : null;
        return {readout: r ? r.innerText.trim() : null, src: src};
    }"""

    @staticmethod
    def poll(fn, timeout_s: float, interval_s: float = 0.25):
        """Call ``fn`` until it returns something truthy or the time is up; return its last value."""
        deadline = time.monotonic() + timeout_s
        value = fn()
        while not value and time.monotonic() < deadline:
            time.sleep(interval_s)
            value = fn()
        return value

    @staticmethod
    def settle(explorer, quiet_s: float = 1.0, timeout_s: float = 15) -> None:
        """Wait until the explorer's readout and figure stop changing for ``quiet_s``."""
        deadline = time.monotonic() + timeout_s
        last = explorer.evaluate(UI.EXPLORER_STATE_JS)
        while time.monotonic() < deadline:
            time.sleep(quiet_s)
            now = explorer.evaluate(UI.EXPLORER_STATE_JS)
            if now == last:
                return
            last = now

    @staticmethod
    def broken_images(page, scope: str) -> list[str]:
        """Sources (shortened) of visible images in or matching ``scope`` that did not load."""
        return page.evaluate(
            """scope => [...document.querySelectorAll(scope)]
                .flatMap(el => el.tagName === 'IMG' ? [el] : [...el.querySelectorAll('img')])
                .filter(i => i.checkVisibility() && !(i.complete && i.naturalWidth > 0))
                .map(i => (i.getAttribute('src') || '(no src)').slice(0, 80))""",
            scope,
        )

    @staticmethod
    def wait_images_loaded(page, scope: str, timeout_s: float = 30) -> list[str]:
        """Wait for every image under ``scope`` to load; return the ones that never did."""
        UI.poll(lambda: not UI.broken_images(page, scope), timeout_s)
        return UI.broken_images(page, scope)

    CONTROL_KINDS = [
        ("toggle-buttons", ".widget-toggle-buttons"),
        ("slider", ".widget-slider .noUi-handle"),
        ("dropdown", ".widget-dropdown select"),
        ("checkbox", ".widget-checkbox input[type=checkbox]"),
        ("toggle", "button.widget-toggle-button:not(.widget-toggle-buttons button)"),
        ("radio", ".widget-radio-box"),
    ]

    @staticmethod
    def controls(explorer) -> list[tuple[str, object]]:
        """The explorer's controls in page order (as a student meets them), as (kind, locator)."""
        loc = explorer.locator(", ".join(sel for _, sel in UI.CONTROL_KINDS))
        found = []
        for i in range(loc.count()):
            control = loc.nth(i)
            kind = control.evaluate(
                "(el, kinds) => (kinds.find(([, sel]) => el.matches(sel)) || [null])[0]",
                UI.CONTROL_KINDS,
            )
            found.append((kind, control))
        return found

    @staticmethod
    def operate(kind: str, control, page, forward: bool = True) -> None:
        """Change one control the way a student would."""
        if kind == "slider":
            control.focus()
            for _ in range(5):
                page.keyboard.press("ArrowRight" if forward else "ArrowLeft")
        elif kind == "toggle-buttons":
            idle = control.locator("button:not(.mod-active)")
            idle.nth(0 if forward else idle.count() - 1).click()
        elif kind == "dropdown":
            options = control.evaluate("s => [...s.options].map(o => o.value)")
            current = control.evaluate("s => s.value")
            others = [o for o in options if o != current] or options
            control.select_option(others[0] if forward else others[-1])
        elif kind in ("checkbox", "toggle"):
            control.click()
        elif kind == "radio":
            idle = control.locator("input[type=radio]:not(:checked)")
            idle.nth(0 if forward else idle.count() - 1).click()
        else:
            raise ValueError(f"unknown control kind {kind!r}")

    @staticmethod
    def exercise_explorer(page, explorer, label: str, only: str | None = None,
                          wait_s: float = 15) -> str:
        """Operate the explorer's controls until one changes BOTH the readout and the figure.

        Returns a description of the control that did; fails the test, listing what each control
        changed, when none does. ``only`` restricts to one control kind (e.g. "toggle-buttons").
        """
        from playwright.sync_api import expect

        expect(explorer.locator(UI.FIGURE).first).to_be_visible()
        expect(explorer.locator(".mechlib-readout").first).to_be_visible()
        tried = []
        for kind, control in UI.controls(explorer):
            if only and kind != only:
                continue
            for forward in (True, False):
                before = explorer.evaluate(UI.EXPLORER_STATE_JS)
                UI.operate(kind, control, page, forward)

                def changed(before=before):
                    now = explorer.evaluate(UI.EXPLORER_STATE_JS)
                    both = now["readout"] != before["readout"] and now["src"] != before["src"]
                    return now if both and now["src"] else None

                after = UI.poll(changed, wait_s)
                if after:
                    # The new image may still be decoding (and later values may still be
                    # arriving from a slider): wait for the figure to settle and load.
                    loaded = UI.poll(lambda: explorer.evaluate(UI.FIGURE_LOADED_JS), 30)
                    assert loaded, f"{label}: the redrawn figure did not load"
                    UI.settle(explorer)
                    return f"{kind} changed readout to {after['readout'][:60]!r}"
                now = explorer.evaluate(UI.EXPLORER_STATE_JS)
                tried.append(
                    f"{kind}{'' if forward else ' (back)'}: readout "
                    f"{'changed' if now['readout'] != before['readout'] else 'unchanged'}, figure "
                    f"{'changed' if now['src'] != before['src'] else 'unchanged'}"
                )
                if now != before:
                    break  # the control does something; going back would only undo it
        pytest.fail(f"{label}: no control changed both the readout and the figure; tried: {tried}")

    @staticmethod
    def answer_quiz(page, quiz, label: str) -> str:
        """Pick an answer (the first option offered), press Check, and wait for feedback text."""
        from playwright.sync_api import expect

        feedback = quiz.locator(".mechlib-feedback").first
        before = feedback.inner_text().strip() if feedback.count() else ""
        for selector, how in [
            (".widget-radio-box input[type=radio]", "click"),
            (".widget-toggle-buttons button", "click"),
            (".widget-dropdown select", "select"),
            (".widget-select select", "select"),
            (".widget-checkbox input[type=checkbox]", "click"),
            (".widget-text input, .widget-textarea textarea", "fill"),
        ]:
            loc = quiz.locator(selector)
            if loc.count():
                if how == "click":
                    loc.first.click()
                elif how == "select":
                    options = loc.first.evaluate("s => [...s.options].map(o => o.value)")
                    loc.first.select_option(options[-1])
                else:
                    loc.first.fill("1")
                break
        else:
            pytest.fail(f"{label}: the quiz offers no radio, toggle, dropdown, checkbox or text answer")
        quiz.get_by_role("button", name=re.compile(r"^\s*Check", re.I)).first.click()
        expect(feedback).to_be_visible()
        text = UI.poll(lambda: (t := feedback.inner_text().strip()) and t != before and t, 30)
        assert text, f"{label}: pressing Check showed no feedback"
        return text


UI.write_contract_notebook = staticmethod(write_contract_notebook)


@pytest.fixture(scope="session")
def ui() -> type[UI]:
    return UI
