"""Rendering costs time linear in the size of the text, on text built to be slow.

For each family of hostile input (tests/markdown_families.py) the render of
4N characters must cost less than 8 times the render of N: linear cost gives
about 4, quadratic about 16.  Times are CPU seconds of this process (best of
three), so other work on the machine does not count.
"""

import gc
import time

import pytest

from tests.markdown_families import family_text
from wiki.markdown import render

# The families the issue names, and one for each other cause of quadratic
# time that was found (tests/bench_markdown.py times them all).
TIMED = [
    "[ run",
    "[[ run",
    "* run",
    "_ run",
    "backtick run",
    "nested list",
    "nested quote",
    "repeated word",
    "[@ run",
    "[@? run",
    "@ run",
    "citation needed",
    "[[a| run",
    "[a]( run",
    "![ run",
    "unclosed code",
    "emphasis",
    "rule of 3",
    "deep emphasis",
    "smart quotes",
    "html nesting",
    "formatting html",
    "open tag run",
    "attribute run",
    "comments in tags",
    "heading lines",
    "rule lines",
    "code lines",
    "list ladder",
]
SIZE = 2_000
GROWTH = 4
LIMIT = 8  # linear ~ 4, quadratic ~ 16


def cpu_seconds(text: str, *, runs: int = 3, enough: float = 0.0) -> float:
    """The least CPU time of up to ``runs`` renders; stop once under ``enough``."""
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        start = time.process_time()
        render(text)
        best = min(best, time.process_time() - start)
        if best < enough:
            break
    return best


@pytest.mark.django_db
@pytest.mark.parametrize("family", TIMED)
def test_render_time_grows_linearly_with_the_size_of_hostile_text(family):
    small = family_text(family, SIZE)
    large = family_text(family, GROWTH * SIZE)
    render(small)  # compile the expressions, warm the caches
    base = cpu_seconds(small)
    grown = cpu_seconds(large, enough=LIMIT * base)
    assert grown / base < LIMIT, (
        f"{family}: {SIZE:,} characters in {base * 1000:.1f} ms, "
        f"{GROWTH * SIZE:,} in {grown * 1000:.1f} ms ({grown / base:.1f} times)"
    )
