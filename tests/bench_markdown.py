"""Benchmark of the renderer on adversarial input; prints timings, asserts nothing.

Each family repeats one small unit of Markdown (runs of ``[``, nested lists,
wikilinks, ...) up to a given size, and ``wiki.markdown.render`` is timed on
it (best of ``--runs``) in a throwaway test database, so ``[[links]]`` and
``[@citations]`` are looked up as on the site.  A render that takes longer than
``--cap`` seconds is abandoned and reported as such.

    .venv/bin/python tests/bench_markdown.py        # 10 KB and 200 KB, every family
    .venv/bin/python tests/bench_markdown.py --sizes 10000 --families '[[ run,emphasis'

The timing test in ``tests/wiki/test_markdown_cost.py`` uses the same families.
"""

import argparse
import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wiki.settings")

from tests.markdown_families import FAMILIES, family_text  # noqa: E402


class Abandoned(Exception):
    pass


def _abandon(signum, frame):
    raise Abandoned


def time_render(text: str, *, runs: int, cap: int) -> str:
    from wiki.markdown import render

    best = None
    for _ in range(runs):
        signal.signal(signal.SIGALRM, _abandon)
        signal.alarm(cap)
        start = time.perf_counter()
        try:
            render(text)
        except Abandoned:
            return f"> {cap} s"
        except RecursionError:
            return "RecursionError"
        finally:
            signal.alarm(0)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return f"{best:.3f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,200000")
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cap", type=int, default=120)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    families = [name for name in args.families.split(",") if name]

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"Load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
        header = "family".ljust(22) + "".join(f"{size:>16,}" for size in sizes)
        print(header)
        for name in families:
            cells = []
            for size in sizes:
                text = family_text(name, size)
                cells.append(time_render(text, runs=args.runs, cap=args.cap))
            print(name.ljust(22) + "".join(c.rjust(16) for c in cells), flush=True)
        print(f"Load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
