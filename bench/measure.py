"""Small pure helpers of the scale benchmark: percentiles, wrk's output, tables."""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Sequence

UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest value with at least
    ``fraction`` of the values at or below it."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def latency_ms(text: str) -> float:
    """``"1.25ms"`` (a latency as wrk prints it) in milliseconds."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not match:
        raise ValueError(f"not a wrk latency: {text!r}")
    return float(match.group(1)) * UNIT_MS[match.group(2)]


def parse_wrk(output: str) -> dict:
    """requests/s, p50 and p99 (ms), requests and errors of one ``wrk --latency``
    run; errors are non-2xx/3xx responses plus socket errors."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    requests = re.search(r"(\d+) requests in", output)
    if not (rps and p50 and p99 and requests):
        raise ValueError("not the output of wrk --latency")
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "rps": float(rps.group(1)),
        "p50": latency_ms(p50.group(1)),
        "p99": latency_ms(p99.group(1)),
        "requests": int(requests.group(1)),
        "errors": (int(non2xx.group(1)) if non2xx else 0)
        + (sum(int(n) for n in sockets.groups()) if sockets else 0),
    }


def median_run(runs: Sequence[dict]) -> dict:
    """The run with the median requests/s (the lower middle one of an even
    number), as the peers' harness picks it."""
    ordered = sorted(runs, key=lambda run: run["rps"])
    return ordered[(len(ordered) - 1) // 2]


def parse_peers(output: str) -> dict[str, dict]:
    """The summary lines ``run_peers.sh`` prints on stdout, by system name."""
    found = {}
    for line in output.splitlines():
        fields = line.split()
        if len(fields) < 7 or fields[0] == "system":
            continue
        name, rps, p50, p99, curl, size, errors = fields[:7]
        if rps == "FAILED":
            found[name] = {"failed": " ".join(fields[7:]) or "failed"}
            continue
        try:
            found[name] = {
                "rps": float(rps),
                "p50": float(p50),
                "p99": float(p99),
                "curl_p50": float(curl),
                "bytes": int(size),
                "errors": int(errors),
            }
        except ValueError:
            continue
    return found


def table(
    headers: Sequence[str], rows: Sequence[Sequence[object]], align: str = ""
) -> str:
    """A plain text table.  ``align`` has an ``l`` or ``r`` per column; by
    default the first column is aligned left and the others right.  Short rows
    are completed with ``-``."""
    count = len(headers)
    align = align or "l" + "r" * (count - 1)
    cells = [
        [str(h) for h in headers],
        *[[cell(v) for v in [*row, *[None] * (count - len(row))]] for row in rows],
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(count)]
    lines = [
        "  ".join(
            value.ljust(size) if side == "l" else value.rjust(size)
            for value, size, side in zip(row, widths, align, strict=True)
        ).rstrip()
        for row in cells
    ]
    lines.insert(1, "  ".join("-" * size for size in widths))
    return "\n".join(lines)


def cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.1f}" if value >= 100 else f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
