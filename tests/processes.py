"""Processes a test or a harness starts (servers, workers), each in its own
process group and logging to a file, all stopped at the end: shared by
tests/test_scale_out.py and bench/soak.py."""

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Processes:
    """Started processes, each logging to a file; all stopped at the end."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.running: list[tuple[str, subprocess.Popen, Path]] = []

    def start(self, name: str, command: list[str], env: dict) -> subprocess.Popen:
        log = self.directory / f"{name}.log"
        with log.open("ab") as out:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.running.append((name, process, log))
        return process

    def stop(self, name: str, signum: int = signal.SIGTERM) -> None:
        """Stop the process ``name`` (its whole group) and forget it."""
        for entry in list(self.running):
            if entry[0] == name:
                process = entry[1]
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signum)
                process.wait(timeout=30)
                self.running.remove(entry)

    def check_alive(self) -> None:
        for name, process, _ in self.running:
            assert process.poll() is None, f"{name} exited:\n{self.logs()}"

    def logs(self) -> str:
        return "\n".join(
            f"--- {name} ---\n{log.read_text(errors='replace')[-3000:]}"
            for name, _, log in self.running
        )

    def stop_all(self) -> None:
        for _, process, _ in reversed(self.running):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for _, process, _ in reversed(self.running):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)


def wait_for_port(
    port: int, processes: Processes, what: str, timeout: float = START_TIMEOUT
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        processes.check_alive()
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", port), timeout=1),
        ):
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} did not start:\n{processes.logs()}")


@contextlib.contextmanager
def deadline(seconds: int, timeout: type[Exception], variable: str):
    """Raise ``timeout`` after ``seconds`` (SIGALRM), and SystemExit on SIGTERM
    or SIGHUP, so that a run's ``finally`` stops what it started; ``variable``
    names the setting in the message."""

    def expire(signum, frame):
        raise timeout(f"stopped after {variable}={seconds} s")

    def terminate(signum, frame):
        raise SystemExit(f"stopped by signal {signum}")

    previous = {
        signal.SIGALRM: signal.signal(signal.SIGALRM, expire),
        signal.SIGTERM: signal.signal(signal.SIGTERM, terminate),
        signal.SIGHUP: signal.signal(signal.SIGHUP, terminate),
    }
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
