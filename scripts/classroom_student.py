"""One simulated learner on the loopback hub: log in, spawn, pull, run a lesson, move a slider.

Everything goes through the hub's public proxy port, as a browser's requests would: the login
form, the REST API, nbgitpuller's ``git-pull`` link and its event stream, the contents API, and
the kernel's websocket (``/api/kernels/<id>/channels``, the JSON protocol JupyterLab speaks). The
explorer burst sends the ipywidgets ``update`` comm message a slider sends when it is moved, and
times it until the kernel is idle again with the redrawn figure sent back.

Every request has a timeout, every retry loop a count: a student either finishes or records an
error; nothing waits forever.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from typing import Any

from tornado import httpclient, websocket

REQUEST_TIMEOUT_S = 120.0
SPAWN_RETRIES = 30          # HTTP 429 answers from concurrent_spawn_limit before giving up
SPAWN_TIMEOUT_S = 600.0
CELL_TIMEOUT_S = 300.0
EXPLORER_CONTROLS = ("FloatSliderModel", "IntSliderModel", "CheckboxModel", "DropdownModel")


@dataclass
class Result:
    """What one learner measured (seconds) and what went wrong."""

    user: str
    login_s: float | None = None
    spawn_s: float | None = None
    pull_s: float | None = None
    cells_s: list[float] = field(default_factory=list)
    updates_s: list[float] = field(default_factory=list)
    retries: int = 0
    errors: list[str] = field(default_factory=list)


def _cookies(resp: httpclient.HTTPResponse) -> dict[str, str]:
    out = {}
    for raw in resp.headers.get_list("Set-Cookie"):
        name, _, rest = raw.partition("=")
        out[name.strip()] = rest.split(";", 1)[0]
    return out


def _binary_message(raw: bytes) -> dict[str, Any]:
    """The JSON part of a binary frame (a message with buffers, such as a redrawn PNG).

    The frame is: the number of parts n (uint32, big-endian), n offsets, then the parts; the
    first part is the message as JSON.
    """
    n = int.from_bytes(raw[:4], "big")
    offsets = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(n)]
    end = offsets[1] if n > 1 else len(raw)
    return json.loads(raw[offsets[0]:end])


class Student:
    """One learner; :meth:`run` does the whole session and fills :attr:`result`."""

    def __init__(self, hub_url: str, name: str, repo: str, lesson: str):
        self.hub, self.name, self.repo, self.lesson = hub_url, name, repo, lesson
        self.http = httpclient.AsyncHTTPClient()
        self.result = Result(name)
        self.token = ""
        self.ws: websocket.WebSocketClientConnection | None = None
        self.session = uuid.uuid4().hex
        self.control: tuple[str, str, dict[str, Any]] | None = None  # comm id, model, state

    # ----------------------------------------------------------------- HTTP
    async def fetch(self, path: str, method: str = "GET", body: Any = None,
                    headers: dict[str, str] | None = None, **kw: Any) -> httpclient.HTTPResponse:
        hdrs = {"Authorization": f"token {self.token}"} if self.token else {}
        hdrs.update(headers or {})
        if isinstance(body, (dict, list)):
            body, hdrs["Content-Type"] = json.dumps(body), "application/json"
        if method == "POST" and body is None:
            body = ""
        return await self.http.fetch(self.hub + path, method=method, body=body, headers=hdrs,
                                     request_timeout=REQUEST_TIMEOUT_S, raise_error=False, **kw)

    def _fail(self, what: str, resp: httpclient.HTTPResponse) -> None:
        raise RuntimeError(f"{what}: HTTP {resp.code} {(resp.body or b'')[:200]!r}")

    async def login(self) -> None:
        t0 = time.monotonic()
        page = await self.fetch("/hub/login")
        xsrf = _cookies(page).get("_xsrf", "")
        form = urllib.parse.urlencode({"username": self.name, "password": "classroom",
                                       "_xsrf": xsrf})
        resp = await self.fetch("/hub/login", "POST", form, follow_redirects=False, headers={
            "Cookie": f"_xsrf={xsrf}", "Content-Type": "application/x-www-form-urlencoded"})
        if resp.code != 302 or "jupyterhub-session-id" not in _cookies(resp):
            self._fail("login form", resp)
        resp = await self.fetch(f"/hub/api/users/{self.name}/tokens", "POST", {
            "auth": {"username": self.name, "password": "classroom"}, "note": "classroom",
            "expires_in": 3600})
        if resp.code != 201:
            self._fail("token", resp)
        self.token = json.loads(resp.body)["token"]
        self.result.login_s = time.monotonic() - t0

    async def spawn(self) -> None:
        t0 = time.monotonic()
        for _ in range(SPAWN_RETRIES):
            resp = await self.fetch(f"/hub/api/users/{self.name}/server", "POST", {})
            if resp.code != 429:
                break
            self.result.retries += 1
            await asyncio.sleep(float(resp.headers.get("Retry-After", "5")))
        else:
            raise RuntimeError(f"spawn refused {SPAWN_RETRIES} times (HTTP 429)")
        if resp.code not in (201, 202):
            self._fail("spawn", resp)
        while time.monotonic() - t0 < SPAWN_TIMEOUT_S:
            user = json.loads((await self.fetch(f"/hub/api/users/{self.name}")).body)
            server = user.get("servers", {}).get("", {})
            if server.get("ready"):
                break
            if not server.get("pending") and not server:
                raise RuntimeError("server stopped while starting")
            await asyncio.sleep(1.0)
        else:
            raise RuntimeError(f"server not ready after {SPAWN_TIMEOUT_S:.0f} s")
        self.result.spawn_s = time.monotonic() - t0

    async def pull(self) -> None:
        """Open the nbgitpuller link, then follow its event stream to the end, as its page does."""
        t0 = time.monotonic()
        query = urllib.parse.urlencode({"repo": self.repo, "branch": "main",
                                        "targetpath": "lessons"})
        base = f"/user/{self.name}/git-pull"
        link = await self.fetch(f"{base}?{query}&urlpath=lab/tree/lessons/notebooks/"
                                f"{self.lesson}.ipynb")
        if link.code != 200:
            self._fail("nbgitpuller link", link)
        events: list[dict[str, Any]] = []
        buf = bytearray()

        def on_chunk(chunk: bytes) -> None:
            buf.extend(chunk)
            while b"\n\n" in buf:
                line, _, rest = bytes(buf).partition(b"\n\n")
                buf[:] = rest
                if line.startswith(b"data: "):
                    events.append(json.loads(line[6:]))

        resp = await self.fetch(f"{base}/api?{query}", streaming_callback=on_chunk)
        phases = [e.get("phase") for e in events]
        if resp.code != 200 or "finished" not in phases:
            message = next((e.get("message") for e in events if e.get("phase") == "error"), "")
            raise RuntimeError(f"nbgitpuller: HTTP {resp.code}, phases {phases[-3:]} {message}")
        self.result.pull_s = time.monotonic() - t0

    # ----------------------------------------------------------------- kernel
    async def open_lesson(self) -> list[str]:
        """Load the lesson as JupyterLab does (page, settings, contents), start its kernel."""
        path = f"lessons/notebooks/{self.lesson}.ipynb"
        for page in (f"lab/tree/{path}", "lab/api/settings", "api/kernelspecs"):
            resp = await self.fetch(f"/user/{self.name}/{page}")
            if resp.code != 200:
                self._fail(f"GET {page}", resp)
        resp = await self.fetch(f"/user/{self.name}/api/contents/{path}?content=1")
        if resp.code != 200:
            self._fail("open notebook", resp)
        cells = json.loads(resp.body)["content"]["cells"]
        resp = await self.fetch(f"/user/{self.name}/api/sessions", "POST", {
            "path": path, "name": f"{self.lesson}.ipynb", "type": "notebook",
            "kernel": {"name": "python3"}})
        if resp.code != 201:
            self._fail("start kernel", resp)
        kernel = json.loads(resp.body)["kernel"]["id"]
        ws_url = (self.hub.replace("http", "ws", 1) + f"/user/{self.name}/api/kernels/{kernel}"
                  f"/channels?session_id={self.session}")
        request = httpclient.HTTPRequest(ws_url, headers={"Authorization": f"token {self.token}"},
                                         request_timeout=REQUEST_TIMEOUT_S)
        self.ws = await websocket.websocket_connect(request, max_message_size=256 * 2**20)
        return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]

    def _message(self, channel: str, msg_type: str, content: dict[str, Any]) -> dict[str, Any]:
        header = {"msg_id": uuid.uuid4().hex, "username": self.name, "session": self.session,
                  "msg_type": msg_type, "version": "5.3",
                  "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        return {"header": header, "parent_header": {}, "metadata": {}, "content": content,
                "channel": channel, "buffers": []}

    async def request(self, msg: dict[str, Any], timeout_s: float) -> list[dict[str, Any]]:
        """Send ``msg``; return every message it caused, up to the kernel's idle status."""
        assert self.ws is not None
        msg_id = msg["header"]["msg_id"]
        await self.ws.write_message(json.dumps(msg))
        # execute_request gets an execute_reply; a comm_msg gets no reply, only busy ... idle.
        replies, idle, reply = [], False, msg["header"]["msg_type"] != "execute_request"
        deadline = time.monotonic() + timeout_s
        while not (idle and reply):
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no reply to {msg['header']['msg_type']} in {timeout_s:.0f} s")
            raw = await asyncio.wait_for(self.ws.read_message(), left)
            if raw is None:
                raise RuntimeError("kernel websocket closed")
            m = _binary_message(raw) if isinstance(raw, bytes) else json.loads(raw)
            if m.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            replies.append(m)
            t = m["header"]["msg_type"]
            idle = idle or (t == "status" and m["content"]["execution_state"] == "idle")
            reply = reply or t.endswith("_reply")
        return replies

    async def run_cells(self, sources: list[str]) -> None:
        for src in sources:
            t0 = time.monotonic()
            replies = await self.request(self._message("shell", "execute_request", {
                "code": src, "silent": False, "store_history": True, "user_expressions": {},
                "allow_stdin": False, "stop_on_error": True}), CELL_TIMEOUT_S)
            self.result.cells_s.append(time.monotonic() - t0)
            for m in replies:
                t = m["header"]["msg_type"]
                if t == "execute_reply" and m["content"]["status"] != "ok":
                    raise RuntimeError(f"cell failed: {m['content'].get('ename')}: "
                                       f"{m['content'].get('evalue')}")
                if t == "comm_open" and "widgets.show(" in src:
                    state = m["content"]["data"]["state"]
                    self._offer_control(m["content"]["comm_id"], state)

    def _offer_control(self, comm_id: str, state: dict[str, Any]) -> None:
        """Keep the explorer control the burst will move: the first slider, else the first other."""
        model = state.get("_model_name")
        if model not in EXPLORER_CONTROLS:
            return
        rank = EXPLORER_CONTROLS.index(model) >= 2  # sliders (rank False) before the rest
        if self.control is None or rank < (EXPLORER_CONTROLS.index(self.control[1]) >= 2):
            self.control = (comm_id, model, state)

    async def move_control(self, step: int) -> None:
        """Move the explorer's first control as a learner would, and time the redraw."""
        if self.control is None:
            raise RuntimeError("the lesson showed no explorer control to move")
        comm_id, model, state = self.control
        if model in ("FloatSliderModel", "IntSliderModel"):
            lo, hi = state["min"], state["max"]
            change = {"value": lo + (hi - lo) * (0.25 if step % 2 else 0.75)}
            if model == "IntSliderModel":
                change["value"] = int(round(change["value"]))
        elif model == "CheckboxModel":
            change = {"value": (step % 2 == 0) != bool(state["value"])}
        else:
            change = {"index": step % max(1, len(state.get("_options_labels", [0])))}
        t0 = time.monotonic()
        replies = await self.request(self._message("shell", "comm_msg", {
            "comm_id": comm_id, "data": {"method": "update", "state": change,
                                         "buffer_paths": []}}), CELL_TIMEOUT_S)
        redrawn = [m for m in replies if m["header"]["msg_type"] == "comm_msg"
                   and m["content"]["comm_id"] != comm_id]
        if not redrawn:
            raise RuntimeError(f"moving {model} {change} redrew nothing")
        self.result.updates_s.append(time.monotonic() - t0)

    async def close(self) -> None:
        if self.ws is not None:
            self.ws.close()
