"""Private servers for the fault tests: a throwaway PostgreSQL cluster and a Redis, each on a free
port in a temporary directory, that a test may stop, kill and restart without touching the shared
services other test runs use. Also the helpers that start this project's own processes against them.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

PG_BIN_CANDIDATES = ("/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin")
POSTGRES_USER = "postgres"  # initdb refuses to run as root: the cluster belongs to this OS user
SETTINGS = "open12348.ops.tests.faults.settings"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, *, timeout: float = 30.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port} after {timeout} s")


def pg_bin() -> Path | None:
    for folder in PG_BIN_CANDIDATES:
        if Path(folder, "initdb").exists() and Path(folder, "pg_ctl").exists():
            return Path(folder)
    return None


def missing_postgres() -> str:
    """Why a private cluster cannot be made here, or "" when it can."""
    if pg_bin() is None:
        return "PostgreSQL server binaries (initdb, pg_ctl) are not installed"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(POSTGRES_USER)
        except KeyError:
            return "running as root and there is no 'postgres' OS user to own a private cluster"
    for tool in ("pg_dump", "pg_restore", "psql"):
        if shutil.which(tool) is None and not (pg_bin() / tool).exists():
            return f"{tool} is not installed"
    return ""


class PrivatePostgres:
    """A PostgreSQL cluster of its own: initdb in `root`, trust auth on 127.0.0.1, fsync off (a test)."""

    def __init__(self, root: Path) -> None:
        self.bin = pg_bin()
        self.root = root
        self.data = root / "data"
        self.port = free_port()
        self.log = root / "postgres.log"

    def _as_owner(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        preexec = None
        if os.geteuid() == 0:
            owner = pwd.getpwnam(POSTGRES_USER)

            def preexec() -> None:
                os.setgid(owner.pw_gid)
                os.setuid(owner.pw_uid)

        return subprocess.run(command, check=check, capture_output=True, text=True, preexec_fn=preexec,  # noqa: S603
                              cwd=self.root, timeout=120)

    def init(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            owner = pwd.getpwnam(POSTGRES_USER)
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
        self._as_owner(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                       "-E", "UTF8", "--no-sync", "--locale=C.UTF-8")

    def start(self) -> None:
        self._pg_ctl("start")

    def restart(self) -> None:
        self._pg_ctl("restart", "-m", "fast")

    def stop(self) -> None:
        self._pg_ctl("stop", "-m", "immediate", check=False)

    def _pg_ctl(self, action: str, *extra: str, check: bool = True) -> None:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=40")
        self._as_owner(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                       "-o", options, action, *extra, check=check)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def psql(self, database: str, sql: str) -> str:
        result = subprocess.run(  # noqa: S603
            [self.tool("psql"), "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
             "-p", str(self.port), "-U", "postgres", "-d", database, "-c", sql],
            check=True, capture_output=True, text=True, timeout=120,
        )
        return result.stdout.strip()

    def tool(self, name: str) -> str:
        own = self.bin / name
        return str(own) if own.exists() else shutil.which(name)


class PrivateRedis:
    """A Redis without persistence on a free port; `kill` loses everything it held, as a crash would."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, process=self.process)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None


def django_env(*, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a project process started by a fault test: its own database and services."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "DATABASE_URL"))}
    env.update(DJANGO_SETTINGS_MODULE=SETTINGS, DATABASE_URL=database_url, PYTHONUNBUFFERED="1",
               PYTHONPATH=str(settings.BASE_DIR), **extra)
    return env


def run_script(*args: str, database_url: str, timeout: float = 120, **extra_env: str) -> str:
    """Run `support.py <args>` in a fresh Django process and return what it printed."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "open12348.ops.tests.faults.support", *args],
        env=django_env(database_url=database_url, **extra_env), cwd=settings.BASE_DIR,
        capture_output=True, text=True, timeout=timeout,
    )
    if result.returncode != 0:
        raise AssertionError(f"support.py {' '.join(args)} failed ({result.returncode}):\n{result.stderr[-4000:]}")
    return result.stdout


def stop_process(process: subprocess.Popen | None, *, sig: int = signal.SIGTERM) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
