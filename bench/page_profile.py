"""Server time of one page, logged in and anonymous, with the page cache off:
p50/p95 of N requests through Django's test client, the SQL queries of one
request, and a cProfile of where the time goes.

    DJANGO_DEBUG=false DJANGO_SECRET_KEY=x DJANGO_ALLOWED_HOSTS=testserver \
        python bench/page_profile.py [URL] [--requests 50] [--user contributor] \
        [--profile 30]

Run it against a database with the seed (and a generated corpus), e.g. inside
``tests/pg_cluster.py -- sh -c '...'``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wiki.settings")
os.environ["LINEAGE_PAGE_CACHE"] = "false"

from bench.measure import median, percentile  # noqa: E402


def main() -> int:
    import django

    parser = argparse.ArgumentParser()
    parser.add_argument("url", nargs="?", default="/people/alec-radford/")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--user", default="contributor")
    parser.add_argument("--profile", type=int, default=30, help="requests profiled")
    parser.add_argument("--top", type=int, default=35)
    args = parser.parse_args()
    django.setup()

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    anonymous = Client()
    logged_in = Client()
    logged_in.force_login(
        get_user_model().objects.get(username=args.user),
        backend="django.contrib.auth.backends.ModelBackend",
    )
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"{args.url}, {args.requests} requests each, load {load}")
    for label, client in (("logged in", logged_in), ("anonymous", anonymous)):
        for _ in range(3):
            assert client.get(args.url).status_code == 200  # warm up
        queries: list[str] = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            size = len(client.get(args.url).content)
        timings = []
        for _ in range(args.requests):
            started = time.perf_counter()
            client.get(args.url)
            timings.append((time.perf_counter() - started) * 1000)
        print(
            f"  {label:10} p50 {median(timings):6.1f} ms  "
            f"p95 {percentile(timings, 0.95):6.1f} ms  "
            f"{len(queries)} queries  {size / 1024:.1f} KB"
        )
        for sql in queries:
            print(f"      {sql[:150]}")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.profile):
            logged_in.get(args.url)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(args.top)
        print(f"cProfile, {args.profile} logged-in requests (cumulative):")
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
