"""The scale benchmark's arithmetic and parsing (bench/measure.py); the
benchmark itself runs with ``make bench``, never in the suite."""

import pytest

from bench.measure import (
    latency_ms,
    median_run,
    parse_peers,
    parse_wrk,
    percentile,
    table,
)

WRK_OUTPUT = """\
Running 10s test @ http://127.0.0.1:8000/people/alec-radford/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.31ms    3.02ms  41.20ms   80.11%
    Req/Sec   650.12     40.55   720.00     70.00%
  Latency Distribution
     50%   11.90ms
     75%   13.40ms
     90%   15.80ms
     99%    1.02s
  12990 requests in 10.01s, 310.55MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   1297.70
Transfer/sec:     31.02MB
"""


def test_percentile_is_the_nearest_rank():
    values = list(range(1, 31))  # 30 requests: 1 ms .. 30 ms
    assert percentile(values, 0.95) == 29
    assert percentile(values, 0.5) == 15
    assert percentile([7.0], 0.95) == 7.0


def test_percentile_of_nothing_is_an_error():
    with pytest.raises(ValueError):
        percentile([], 0.5)


def test_wrk_latencies_in_every_unit_become_milliseconds():
    assert latency_ms("850.00us") == pytest.approx(0.85)
    assert latency_ms("11.90ms") == pytest.approx(11.9)
    assert latency_ms("1.02s") == pytest.approx(1020)


def test_parse_wrk_reads_rate_percentiles_and_counts_every_error():
    found = parse_wrk(WRK_OUTPUT)
    assert found == {
        "rps": 1297.70,
        "p50": pytest.approx(11.9),
        "p99": pytest.approx(1020),
        "requests": 12990,
        "errors": 7,
    }


def test_parse_wrk_refuses_other_output():
    with pytest.raises(ValueError):
        parse_wrk("unable to connect to 127.0.0.1:8000 Connection refused")


def test_median_run_is_the_middle_one_by_requests_per_second():
    runs = [{"rps": 90.0}, {"rps": 120.0}, {"rps": 100.0}]
    assert median_run(runs) == {"rps": 100.0}
    assert median_run([{"rps": 2.0}, {"rps": 1.0}]) == {"rps": 1.0}


def test_parse_peers_reads_the_harness_summary_and_its_failures():
    output = (
        "system          req/s    p50_ms    p99_ms curl_p50_ms    bytes  errors\n"
        "wagtail         106.6     99.52    145.30       11.58    11553       0\n"
        "lineage        FAILED         -         -           -        -       -  "
        "HTTP 500 or article text missing at http://127.0.0.1:1/x/\n"
    )
    found = parse_peers(output)
    assert found["wagtail"] == {
        "rps": 106.6,
        "p50": 99.52,
        "p99": 145.3,
        "curl_p50": 11.58,
        "bytes": 11553,
        "errors": 0,
    }
    assert found["lineage"] == {
        "failed": "HTTP 500 or article text missing at http://127.0.0.1:1/x/"
    }
    assert list(found) == ["wagtail", "lineage"]


def test_table_aligns_columns_and_marks_missing_cells():
    text = table(["view", "p50", "KB"], [["home", 4.5, 1200], ["a longer view", None]])
    assert text.splitlines() == [
        "view            p50     KB",
        "-------------  ----  -----",
        "home           4.50  1,200",
        "a longer view     -      -",
    ]


def test_table_aligns_as_told():
    text = table(["view", "ms", "url"], [["home", 4.5, "/"], ["x", 12.25, "/people/"]])
    assert text.splitlines()[2:] == ["home   4.50         /", "x     12.25  /people/"]
    text = table(["view", "ms", "url"], [["home", 4.5, "/"]], align="lrl")
    assert text.splitlines()[2] == "home  4.50  /"
