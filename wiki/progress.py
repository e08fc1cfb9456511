"""A progress bar for long management commands (generate_pages,
rebuild_search)."""

import sys
import time


class Progress:
    """A one-line progress bar on stderr when it is a terminal.  Elsewhere
    (a log), with ``lines``, one line as each phase completes."""

    def __init__(self, *, enabled: bool, stream=None, lines: bool = False):
        self.stream = stream or sys.stderr
        self.bar = enabled and self.stream.isatty()
        self.lines = enabled and lines and not self.bar
        self.started = time.monotonic()

    @property
    def enabled(self) -> bool:
        return self.bar or self.lines

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not total:
            return
        elapsed = time.monotonic() - self.started
        if self.lines:
            if done >= total:
                self.stream.write(f"{phase}: {done:,}/{total:,} {elapsed:.0f}s\n")
            return
        if not self.bar:
            return
        width = 30
        filled = width * done // total
        self.stream.write(
            f"\r{phase:<10} [{'#' * filled}{'.' * (width - filled)}] "
            f"{done:>9,}/{total:,} {elapsed:6.0f}s"
        )
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()
