"""Click-to-paint latency of every explorer in a real browser: Voila + Debian's Chromium.

A throw-away notebook shows every registered explorer; Voila serves it on 127.0.0.1 and Chromium
(Playwright, ``/usr/bin/chromium``) operates each explorer's controls ``CHANGES`` times. A
MutationObserver on the explorer notes the input event's time and the frame after the last
mutation once the explorer has been quiet for 400 ms (testing-notes): that counts every update
the learner waits for (figure, readout, description). Requests that leave the machine are
counted too. Run through ``make bench``; it measures, it never asserts.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHANGES = 10
#: The explorers that draw a mechanism diagram or the evidence map (budget 50 ms; plots 80 ms).
DIAGRAM_EXPLORERS = ("base_diagram", "ketamine_cascade", "hypothesis_reasoning",
                     "mechanism_explorer", "studies")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

OBSERVER_JS = """el => {
  const st = {t0: null, last: null, figure: false};
  window.__lat = st;
  for (const kind of ['click', 'change', 'keydown', 'input'])
    el.addEventListener(kind, e => { if (st.t0 === null) st.t0 = e.timeStamp; }, true);
  new MutationObserver(ms => {
    if (ms.some(m => m.target.closest && m.target.closest('.mechlib-figure'))) st.figure = true;
    requestAnimationFrame(() => { st.last = performance.now(); });
  }).observe(el, {subtree: true, childList: true, attributes: true, characterData: true});
}"""


def _notebook(path: Path, names: list[str]) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("from mechlib import widgets")]
    nb.cells += [nbformat.v4.new_code_cell(f"widgets.show({n!r})") for n in names]
    nbformat.write(nb, path)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _operate(page, control, kind: str) -> None:
    """One change. A slider always steps the same way, so no setting is seen twice and no
    cache can answer it (a choice with two options must come back, with the others moved)."""
    if kind == "slider":
        control.focus()
        page.keyboard.press("ArrowRight")
    elif kind == "select":
        opts = control.evaluate("s => [...s.options].map(o => o.value)")
        cur = control.evaluate("s => s.value")
        control.select_option(opts[(opts.index(cur) + 1) % len(opts)])
    else:
        control.click()


def _controls(explorer):
    found = []
    for sel, kind in ((".widget-toggle-button", "button"), (".widget-checkbox input", "button"),
                      (".widget-dropdown select", "select"), (".widget-slider .noUi-handle",
                                                              "slider")):
        loc = explorer.locator(sel)
        found += [(loc.nth(i), kind) for i in range(loc.count()) if not loc.nth(i).is_disabled()]
    return found


QUIET_JS = """([quiet, timeout]) => new Promise(done => {
  const st = window.__lat, start = performance.now();
  let seen = st.last, since = performance.now();
  const tick = () => {
    const now = performance.now();
    if (st.last !== seen) { seen = st.last; since = now; }
    if ((seen !== null && now - since > quiet) || now - start > timeout) return done();
    setTimeout(tick, 25);
  };
  setTimeout(tick, 25);
})"""


def _wait_quiet(page, quiet_s: float = 0.4, timeout_s: float = 10.0) -> None:
    """Wait until the explorer has mutated and then stayed unchanged for ``quiet_s``.

    The page waits by itself (one call): polling it from here would send the browser a request
    every few milliseconds while it paints, and on two cores that slows what is measured.
    """
    page.evaluate(QUIET_JS, [quiet_s * 1000, timeout_s * 1000])


def lesson_explorers(notebook: Path) -> list[str]:
    """The explorers ``notebook`` shows, in page order (its ``widgets.show(...)`` calls)."""
    import re

    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    return [m.group(1) for c in nb.cells if c.cell_type == "code"
            for m in re.finditer(r"widgets\.show\(\s*['\"]([a-z_]+)['\"]", c.source)]


def measure(names: list[str] | None = None, dpr: float = 1.0) -> dict:
    """Median click-to-paint ms per explorer (and the off-machine requests seen), all of them
    (or ``names``) on one page: a heavier page than any lesson's."""
    from mechlib import explorers

    names = names or sorted(explorers.REGISTRY)
    tmp = Path(tempfile.mkdtemp(prefix="mechlib-latency-"))
    try:
        _notebook(tmp / "all.ipynb", names)
        return _measure_page(tmp / "all.ipynb", names, dpr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def measure_lessons(dpr: float = 1.0) -> dict:
    """As :func:`measure`, each explorer in the first lesson that shows it, the page a learner
    opens (``notebooks/NN_*.ipynb`` in Voila, with its text, figures and quizzes)."""
    out: dict = {"latency_ms": {}, "changes_ms": {}, "remote_requests": [], "page": {}}
    for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        names = lesson_explorers(nb)
        if not names or all(n in out["page"] for n in names):
            continue
        got = _measure_page(nb, names, dpr, skip=set(out["page"]))
        for key in ("latency_ms", "changes_ms"):
            out[key].update(got[key])
        out["page"].update({n: nb.stem for n in got["latency_ms"]})
        out["remote_requests"] = sorted(set(out["remote_requests"]) | set(got["remote_requests"]))
    return out


def _measure_page(notebook: Path, names: list[str], dpr: float, skip: set | None = None) -> dict:
    """Serve ``notebook`` (showing the explorers ``names``, in that order) with Voila and operate
    each explorer not in ``skip``."""
    from playwright.sync_api import sync_playwright

    port, token = _free_port(), secrets.token_hex(8)
    env = dict(os.environ, MECHLIB_DATA_DIR=str(ROOT / "data"),
               JUPYTER_PATH=str(ROOT / "share" / "jupyter"))
    log = (Path(tempfile.mkdtemp(prefix="mechlib-voila-")) / "voila.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "voila", str(notebook), "--no-browser",
                             "--template=mechlib", "--Voila.ip=127.0.0.1", f"--port={port}",
                             "--Voila.port_retries=0",
                             f"--token={token}"], cwd=notebook.parent, env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    results, remote = {}, set()
    try:
        for _ in range(300):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000},
                                    device_scale_factor=dpr)
            page.on("request", lambda r: remote.add(r.url.split("?")[0]) if not
                    r.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")) else None)
            page.goto(f"http://127.0.0.1:{port}/?token={token}", wait_until="commit")
            page.locator(".mechlib-explorer").nth(len(names) - 1).wait_for(timeout=300_000)
            page.wait_for_selector("#loading", state="detached", timeout=300_000)
            for i, name in enumerate(names):
                if name in (skip or ()) or name in results:
                    continue
                results[name] = _operate_explorer(page, page.locator(".mechlib-explorer").nth(i))
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
        shutil.rmtree(Path(log.name).parent, ignore_errors=True)
    return {"latency_ms": {n: (statistics.median(t) if t else None, len(t))
                           for n, t in results.items()},
            "changes_ms": {n: [round(x, 1) for x in t] for n, t in results.items()},
            "remote_requests": sorted(remote)}


def _operate_explorer(page, ex) -> list[float]:
    """Click-to-paint ms of ``CHANGES`` changes of the explorer ``ex`` (a locator)."""
    ex.scroll_into_view_if_needed()
    ex.evaluate(OBSERVER_JS)
    controls = _controls(ex)
    times: list[float] = []
    # Only a change that redrew the figure counts; a control that the last change disabled (the
    # nasal dose on the IV route) is skipped.
    for k in range(3 * CHANGES):
        if not controls or len(times) == CHANGES:
            break
        control, kind = controls[k % len(controls)]
        if control.is_disabled():
            continue
        ex.evaluate("() => Object.assign(window.__lat, {t0: null, last: null, figure: false})")
        _operate(page, control, kind)
        _wait_quiet(page)
        st = page.evaluate("() => window.__lat")
        if st["t0"] is not None and st["last"] is not None and st["figure"]:
            times.append(st["last"] - st["t0"])
    return times


if __name__ == "__main__":
    args = sys.argv[1:]
    out = measure_lessons() if args == ["--lessons"] else measure(args or None)
    for name, (med, n) in out["latency_ms"].items():
        print(f"{name:24} {'-' if med is None else f'{med:7.1f} ms'}  ({n} changes: "
              f"{', '.join(f'{x:.0f}' for x in out['changes_ms'][name])})")
    print("requests off the machine:", out["remote_requests"] or "none")
