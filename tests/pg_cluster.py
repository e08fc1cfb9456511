"""Run a command against a throwaway PostgreSQL cluster.

    python tests/pg_cluster.py -- pytest -x

With ``DATABASE_URL`` set, the command runs on that database unchanged.
Otherwise, when PostgreSQL's server binaries are installed, a cluster is made
in a temporary directory (no fsync, Unix socket only), ``DATABASE_URL`` points
the command at it, and the cluster is stopped and deleted afterwards, whatever
happens.  Without the binaries the command runs on SQLite, except under CI
(``CI`` set), where PostgreSQL is required.

Exits with the command's exit code.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

DATABASE = "lineage"
SUPERUSER = "postgres"
# Durability is worthless for a cluster deleted after the run.
SERVER_SETTINGS = {
    "listen_addresses": "''",
    "fsync": "off",
    "full_page_writes": "off",
    "synchronous_commit": "off",
    "max_connections": "50",
    "shared_buffers": "64MB",
    "log_min_messages": "warning",
}
# For a test run (main below), not a benchmark's corpus load: a statement
# that runs for minutes is a bug (a lock waited on for ever, a plan gone
# wrong), so it fails its test, with the statement named, instead of
# stalling the whole run until CI's deadline.
# The server's log then names each lock waited on for over a second (with the
# process holding it) and each statement that took over 5 s; main prints those
# lines at the end of the run, where CI's excerpt of the output shows them.
TEST_SETTINGS = {
    "statement_timeout": "'120s'",
    "log_lock_waits": "on",
    "deadlock_timeout": "'1s'",
    "log_min_duration_statement": "'5s'",
    "log_line_prefix": "'%m [%p] %d %a: '",
}
# What of the server's log main prints after a test run.
SLOW_MARKERS = ("still waiting for", "acquired", "duration:", "statement timeout")
SLOW_LINES = 60
FOLLOWING = ("DETAIL", "STATEMENT", "CONTEXT")
# A Unix socket path must fit in sockaddr_un.sun_path (108 bytes).
MAX_SOCKET_DIR = 80


def log(message: str) -> None:
    print(f"pg_cluster: {message}", file=sys.stderr, flush=True)


def find_bindir() -> Path | None:
    """Return the directory of the newest installed PostgreSQL server binaries."""

    def version(bindir: str) -> tuple[int, ...]:
        name = Path(bindir).parent.name
        return tuple(int(part) for part in re.findall(r"\d+", name))

    candidates = [
        d
        for d in glob.glob("/usr/lib/postgresql/*/bin")
        if os.access(os.path.join(d, "initdb"), os.X_OK)
        and os.access(os.path.join(d, "pg_ctl"), os.X_OK)
    ]
    if candidates:
        return Path(max(candidates, key=version))
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl:
        bindir = Path(pg_ctl).resolve().parent
        if os.access(bindir / "initdb", os.X_OK):
            return bindir
    return None


class Cluster:
    def __init__(self, bindir: Path, settings: dict[str, str] | None = None) -> None:
        self.bindir = bindir
        self.settings = dict(SERVER_SETTINGS, **(settings or {}))
        base = tempfile.gettempdir()
        if len(base) > MAX_SOCKET_DIR - 30:
            base = "/tmp"
        self.root = Path(tempfile.mkdtemp(prefix="lineage-pg-", dir=base))
        self.datadir = self.root / "data"
        self.socketdir = self.root
        self.logfile = self.root / "server.log"
        self.run_as: list[str] = []
        self.started = False

    @property
    def url(self) -> str:
        return f"postgres://{SUPERUSER}@/{DATABASE}?host={self.socketdir}"

    def _run(self, *args: str) -> None:
        command = [*self.run_as, *args]
        result = subprocess.run(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        if result.returncode != 0:
            detail = result.stdout.strip()
            if self.logfile.exists():
                detail += "\n" + self.logfile.read_text(errors="replace").strip()
            raise RuntimeError(f"{' '.join(args)} failed:\n{detail}")

    def start(self) -> None:
        if os.geteuid() == 0:
            # The server refuses to run as root.
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError(
                    "running as root, but there is no 'postgres' user to run "
                    "the server as"
                ) from None
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
            self.run_as = ["runuser", "-u", "postgres", "--"]
        self._run(
            str(self.bindir / "initdb"),
            "--pgdata",
            str(self.datadir),
            "--username",
            SUPERUSER,
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--no-locale",
            "--no-sync",
            "--no-instructions",
        )
        settings = dict(self.settings, unix_socket_directories=f"'{self.root}'")
        with open(self.datadir / "postgresql.conf", "a") as conf:
            conf.write("\n# lineage throwaway test cluster\n")
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
        self.started = True
        self._pg_ctl_start()
        self._run(
            str(self.bindir / "createdb"),
            "--host",
            str(self.socketdir),
            "--username",
            SUPERUSER,
            DATABASE,
        )

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``fast``: sessions are ended, as by an operator's
        restart); the data stays for :meth:`start_again`."""
        self._run(
            str(self.bindir / "pg_ctl"),
            "--pgdata",
            str(self.datadir),
            "--mode",
            mode,
            "--wait",
            "--silent",
            "stop",
        )

    def start_again(self) -> None:
        self._pg_ctl_start()

    def _pg_ctl_start(self) -> None:
        self._run(
            str(self.bindir / "pg_ctl"),
            "--pgdata",
            str(self.datadir),
            "--log",
            str(self.logfile),
            "--wait",
            "--timeout",
            "60",
            "--silent",
            "start",
        )

    def destroy(self) -> None:
        try:
            if self.started:
                # Immediate: nothing in it is worth a clean checkpoint.
                with contextlib.suppress(RuntimeError):
                    self._run(
                        str(self.bindir / "pg_ctl"),
                        "--pgdata",
                        str(self.datadir),
                        "--mode",
                        "immediate",
                        "--wait",
                        "--silent",
                        "stop",
                    )
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@contextlib.contextmanager
def forwarded_signals(child: subprocess.Popen) -> Iterator[None]:
    """Pass termination signals to the child, so cleanup still runs here.

    SIGINT from a terminal already reaches the child through the process group;
    here it is only kept from interrupting the wait, so the cluster is removed
    after the child has finished.
    """

    def forward(signum: int, frame: object) -> None:
        if signum != signal.SIGINT:
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signum)

    handled = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
    previous = {signum: signal.signal(signum, forward) for signum in handled}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def run(command: list[str], env: dict[str, str]) -> int:
    child = subprocess.Popen(command, env=env)
    with forwarded_signals(child):
        returncode = child.wait()
    return 128 - returncode if returncode < 0 else returncode


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2

    if os.environ.get("DATABASE_URL"):
        log("DATABASE_URL is set; using that database")
        return run(argv, dict(os.environ))

    bindir = find_bindir()
    if bindir is None:
        if os.environ.get("CI"):
            log(
                "error: PostgreSQL is required in CI, but no server binaries "
                "were found (/usr/lib/postgresql/*/bin or pg_ctl on PATH). "
                "Install them (apt-get install postgresql) or set DATABASE_URL."
            )
            return 3
        log("warning: PostgreSQL server binaries not found; running on SQLite")
        return run(argv, dict(os.environ))

    cluster = Cluster(bindir, TEST_SETTINGS)

    # SIGTERM before the child exists must still remove the cluster.
    def terminate(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, terminate)
    try:
        began = time.monotonic()
        try:
            cluster.start()
        except RuntimeError as error:
            log(f"error: could not start PostgreSQL: {error}")
            return 3
        log(
            f"PostgreSQL {bindir.parent.name} cluster ready in "
            f"{time.monotonic() - began:.1f} s at {cluster.socketdir}"
        )
        return run(argv, dict(os.environ, DATABASE_URL=cluster.url))
    finally:
        report_slow(cluster.logfile)
        cluster.destroy()


def report_slow(logfile: Path) -> None:
    """Print the log's lock waits and slow statements, each with the lines
    that go with it (DETAIL names the process holding the lock, STATEMENT
    the statement waiting)."""
    if not logfile.exists():
        return
    lines = logfile.read_text(errors="replace").splitlines()
    shown: list[str] = []
    for number, line in enumerate(lines):
        if any(marker in line for marker in SLOW_MARKERS):
            shown.append(line)
            for follow in lines[number + 1 : number + 4]:
                if not any(f" {part}:  " in follow for part in FOLLOWING):
                    break
                shown.append(f"    {follow[:400]}")
    if shown:
        log(f"the server's lock waits and slow statements ({len(shown)} lines):")
        for line in shown[:SLOW_LINES]:
            print(f"  {line[:400]}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
