"""A real JupyterHub on 127.0.0.1 for the classroom load test, and what its processes use.

:class:`Hub` writes a ``jupyterhub_config.py`` into a scratch folder, starts ``jupyterhub`` (which
starts configurable-http-proxy and, per learner, ``jupyterhub-singleuser`` through
SimpleLocalProcessSpawner), samples the memory and CPU time of every process the hub started, and
stops them all. Every process carries the environment variable ``CLASSROOM_RUN`` with the run's id,
so :func:`leftovers` finds any process the run left behind, whoever its parent is now.

Used by ``scripts/classroom.py``; see docs/deploy.md for the settings a real class needs.

Examples
--------
>>> cfg = hub_config(Ports(8000, 8001, 8002), "/tmp/x", spawn_limit=10, run_id="r1")
>>> "c.JupyterHub.concurrent_spawn_limit = 10" in cfg
True
>>> "127.0.0.1" in cfg and "0.0.0.0" not in cfg
True
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PROXY = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"

#: Server extensions a learner's server does not need to run the lessons: grading (nbgrader is for
#: the instructor's server), Voila (presenting), the language-server bridge (no language server is
#: installed), the Notebook 7 interface (learners use JupyterLab; nbgrader brings it in). Turning
#: them off saves memory and start-up time in every learner's server.
LEARNER_EXTENSIONS_OFF = (
    "notebook",
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.validate_assignment",
    "nbgrader.server_extensions.assignment_list",
    "nbgrader.server_extensions.course_list",
    "voila.server_extension",
    "jupyter_lsp",
)


@dataclass(frozen=True)
class Ports:
    """The three loopback ports: public proxy, proxy REST API, hub."""

    public: int
    proxy_api: int
    hub: int


def free_ports(n: int = 3) -> Ports:
    """``n`` free TCP ports on 127.0.0.1 (the OS picks them)."""
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return Ports(*(s.getsockname()[1] for s in socks))
    finally:
        for s in socks:
            s.close()


def hub_config(ports: Ports, workdir: str, spawn_limit: int, run_id: str,
               lean: bool = True) -> str:
    """The text of ``jupyterhub_config.py`` for a loopback classroom."""
    args = ["--allow-root"] if os.geteuid() == 0 else []
    env = {"CLASSROOM_RUN": run_id}
    if lean:
        env["JUPYTER_CONFIG_DIR"] = f"{workdir}/learner-config"
    return "\n".join([
        "# Written by scripts/classroom_hub.py for one load-test run; loopback only.",
        f"c.JupyterHub.bind_url = 'http://127.0.0.1:{ports.public}'",
        "c.JupyterHub.hub_ip = '127.0.0.1'",
        f"c.JupyterHub.hub_port = {ports.hub}",
        f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{ports.proxy_api}'",
        f"c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]",
        f"c.JupyterHub.db_url = 'sqlite:///{workdir}/jupyterhub.sqlite'",
        f"c.JupyterHub.cookie_secret_file = '{workdir}/jupyterhub_cookie_secret'",
        f"c.JupyterHub.pid_file = '{workdir}/jupyterhub.pid'",
        "c.JupyterHub.authenticator_class = 'dummy'",
        "c.Authenticator.allow_all = True",
        "c.DummyAuthenticator.password = 'classroom'",
        "c.JupyterHub.spawner_class = 'simple'",
        f"c.SimpleLocalProcessSpawner.home_dir_template = '{workdir}/home/{{username}}'",
        f"c.Spawner.cmd = [{str(VENV_BIN / 'jupyterhub-singleuser')!r}]",
        f"c.Spawner.args = {args!r}",
        "c.Spawner.ip = '127.0.0.1'",
        "c.Spawner.default_url = '/lab'",
        f"c.Spawner.environment = {env!r}",
        "c.Spawner.start_timeout = 300",
        "c.Spawner.http_timeout = 300",
        f"c.JupyterHub.concurrent_spawn_limit = {spawn_limit}",
        "# A refused learner is told to retry after 10-20 s (about the median spawn), not 30-60 s.",
        "c.JupyterHub.spawn_throttle_retry_range = (10, 20)",
        "c.JupyterHub.cleanup_servers = True",
        "c.JupyterHub.cleanup_proxy = True",
        "c.JupyterHub.log_level = 'WARN'",
        "",
    ])


@dataclass
class ProcStats:
    """What one process used: peak resident and proportional memory, CPU seconds."""

    role: str          # hub, proxy, server or kernel
    user: str | None   # the learner, for servers and kernels
    peak_rss: int = 0
    peak_pss: int = 0
    cpu_s: float = 0.0


def _role(proc: psutil.Process) -> tuple[str, str | None]:
    cmd = " ".join(proc.cmdline())
    env = proc.environ()
    user = env.get("JUPYTERHUB_USER")
    if "ipykernel" in cmd:
        return "kernel", user
    if "jupyterhub-singleuser" in cmd:
        return "server", user
    if "configurable-http-proxy" in cmd:
        return "proxy", None
    return ("hub", None) if "jupyterhub" in cmd else ("other", user)


@dataclass
class Sampler:
    """Samples every process of the run once a second in a thread, keeping peaks and CPU time."""

    root_pid: int
    interval_s: float = 1.0
    stats: dict[int, ProcStats] = field(default_factory=dict)
    peak_total_rss: int = 0
    peak_total_pss: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def sample(self) -> None:
        try:
            root = psutil.Process(self.root_pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return
        rss = pss = 0
        for p in procs:
            try:
                with p.oneshot():
                    if p.pid not in self.stats:
                        self.stats[p.pid] = ProcStats(*_role(p))
                    s = self.stats[p.pid]
                    mem = p.memory_full_info()
                    cpu = p.cpu_times()
                s.peak_rss = max(s.peak_rss, mem.rss)
                s.peak_pss = max(s.peak_pss, getattr(mem, "pss", mem.rss))
                s.cpu_s = cpu.user + cpu.system
                rss, pss = rss + mem.rss, pss + getattr(mem, "pss", mem.rss)
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
        self.peak_total_rss = max(self.peak_total_rss, rss)
        self.peak_total_pss = max(self.peak_total_pss, pss)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.sample()

    def start(self) -> None:
        threading.Thread(target=self._loop, daemon=True).start()

    def stop(self) -> None:
        self._stop.set()
        self.sample()


def leftovers(run_id: str) -> list[psutil.Process]:
    """Processes, anywhere on the machine, that carry this run's ``CLASSROOM_RUN`` id."""
    found = []
    for p in psutil.process_iter():
        try:
            if p.pid != os.getpid() and p.environ().get("CLASSROOM_RUN") == run_id:
                found.append(p)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return found


class Hub:
    """One JupyterHub run in ``workdir``: start, URL, stop (every process, verified)."""

    def __init__(self, workdir: Path, spawn_limit: int, lean: bool = True):
        if not PROXY.exists():
            raise FileNotFoundError(f"{PROXY} is missing: run `npm ci` (make classroom does)")
        self.workdir = workdir
        self.run_id = secrets.token_hex(8)
        self.ports = free_ports()
        self.url = f"http://127.0.0.1:{self.ports.public}"
        (workdir / "home").mkdir(parents=True, exist_ok=True)
        learner_config = workdir / "learner-config"
        learner_config.mkdir(exist_ok=True)
        off = {name: False for name in LEARNER_EXTENSIONS_OFF}
        (learner_config / "jupyter_server_config.json").write_text(
            json.dumps({"ServerApp": {"jpserver_extensions": off}}, indent=1))
        self.config = workdir / "jupyterhub_config.py"
        self.config.write_text(hub_config(self.ports, str(workdir), spawn_limit, self.run_id, lean))
        self.proc: subprocess.Popen | None = None
        self.sampler: Sampler | None = None
        self.log = workdir / "jupyterhub.log"

    def start(self, timeout_s: float = 60.0) -> None:
        env = dict(os.environ, CLASSROOM_RUN=self.run_id,
                   CONFIGPROXY_AUTH_TOKEN=secrets.token_hex(16))
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [str(VENV_BIN / "jupyterhub"), "-f", str(self.config)], cwd=self.workdir,
                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.sampler = Sampler(self.proc.pid)
        self.sampler.start()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyterhub exited with {self.proc.returncode}; see {self.log}")
            try:
                with socket.create_connection(("127.0.0.1", self.ports.public), timeout=1):
                    pass
                with socket.create_connection(("127.0.0.1", self.ports.hub), timeout=1):
                    return
            except OSError:
                time.sleep(0.3)
        raise TimeoutError(f"jupyterhub did not listen within {timeout_s:.0f} s; see {self.log}")

    def stop(self, timeout_s: float = 60.0) -> list[str]:
        """Stop the hub (which stops servers and proxy); kill what remains. Returns leftovers."""
        if self.sampler:
            self.sampler.stop()
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        deadline = time.monotonic() + 15
        left = leftovers(self.run_id)
        while left and time.monotonic() < deadline:
            time.sleep(0.5)
            left = leftovers(self.run_id)
        described = [f"{p.pid} {' '.join(p.cmdline())[:120]}" for p in left]
        for p in left:
            try:
                p.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(left, timeout=10)
        return described
