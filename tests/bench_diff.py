"""Benchmark of ``diff_text`` on adversarial texts; prints a table, asserts nothing.

Times the issue's reproductions ("a " * 600 changed to "b a " * 300, and the
same at 1,600 characters), each adversarial family of tests/wiki/test_diff.py
and two ordinary edits at 10,000 and 200,000 characters, with this checkout's
wiki/diff.py and, with ``--before REV``, with the one of git revision REV too.
Each case runs in a child process, stopped after ``--timeout`` seconds (a
family that took longer at 10,000 characters is not run again at 200,000);
a fast case is run three times and the best kept.  Times are on the clock,
then in processor time, which the other work of a shared machine does not
change.

    .venv/bin/python tests/bench_diff.py --before 2ae65c9
"""

import argparse
import importlib.util
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wiki.settings")


def paragraphs(size: int, *, edited: int | None) -> tuple[str, str]:
    """A body of ``size`` characters in paragraphs; a word added to ``edited``
    of them (to every one if None)."""
    rng = random.Random(size)
    words = ["model", "data", "token", "scaling", "the", "a", "of", "paper"]
    texts = []
    while sum(map(len, texts)) + 2 * len(texts) < size:
        number = len(texts)
        texts.append(" ".join(rng.choice(words) for _ in range(30)) + f" ({number}).")
    old = "\n\n".join(texts)
    chosen = (
        range(len(texts)) if edited is None else rng.sample(range(len(texts)), edited)
    )
    for number in chosen:
        texts[number] = texts[number].replace(" ", " new ", 1)
    return old, "\n\n".join(texts)


def cases() -> dict[str, tuple[str, str]]:
    """Each case by name: (family, old text, new text)."""
    from tests.wiki.test_diff import ADVERSARIAL

    found = {
        'issue: "a " × 600 → "b a " × 300': ("issue", "a " * 600, "b a " * 300),
        'issue: "a " × 800 → "b a " × 400': ("issue", "a " * 800, "b a " * 400),
    }
    families = {
        **ADVERSARIAL,
        "ordinary: a word added to 20 paragraphs": lambda size: paragraphs(
            size, edited=20
        ),
        "ordinary: a word added to every paragraph": lambda size: paragraphs(
            size, edited=None
        ),
    }
    for size in (10_000, 200_000):
        for family, make in families.items():
            found[f"{family}, {size:,}"] = (family, *make(size))
    return found


def run_case(name: str, module_path: str | None) -> dict:
    """Time one case in this process (the child's side)."""
    import django

    django.setup()
    if module_path:
        spec = importlib.util.spec_from_file_location("diff_under_test", module_path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    else:
        from wiki import diff as module
    _, old, new = cases()[name]
    best = None
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        html = module.diff_text(old, new)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if best is None or cpu < best["cpu"]:
            best = {"wall": wall, "cpu": cpu}
        if wall > 1:
            break
    prefix = '<span class="diff-note">'
    note = html[len(prefix) : html.index(":")] if html.startswith(prefix) else ""
    return {**best, "chars": len(old), "shown": note or "word by word"}


def timed_in_child(name: str, module_path: str | None, timeout: float) -> dict:
    command = [sys.executable, __file__, "--case", name]
    if module_path:
        command += ["--module", module_path]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=True
        )
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    return json.loads(done.stdout.splitlines()[-1])


def seconds(result: dict | None) -> str:
    if result is None:
        return ""
    if "timeout" in result:
        skipped = (
            " (not run: a smaller size took longer)" if "skipped" in result else ""
        )
        return f"> {result['timeout']:.0f} s{skipped}"
    return f"{result['wall']:.3f} s ({result['cpu']:.3f} cpu)"


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", metavar="REV", help="also time REV's diff.py")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--module", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.module)))
        return

    before_path = None
    if args.before:
        source = subprocess.run(
            ["git", "show", f"{args.before}:wiki/diff.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        with tempfile.NamedTemporaryFile(
            "w", suffix=".py", prefix="diff_before_", delete=False
        ) as file:
            file.write(source)
        before_path = file.name

    import django

    django.setup()
    print(f"load at start: {uptime()}")
    print()
    header = ["case", "characters"]
    if before_path:
        header.append(f"before ({args.before})")
    header += ["after", "after, shown"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    timed_out = set()  # families that took too long before at a smaller size
    try:
        for name, (family, _, _) in cases().items():
            before = None
            if before_path and family in timed_out:
                before = {"timeout": args.timeout, "skipped": True}
            elif before_path:
                before = timed_in_child(name, before_path, args.timeout)
                if "timeout" in before:
                    timed_out.add(family)
            after = timed_in_child(name, None, args.timeout)
            row = [name, f"{after.get('chars', 0):,}"]
            if before_path:
                row.append(seconds(before))
            row += [seconds(after), after.get("shown", "")]
            print("| " + " | ".join(row) + " |", flush=True)
    finally:
        if before_path:
            os.unlink(before_path)
    print()
    print(f"load at end: {uptime()}")


if __name__ == "__main__":
    main()
