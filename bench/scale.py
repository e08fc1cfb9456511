"""Scale benchmark (``make bench``): Lineage at 100,000 pages beside its peers.

In one run, on this machine, bounded in time and stopping everything it
started:

1. a throwaway PostgreSQL cluster (``tests/pg_cluster.py``'s), migrated, with
   static files collected, the seed, the demo accounts and ``BENCH_PAGES``
   generated pages (``manage.py generate_pages``); the peers' article is
   published as the theme page ``/themes/tool-library/``;
2. server time of each view type through Django's test client, DEBUG off:
   p50/p95 of ``BENCH_REQUESTS`` requests after one warm-up, as served
   (anonymous pages may come from the cache) and uncached (a query string no
   other request used), with the HTML size and the SQL queries of one request;
3. gunicorn (2 workers) on the same database, measured with wrk for the seed
   profile anonymous and logged in, an index, a history page and a static file,
   plus ``CURL_N`` sequential curl requests each, then the peers' harness
   (``run_peers.sh``) for the article beside Wagtail, django-wiki and nginx,
   and the memory of one app worker afterwards.

It prints one table and writes it to ``var/bench/scale-<time>.txt`` (git-ignored).

    make bench                        # 100,000 pages (about half an hour)
    BENCH_PAGES=5000 make bench       # a quicker trial
    BENCH_PEERS= make bench           # without the peers

Variables (defaults): BENCH_PAGES=100000 (0: seed only), BENCH_PEOPLE and
BENCH_WORKS (a third and two thirds of the pages), BENCH_SEED=11,
BENCH_REQUESTS=30, BENCH_VIEW_SECONDS=20 (stop timing a view after this),
BENCH_TIMEOUT=3600 (the whole run), BENCH_PEERS="wagtail djwiki static",
BENCH_PEERS_DIR (../shared/peers), BENCH_WORKERS=2 (gunicorn sync workers, as
the peers run), BENCH_REDIS=1 (the cache in a throwaway redis-server, as in
production, when redis-server is installed; 0: local memory), ROUNDS=3,
WRK_DURATION=10s, WARMUP=3s, WRK_THREADS=2, WRK_CONNS=16, CURL_N=50.
"""

from __future__ import annotations

import contextlib
import html
import http.client
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.measure import (  # noqa: E402
    median,
    median_run,
    parse_peers,
    parse_wrk,
    percentile,
    table,
)
from tests.processes import deadline  # noqa: E402

PYTHON = sys.executable
SEED_PROFILE = "/people/alec-radford/"
ARTICLE_SLUG = "tool-library"
LOGGED_IN_USER = ("contributor", "lineage-contributor")
PAGE_TARGET_KB = 200
SERVER_TIME_TARGET_MS = 50
# Search (issue 12): results p95, suggestions p95, what indexing adds to a publish.
SEARCH_TARGET_MS = 50
SUGGEST_TARGET_MS = 15
# Issue 15's targets, on the served (median) time: the relationship graph of
# the seed profile, a preview from the cache, a watchlist of 1,000 pages.
GRAPH_TARGET_MS = 50
PREVIEW_TARGET_MS = 10
WATCHLIST_TARGET_MS = 50
WATCHED_PAGES = 1_000
INDEX_TARGET_MS = 10
WORKER_RSS_TARGET_MB = 150


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def log(message: str) -> None:
    stamp = datetime.now(UTC).strftime("%H:%M:%S")
    print(f"[bench {stamp}] {message}", file=sys.stderr, flush=True)


class BenchTimeout(Exception):
    pass


def find_peers_dir() -> Path | None:
    named = os.environ.get("BENCH_PEERS_DIR")
    candidates = [Path(named)] if named else []
    candidates += [parent / "shared" / "peers" for parent in ROOT.parents]
    for candidate in candidates:
        if (candidate / "run_peers.sh").is_file():
            return candidate
    return None


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Settings:
    """The run's knobs, from the environment."""

    def __init__(self) -> None:
        self.pages = env_int("BENCH_PAGES", 100_000)
        self.people = env_int("BENCH_PEOPLE", self.pages // 3)
        self.works = env_int("BENCH_WORKS", self.pages - self.people)
        self.seed = env_int("BENCH_SEED", 11)
        self.requests = env_int("BENCH_REQUESTS", 30)
        self.view_seconds = env_int("BENCH_VIEW_SECONDS", 20)
        self.timeout = env_int("BENCH_TIMEOUT", 3600)
        self.workers = env_int("BENCH_WORKERS", 2)
        self.peers = os.environ.get("BENCH_PEERS", "wagtail djwiki static").split()
        self.rounds = env_int("ROUNDS", 3)
        self.duration = os.environ.get("WRK_DURATION", "10s")
        self.warmup = os.environ.get("WARMUP", "3s")
        self.threads = env_int("WRK_THREADS", 2)
        self.connections = env_int("WRK_CONNS", 16)
        self.curl_n = env_int("CURL_N", 50)
        self.redis = bool(env_int("BENCH_REDIS", 1)) and bool(
            shutil.which("redis-server")
        )

    @property
    def wrk_flags(self) -> str:
        return f"-t{self.threads} -c{self.connections} -d{self.duration} --latency"


class Report:
    """What the run found, printed as one table at the end (or when it stops)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.started = time.monotonic()
        self.started_at = datetime.now(UTC)
        self.load_at_start = load()
        self.lines: list[str] = []
        self.setup: list[tuple[str, float]] = []
        self.corpus: dict[str, int] = {}
        self.server_rows: list[list] = []
        self.misses: list[str] = []
        self.wrk_rows: list[list] = []
        self.wrk_by_label: dict[str, dict] = {}
        self.peers: dict[str, dict] = {}
        self.peers_note = ""
        self.server_note = ""
        self.rss: list[tuple[int, float]] = []
        self.load_wrk = ""
        self.load_peers = ""
        self.stopped = ""
        self.cache = "-"
        self.rss_peak: dict[int, float] = {}
        self.p95s: list[tuple[str, str, float]] = []

    def text(self) -> str:
        s = self.settings
        out = [
            f"Lineage scale benchmark, {self.started_at:%Y-%m-%d %H:%M} UTC, "
            f"{platform.node()}, {os.cpu_count()} cpus, commit {git_commit()}",
            f"load average (1, 5, 15 min): at start {self.load_at_start}; "
            f"during wrk {self.load_wrk or '-'}; during the peers "
            f"{self.load_peers or '-'}; at the end {load()}",
            f"took {(time.monotonic() - self.started) / 60:.1f} min: "
            + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in self.setup),
            f"cache: {self.cache}",
        ]
        if self.corpus:
            out.append(
                "corpus: " + ", ".join(f"{v:,} {k}" for k, v in self.corpus.items())
            )
        if self.stopped:
            out.append(f"INCOMPLETE: {self.stopped}")
        if self.server_rows:
            out += [
                "",
                f"Server time (Django test client, DEBUG off, PostgreSQL): "
                f"{s.requests} requests per view after one warm-up, at most "
                f"{s.view_seconds} s each; 'served' repeats the URL (a cache may "
                "answer), 'uncached' adds a query string no request used before.",
                table(
                    [
                        "view",
                        "served p50",
                        "p95",
                        "uncached p50",
                        "p95",
                        "n",
                        "queries",
                        "KB",
                        "status",
                        "url",
                    ],
                    self.server_rows,
                    align="lrrrrrrrrl",
                ),
            ]
        if self.lines:
            out += ["", *self.lines]
        if self.wrk_rows or self.peers:
            out += ["", self.server_note]
            rows = list(self.wrk_rows)
            for name, found in self.peers.items():
                if "failed" in found:
                    rows.append([f"peer {name}", "FAILED", *["-"] * 5])
                    continue
                rows.append(
                    [
                        f"peer {name}",
                        found["rps"],
                        found["p50"],
                        found["p99"],
                        found["curl_p50"],
                        found["bytes"],
                        found["errors"],
                    ]
                )
            out.append(
                table(
                    ["system/view", "req/s", "p50", "p99", "curl p50"]
                    + ["bytes", "errors"],
                    rows,
                )
            )
            if self.peers_note:
                out.append(self.peers_note)
        if self.rss:
            out.append(
                "app workers' memory after the benchmark (RSS): "
                + ", ".join(f"pid {pid} {mb:.0f} MB" for pid, mb in self.rss)
                + f" (target < {WORKER_RSS_TARGET_MB} MB)"
            )
        if self.rss_peak:
            out.append(
                f"largest RSS of any worker during the run: "
                f"{max(self.rss_peak.values()):.0f} MB; {len(self.rss_peak)} "
                "worker processes seen (gunicorn replaces a worker after "
                "max_requests)"
            )
        ratios, misses = self.ratios()
        out += ratios
        misses = [*self.slow_views(), *self.misses, *misses]
        if misses:
            out += ["", "Targets missed:", *(f"- {miss}" for miss in misses)]
        return "\n".join(out) + "\n"

    def slow_views(self) -> list[str]:
        """The server-time misses, summed up: how many, and the slowest."""
        out = []
        for name in ("served", "uncached"):
            found = [(p95, label) for kind, label, p95 in self.p95s if kind == name]
            slow = sorted(
                (p for p in found if p[0] >= SERVER_TIME_TARGET_MS), reverse=True
            )
            if slow:
                out.append(
                    f"server time, {name}: p95 >= {SERVER_TIME_TARGET_MS} ms for "
                    f"{len(slow)} of {len(found)} views; the slowest: "
                    + "; ".join(f"{label} {p95:,.0f} ms" for p95, label in slow[:6])
                )
        return out

    def ratios(self) -> tuple[list[str], list[str]]:
        """Lines giving the ratios to Wagtail the targets name, and the misses."""
        wagtail = self.peers.get("wagtail", {}).get("rps")
        if not wagtail:
            return [], []
        out = ["", f"Ratios to Wagtail's {wagtail:.1f} req/s in this run:"]
        misses = []
        for label, name, target in (
            ("seed profile, anonymous", "profile, anonymous", 10),
            ("seed profile, logged in", "profile, logged in", 2),
            ("peer article", "peer lineage", None),
        ):
            found = self.wrk_by_label.get(name) or self.peers.get(
                name.removeprefix("peer ")
            )
            if not found or not found.get("rps"):
                continue
            ratio = found["rps"] / wagtail
            goal = f" (target >= {target}x)" if target else ""
            out.append(f"- {label}: {ratio:.2f}x{goal}")
            if target and ratio < target:
                misses.append(f"{label}: {ratio:.2f}x Wagtail, target {target}x")
        return out, misses


def git_commit() -> str:
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("+changes" if dirty else "")


# --- 1. the database ---------------------------------------------------------


def manage(report: Report, env: dict, label: str, *args: str) -> None:
    started = time.monotonic()
    log(f"manage.py {' '.join(args)}")
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, check=True)
    report.setup.append((label, time.monotonic() - started))


def has_command(env: dict, name: str) -> bool:
    found = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), "help", name],
        env=env,
        capture_output=True,
    )
    return found.returncode == 0


def build_database(report: Report, settings: Settings, env: dict) -> None:
    manage(report, env, "migrate", "migrate", "--no-input", "-v", "0")
    manage(report, env, "collectstatic", "collectstatic", "--no-input", "-v", "0")
    manage(report, env, "seed", "load_seed")
    # Demo accounts are refused with DEBUG off (they are for development).
    manage(report, dict(env, DJANGO_DEBUG="true"), "accounts", "create_demo_accounts")
    if settings.pages <= 0:
        return
    if not has_command(env, "generate_pages"):
        report.misses.append(
            "no generate_pages command in this checkout: measured the seed only"
        )
        log("warning: no generate_pages command; measuring the seed only")
        return
    manage(
        report,
        env,
        f"generate {settings.pages:,} pages",
        "generate_pages",
        "--people",
        str(settings.people),
        "--works",
        str(settings.works),
        "--seed",
        str(settings.seed),
    )


def publish_article(peers_dir: Path | None) -> str | None:
    """Publish the peers' article as a theme page, in two revisions (so it has
    a history and a diff); return its URL."""
    from django.contrib.auth import get_user_model

    from wiki.models import Theme
    from wiki.services import page_publish

    if peers_dir is None:
        return None
    text = (peers_dir / "article.md").read_text()
    heading, _, body = text.partition("\n")
    user = get_user_model().objects.get(username="admin")
    theme = Theme(title=heading.lstrip("# ").strip(), slug=ARTICLE_SLUG)
    theme.body = body.strip()[: len(body) // 2].rsplit("\n\n", 1)[0]
    page_publish(page=theme, user=user, summary="The peers' article, first half")
    theme.body = body.strip()
    page_publish(page=theme, user=user, summary="The peers' article")
    return theme.get_absolute_url()


def count_corpus(report: Report) -> None:
    from django.db.models import Count
    from reversion.models import Revision

    from sources.models import Authorship, Citation, Source
    from wiki.models import Page, PageLink

    kinds = Page.objects.values("kind").annotate(n=Count("id")).order_by("kind")
    report.corpus = {"pages": Page.objects.count()}
    report.corpus.update({f"{row['kind']} pages": row["n"] for row in kinds})
    report.corpus.update(
        {
            "sources": Source.objects.count(),
            "authorships": Authorship.objects.count(),
            "citations": Citation.objects.count(),
            "wikilinks": PageLink.objects.count(),
            "revisions": Revision.objects.count(),
        }
    )


def top(sql: str) -> int | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return row[0] if row else None


def pick_pages() -> dict[str, str]:
    """The worst case of each page type: the URLs of the busiest pages."""
    from people.models import Affiliation, Person
    from sources.models import Authorship, Citation, Source, Work
    from wiki.models import Page, RevisionMeta

    authorship = Authorship._meta.db_table
    affiliation = Affiliation._meta.db_table
    person_themes = Person.themes.through._meta.db_table
    work_themes = Work.themes.through._meta.db_table
    seed_profile = Person.objects.filter(slug=SEED_PROFILE.split("/")[2]).first()
    not_seed = f"AND a.person_id <> {seed_profile.pk}" if seed_profile else ""
    urls = {}
    person = top(
        f"""
        SELECT person, SUM(n) FROM (
          SELECT a.person_id AS person, COUNT(DISTINCT b.person_id) AS n
          FROM {authorship} a JOIN {authorship} b
            ON b.work_id = a.work_id AND b.person_id <> a.person_id
          WHERE 1 = 1 {not_seed}
          GROUP BY a.person_id
          UNION ALL
          SELECT a.person_id, sizes.n FROM {affiliation} a JOIN (
            SELECT organization_id, COUNT(*) - 1 AS n FROM {affiliation}
            GROUP BY organization_id
          ) sizes ON sizes.organization_id = a.organization_id
          WHERE 1 = 1 {not_seed}
        ) colleagues GROUP BY person ORDER BY 2 DESC, 1 LIMIT 1"""
    )
    queries = {
        "person, most co-authors and colleagues": person,
        "work, most authors": top(
            f"SELECT work_id FROM {authorship} GROUP BY work_id "
            "ORDER BY COUNT(*) DESC, 1 LIMIT 1"
        ),
        "theme, most members": top(
            f"""SELECT theme_id FROM (
              SELECT theme_id FROM {person_themes}
              UNION ALL SELECT theme_id FROM {work_themes}
            ) members GROUP BY theme_id ORDER BY COUNT(*) DESC, 1 LIMIT 1"""
        ),
        "organization, most members": top(
            f"SELECT organization_id FROM {affiliation} GROUP BY organization_id "
            "ORDER BY COUNT(*) DESC, 1 LIMIT 1"
        ),
    }
    for label, pk in queries.items():
        if pk is not None:
            urls[label] = Page.objects.get(pk=pk).get_absolute_url()
    source = top(
        f"SELECT source_id FROM {Citation._meta.db_table} GROUP BY source_id "
        "ORDER BY COUNT(*) DESC, 1 LIMIT 1"
    )
    if source is not None:
        urls["source, most cited"] = Source.objects.get(pk=source).get_absolute_url()
    history = top(
        f"SELECT page_id FROM {RevisionMeta._meta.db_table} "
        "WHERE page_id IS NOT NULL GROUP BY page_id "
        "ORDER BY COUNT(*) DESC, 1 LIMIT 1"
    )
    if history is not None:
        page = Page.objects.get(pk=history)
        revisions = list(
            RevisionMeta.objects.filter(page=page)
            .order_by("revision_id")
            .values_list("revision_id", flat=True)
        )
        base = page.get_absolute_url()
        urls[f"history ({len(revisions)} revisions)"] = f"{base}history/"
        urls["old revision (the first)"] = f"{base}revisions/{revisions[0]}/"
        if len(revisions) > 1:
            query = urlencode({"from": revisions[0], "to": revisions[-1]})
            urls["diff (first to last)"] = f"{base}diff/?{query}"
    return urls


# --- 2. server time -----------------------------------------------------------


SEE_ALL = re.compile(
    r"""<a\b[^>]*\bhref="([^"]+)"[^>]*>\s*(?:<[^>]+>\s*)*(see all[^<]*)""", re.I
)
PAGES = re.compile(r"Page 1 of ([\d,]+)")
PAGE_TYPES = (
    "seed profile, anonymous",
    "person, most co-authors and colleagues",
    "work, most authors",
    "theme, most members",
    "organization, most members",
    "source, most cited",
)


def list_length(label: str) -> int:
    """The number in a "See all 1,074 people" label (0 without one)."""
    found = re.search(r"\d[\d,]*", label)
    return int(found.group().replace(",", "")) if found else 0


LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>")
STATIC_CSS = re.compile(r"""\bhref="(/static/[^"]+\.css)\"""")


def local(url: str) -> str:
    """The path and query of a URL (sitemaps give absolute ones)."""
    parts = urlsplit(html.unescape(url))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def with_query(url: str, name: str, value: object) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode({name: value})}"


def time_view(client, url: str, settings: Settings, *, uncached: bool) -> dict:
    """Timings of ``url`` after one warm-up request (ms), or the warm-up's
    status when it is not 200."""
    tag = secrets.token_hex(4)
    first = client.get(with_query(url, "bench", f"{tag}-w") if uncached else url)
    if first.status_code != 200:
        return {"status": first.status_code, "timings": []}
    timings: list[float] = []
    deadline = time.monotonic() + settings.view_seconds
    for number in range(settings.requests):
        target = with_query(url, "bench", f"{tag}-{number}") if uncached else url
        started = time.perf_counter()
        response = client.get(target)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            return {"status": response.status_code, "timings": timings}
        if time.monotonic() > deadline:
            break
    return {"status": 200, "timings": timings}


def time_computed(report: Report, settings: Settings, client, measured: list) -> list:
    """Time the URL of ``measured`` (a row just added) with every cache made
    stale before each request (``wiki.cache.bump_now``, as a publish does):
    the time to compute it.  Add and return its row."""
    from wiki.cache import bump_now

    label, url = measured[0], measured[-1]
    timings: list[float] = []
    status = 200
    for _ in range(settings.requests):
        bump_now()
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        status = response.status_code
        if status != 200:
            break
    row = [f"{label}, computed", None, None, median(timings)]
    row += [percentile(timings, 0.95), len(timings), *measured[6:8], status, url]
    report.server_rows.append(row)
    if status != 200:
        report.misses.append(f"{row[0]}: HTTP {status} at {url}")
    return row


def server_time(report: Report, settings: Settings, urls: dict[str, str]) -> dict:
    """Time every view type; return what later steps need (URLs, HTML)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    anonymous = Client()
    logged_in = Client()
    logged_in.force_login(
        get_user_model().objects.get(username=LOGGED_IN_USER[0]),
        backend="django.contrib.auth.backends.ModelBackend",
    )
    pages: dict[str, bytes] = {}

    def measure(label, url, client=anonymous, last=True, first=True) -> None:
        """Time ``url`` (unless not ``first``), then the last page of the list
        it shows, if it is numbered and ``last``."""
        if first:
            time_one(label, url, client)
        content = pages.get(label, b"").decode()
        numbered = PAGES.search(content)
        if last and numbered and client is anonymous:
            count = int(numbered.group(1).replace(",", ""))
            if count > 1:
                time_one(
                    f"{label}, last page ({count:,})", with_query(url, "page", count)
                )

    def time_one(label: str, url: str, client=anonymous) -> None:
        log(f"server time: {label} {url}")
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(url)
        size = len(response.content)
        if response.status_code == 200:
            pages[label] = response.content
        served = time_view(client, url, settings, uncached=False)
        uncached = (
            time_view(client, url, settings, uncached=True)
            if client is anonymous
            else {"status": 200, "timings": []}
        )
        row = [label]
        for found in (served, uncached):
            timings = found["timings"]
            row += (
                [median(timings), percentile(timings, 0.95)] if timings else [None] * 2
            )
        status = response.status_code
        for found in (served, uncached):
            if found["status"] != 200:
                status = found["status"]
        row += [
            len(served["timings"]),
            len(queries),
            round(size / 1024, 1),
            status,
            url,
        ]
        report.server_rows.append(row)
        if status != 200:
            report.misses.append(f"{label}: HTTP {status} at {url}")
        for name, p95 in (("served", row[2]), ("uncached", row[4])):
            if p95 is not None:
                report.p95s.append((name, label, p95))
        if size > PAGE_TARGET_KB * 1024:
            report.misses.append(
                f"{label}: {size / 1024:.0f} KB of HTML (target < {PAGE_TARGET_KB} KB)"
            )

    measure("seed profile, anonymous", SEED_PROFILE)
    measure("seed profile, logged in", SEED_PROFILE, logged_in)
    for label, url in urls.items():
        if not label.startswith(("history", "old revision", "diff")):
            measure(label, url)
    for label, url in (
        ("people index", "/people/"),
        ("works index", "/works/"),
        ("themes index", "/themes/"),
        ("organizations index", "/organizations/"),
        ("sources index", "/sources/"),
        ("home", "/"),
        ("recent changes", "/changes/"),
    ):
        measure(label, url)
    for label, url in urls.items():
        if label.startswith(("history", "old revision", "diff")):
            measure(label, url)
    measure("wanted pages", "/wanted/")
    for label, url, target, client in network_urls(urls, logged_in):
        measure(label, url, client or anonymous, last=False)
        row = report.server_rows[-1]
        if label.startswith("graph"):
            # The graph is kept in the fragment cache, which a query string
            # does not miss: it is computed again after the site changes.
            row = time_computed(report, settings, anonymous, row)
            value, name = row[3], "computed"
        else:
            value, name = row[1], "served"
        if value is not None and value >= target:
            report.misses.append(
                f"{row[0]}: {name} median {value:.1f} ms (target < {target} ms)"
            )
    measure("sitemap index", "/sitemap.xml")
    sitemap = pages.get("sitemap index", b"").decode()
    if "<sitemapindex" in sitemap:
        locs = LOC.findall(sitemap)
        if locs:
            measure("sitemap, first page", local(locs[0]))
            if len(locs) > 1:
                measure(f"sitemap, last of {len(locs)}", local(locs[-1]))
    # The "see all" lists of the page types (first pages), and the last page
    # of the longest one.
    lists = {}
    for label, content in list(pages.items()):
        if label not in PAGE_TYPES:
            continue
        for href, text in SEE_ALL.findall(content.decode()):
            text = " ".join(text.split())
            lists.setdefault(local(href), f"{text} ({label.split(',')[0]})")
    for url, label in lists.items():
        measure(label, url, last=False)
    if lists:
        longest = max(lists, key=lambda url: list_length(lists[url]))
        measure(lists[longest], longest, last=True, first=False)
    for label, url, target in search_urls(urls):
        measure(label, url, last=False)
        row = report.server_rows[-1]
        if row[4] is not None and row[4] >= target:
            report.misses.append(
                f"{label}: uncached p95 {row[4]:.1f} ms (target < {target} ms)"
            )
    time_indexing(report)
    return {"pages": pages}


def network_urls(urls: dict[str, str], logged_in) -> list[tuple]:
    """The relationship graph, previews and the watchlist (issue 15): the
    seed profile's and the busiest person's graph, previews of the seed
    profile and a work, and the watchlist of the logged-in user made to watch
    ``WATCHED_PAGES`` pages at random (and its later page)."""
    import random

    from django.contrib.auth import get_user_model

    from wiki.models import Page, Watch

    busiest = urls.get("person, most co-authors and colleagues", SEED_PROFILE)
    work = urls.get("work, most authors")
    user = get_user_model().objects.get(username=LOGGED_IN_USER[0])
    ids = list(Page.objects.filter(is_deleted=False).values_list("pk", flat=True))
    chosen = random.Random(15).sample(ids, min(WATCHED_PAGES, len(ids)))
    Watch.objects.filter(user=user).delete()
    Watch.objects.bulk_create([Watch(user=user, page_id=pk) for pk in chosen])
    cases = [
        ("graph.json, seed profile", f"{SEED_PROFILE}graph.json", GRAPH_TARGET_MS),
        ("graph.json, busiest person", f"{busiest}graph.json", GRAPH_TARGET_MS),
        ("network page, seed profile", f"{SEED_PROFILE}network/", GRAPH_TARGET_MS),
        ("preview, seed profile", f"/preview{SEED_PROFILE}", PREVIEW_TARGET_MS),
    ]
    if work:
        cases.append(("preview, busiest work", f"/preview{work}", PREVIEW_TARGET_MS))
    found = [(label, url, target, None) for label, url, target in cases]
    watching = f"watchlist, {len(chosen):,} pages watched"
    found += [
        (watching, "/watchlist/", WATCHLIST_TARGET_MS, logged_in),
        (f"{watching}, page 5", "/watchlist/?page=5", WATCHLIST_TARGET_MS, logged_in),
    ]
    return found


def search_urls(urls: dict[str, str]) -> list[tuple[str, str, int]]:
    """Searches and suggestions as readers make them: common words, a phrase,
    an exclusion, a typo (trigrams), filters, a later page; and prefixes."""
    from wiki.models import Page

    theme = Page.objects.filter(
        kind="theme", slug=urls.get("theme, most members", "//").split("/")[2]
    ).first()
    person = Page.objects.filter(
        kind="person",
        slug=urls.get("person, most co-authors and colleagues", "//").split("/")[2],
    ).first()
    searches = [
        ("search: one word", {"q": "learning"}),
        ("search: two words", {"q": "generative models"}),
        ("search: a phrase", {"q": '"language models"'}),
        ("search: an exclusion", {"q": "learning -reinforcement"}),
        ("search: a typo, nothing found", {"q": "radfrod"}),
        ("search: works only", {"q": "learning", "kind": "work"}),
        ("search: page 5", {"q": "learning", "page": 5}),
        ("search: the seed's name in full", {"q": "Alec Radford", "fulltext": 1}),
    ]
    if person is not None:
        searches.append(
            ("search: a busy person's name", {"q": person.title, "fulltext": 1})
        )
    if theme is not None:
        searches.append(
            ("search: within the busiest theme", {"q": "models", "within": theme.title})
        )
    suggestions = [
        ("suggest: 'a'", {"q": "a"}),
        ("suggest: 'ge'", {"q": "ge"}),
        ("suggest: 'radf'", {"q": "radf"}),
        ("suggest: 'lang'", {"q": "lang"}),
        ("suggest: 'transfor'", {"q": "transfor"}),
    ]
    if person is not None:
        suggestions.append(("suggest: a person's first name", {"q": person.title[:5]}))
    return [
        *(
            (label, f"/search/?{urlencode(q)}", SEARCH_TARGET_MS)
            for label, q in searches
        ),
        *(
            (label, f"/search/suggest/?{urlencode(q)}", SUGGEST_TARGET_MS)
            for label, q in suggestions
        ),
    ]


def time_indexing(report: Report, count: int = 40) -> None:
    """What the search entry adds to a publish: writing it (with its facets)
    for pages spread over the corpus, as ``page_publish`` does."""
    from wiki import search
    from wiki.models import Page

    last = Page.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    step = max(1, last // count)
    timings = []
    for pk in range(1, last + 1, step):
        page = Page.objects.filter(pk=pk, is_deleted=False).first()
        if page is None:
            continue
        page = page.specific
        started = time.perf_counter()
        search.index_page(page)
        timings.append((time.perf_counter() - started) * 1000)
    if not timings:
        return
    p50, p95 = median(timings), percentile(timings, 0.95)
    report.lines.append(
        f"search index update per publish (search.index_page, {len(timings)} pages "
        f"across the corpus): p50 {p50:.2f} ms, p95 {p95:.2f} ms "
        f"(target < {INDEX_TARGET_MS} ms)"
    )
    if p95 >= INDEX_TARGET_MS:
        report.misses.append(
            f"search index update: p95 {p95:.1f} ms (target < {INDEX_TARGET_MS} ms)"
        )


# --- 3. the production server and the peers -----------------------------------


def start_gunicorn(stack: contextlib.ExitStack, settings: Settings, env: dict, logs):
    """Start the app server on a free port; return its base URL, pid and what
    it is."""
    port = free_port()
    command = [str(Path(PYTHON).parent / "gunicorn")]
    config = ROOT / "deploy" / "gunicorn.conf.py"
    if config.is_file():
        command += ["--config", str(config)]
    command += [
        "--workers",
        str(settings.workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--chdir",
        str(ROOT),
        "wiki.wsgi:application",
    ]
    log(" ".join(command))
    server = subprocess.Popen(command, env=env, stdout=logs, stderr=logs)
    stack.callback(stop_process, server, "gunicorn")
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        with contextlib.suppress(OSError):
            if http_get(base, "/")[0] == 200:
                return base, server, command
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within 60 s")


def shown(command: list[str]) -> str:
    """``command`` as one would type it in the checkout."""
    words = [Path(command[0]).name, *command[1:]]
    return " ".join(w.replace(f"{ROOT}/", "").replace(str(ROOT), ".") for w in words)


def stop_process(process: subprocess.Popen, name: str, grace: float = 15) -> None:
    if process.poll() is not None:
        return
    log(f"stopping {name} (pid {process.pid})")
    process.terminate()
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        log(f"{name} did not stop in {grace:.0f} s; killing pid {process.pid}")
        process.kill()
        process.wait()


def http_get(base: str, path: str, headers: dict | None = None):
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read(), response
    finally:
        connection.close()


def cookie_value(response: http.client.HTTPResponse, name: str) -> str | None:
    for header in response.headers.get_all("Set-Cookie") or []:
        key, _, rest = header.partition("=")
        if key.strip() == name:
            return rest.split(";", 1)[0]
    return None


def log_in(base: str, username: str, password: str) -> str:
    """Log in through the login form, as a browser does; return the session
    cookie's value (the cookies are Secure, so they are read by hand)."""
    status, body, response = http_get(base, "/accounts/login/")
    csrf_cookie = cookie_value(response, "csrftoken")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or not csrf_cookie or not token:
        raise RuntimeError(f"login form: HTTP {status}, no CSRF token")
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request(
            "POST",
            "/accounts/login/",
            body=urlencode(
                {
                    "username": username,
                    "password": password,
                    "csrfmiddlewaretoken": token.group(1).decode(),
                }
            ),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf_cookie}",
            },
        )
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    session = cookie_value(response, "sessionid")
    if response.status != 302 or not session:
        raise RuntimeError(f"login: HTTP {response.status}, no session cookie")
    return session


def run_wrk(
    report: Report,
    settings: Settings,
    label: str,
    url: str,
    headers: dict,
    outdir: Path,
) -> None:
    header_flags = [flag for k, v in headers.items() for flag in ("-H", f"{k}: {v}")]
    stem = re.sub(r"\W+", "-", label).strip("-")
    log(f"wrk: {label} {url}")
    subprocess.run(
        ["wrk", f"-t{settings.threads}", f"-c{settings.connections}"]
        + [f"-d{settings.warmup}", *header_flags, url],
        capture_output=True,
        check=True,
    )
    # One curl process per request, as the peers' harness measures.
    times, size = [], 0
    for _ in range(settings.curl_n):
        timing, size = subprocess.run(
            ["curl", "-s", "-o", "/dev/null", "-w", "%{time_total} %{size_download}"]
            + [*header_flags, url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        times.append(float(timing) * 1000)
    runs = []
    for number in range(1, settings.rounds + 1):
        output = subprocess.run(
            ["wrk", *settings.wrk_flags.split(), *header_flags, url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        (outdir / f"{stem}.wrk.{number}.txt").write_text(output)
        runs.append(parse_wrk(output))
    run = median_run(runs)
    report.wrk_by_label[label] = run
    report.wrk_rows.append(
        [
            label,
            run["rps"],
            run["p50"],
            run["p99"],
            median(times),
            int(size),
            run["errors"],
        ]
    )
    log(
        f"  {run['rps']:.1f} req/s (rounds: "
        + ", ".join(f"{r['rps']:.1f}" for r in runs)
        + f"), p99 {run['p99']:.1f} ms, {run['errors']} errors"
    )


def serve_and_load(
    report: Report,
    settings: Settings,
    env: dict,
    targets: dict[str, str],
    article: str | None,
    peers_dir: Path | None,
    outdir: Path,
) -> None:
    with contextlib.ExitStack() as stack:
        logs = stack.enter_context(open(outdir / "gunicorn.log", "w"))
        base, server, command = start_gunicorn(stack, settings, env, logs)
        report.server_note = (
            f"Production server: {shown(command)} "
            f"(DEBUG off, DJANGO_CONN_MAX_AGE={env['DJANGO_CONN_MAX_AGE']}); "
            f"wrk {settings.wrk_flags} after a {settings.warmup} warm-up, median of "
            f"{settings.rounds} rounds by req/s; curl p50: median of "
            f"{settings.curl_n} sequential requests; times in ms; errors: "
            "non-2xx/3xx responses and socket errors."
        )
        sampler = RssSampler(server.pid, report.rss_peak)
        sampler.start()
        stack.callback(sampler.stop)
        session = log_in(base, *LOGGED_IN_USER)
        cookie = {"Cookie": f"sessionid={session}"}
        status, body, _ = http_get(base, SEED_PROFILE, cookie)
        if status != 200 or LOGGED_IN_USER[0].encode() not in body:
            raise RuntimeError("the session cookie does not log the profile in")
        report.load_wrk = load()
        for label, path, headers in (
            ("profile, anonymous", SEED_PROFILE, {}),
            ("profile, logged in", SEED_PROFILE, cookie),
            ("people index", "/people/", {}),
            ("history page", targets.get("history", ""), {}),
            ("static file", targets.get("static", ""), {}),
        ):
            if not path:
                continue
            status, _, _ = http_get(base, path, headers)
            if status != 200:
                report.wrk_rows.append([label, f"HTTP {status}", *["-"] * 5])
                report.misses.append(f"wrk {label}: HTTP {status} at {path}")
                continue
            run_wrk(report, settings, label, base + path, headers, outdir)
        profile = report.wrk_by_label.get("profile, anonymous")
        if profile and (profile["p99"] >= 25 or profile["errors"]):
            report.misses.append(
                f"seed profile, anonymous: p99 {profile['p99']:.1f} ms, "
                f"{profile['errors']} errors under {settings.connections} "
                "connections (target p99 < 25 ms, no errors)"
            )
        if peers_dir is not None and settings.peers:
            report.load_peers = load()
            run_peers(report, settings, peers_dir, base, article)
        report.rss = worker_rss(server.pid)
        sampler.stop()
        for pid, mb in report.rss:
            if mb >= WORKER_RSS_TARGET_MB:
                report.misses.append(
                    f"app worker {pid}: {mb:.0f} MB RSS "
                    f"(target < {WORKER_RSS_TARGET_MB} MB)"
                )


def run_peers(
    report: Report, settings: Settings, peers_dir: Path, base: str, article: str
) -> None:
    systems = list(settings.peers)
    if article:
        # Beside Wagtail in time, the comparison the targets name.
        systems.insert(1 if systems else 0, f"lineage={base}{article}")
    command = [str(peers_dir / "run_peers.sh"), *systems]
    env = dict(
        os.environ,
        ROUNDS=str(settings.rounds),
        WRK_DURATION=settings.duration,
        WARMUP=settings.warmup,
        WRK_THREADS=str(settings.threads),
        WRK_CONNS=str(settings.connections),
        CURL_N=str(settings.curl_n),
    )
    log(" ".join(command))
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    try:
        output, _ = process.communicate()
    except BaseException:
        # Its trap stops the peer server and its PostgreSQL, once the command
        # it is waiting for (wrk, at most WRK_DURATION) returns.
        stop_process(process, "run_peers.sh", grace=120)
        stopper = peers_dir / "stop_peers.sh"
        if stopper.is_file():
            subprocess.run([str(stopper)], check=False)
        raise
    report.peers = parse_peers(output)
    report.peers_note = (
        f"peers: {peers_dir}/run_peers.sh {' '.join(systems)} (same wrk and curl "
        "settings; 'peer lineage' is the peers' article on this server at "
        f"{article}); exit status {process.returncode}"
    )


def worker_rss(master: int) -> list[tuple[int, float]]:
    """Resident memory (MB) of each child of the gunicorn master."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        with contextlib.suppress(OSError):
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines()
            )
            # A process that is exiting has no VmRSS any more.
            if int(fields["PPid"]) == master and "VmRSS" in fields:
                rss_kb = int(fields["VmRSS"].split()[0])
                found.append((int(status.parent.name), rss_kb / 1024))
    return sorted(found)


class RssSampler(threading.Thread):
    """Records the largest RSS of each worker of ``master``, twice a second."""

    def __init__(self, master: int, peaks: dict[int, float]) -> None:
        super().__init__(daemon=True)
        self.master = master
        self.peaks = peaks
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.5):
            for pid, mb in worker_rss(self.master):
                self.peaks[pid] = max(mb, self.peaks.get(pid, 0))

    def stop(self) -> None:
        self.done.set()


# --- the run ------------------------------------------------------------------


def throwaway_database(stack: contextlib.ExitStack) -> str:
    from tests.pg_cluster import Cluster, find_bindir

    bindir = find_bindir()
    if bindir is None:
        raise RuntimeError(
            "PostgreSQL's server binaries are needed (apt-get install postgresql)"
        )
    cluster = Cluster(bindir)
    stack.callback(cluster.destroy)
    cluster.start()
    log(f"PostgreSQL {bindir.parent.name} cluster at {cluster.socketdir}")
    return cluster.url


def throwaway_redis(stack: contextlib.ExitStack) -> str:
    """Start redis-server on a Unix socket of its own; return its URL."""
    directory = Path(tempfile.mkdtemp(prefix="lineage-bench-redis-"))
    stack.callback(shutil.rmtree, directory, ignore_errors=True)
    path = directory / "redis.sock"
    server = subprocess.Popen(
        ["redis-server", "--port", "0", "--unixsocket", str(path)]
        + ["--unixsocketperm", "700", "--save", "", "--appendonly", "no"]
        + ["--dir", str(directory), "--logfile", str(directory / "redis.log")],
    )
    stack.callback(stop_process, server, "redis-server")
    deadline = time.monotonic() + 20
    while not path.exists():
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("redis-server did not start")
        time.sleep(0.1)
    log(f"redis-server at {path}")
    return f"unix://{path}?db=0"


def cache_in_use(env: dict) -> str:
    from django.conf import settings

    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    if "CACHE_URL" in env:
        return f"{backend}; CACHE_URL is a throwaway redis-server"
    return f"{backend} (no CACHE_URL)"


def bench(report: Report, settings: Settings, outdir: Path) -> None:
    peers_dir = find_peers_dir()
    if peers_dir is None:
        report.misses.append("the peers' harness (shared/peers) was not found")
    # A database built by an earlier run (generating 100,000 pages takes
    # half an hour): migrated, not rebuilt.  The run writes to it (a peer
    # article, a publish or two), so it should be a copy kept for benchmarks.
    reused = os.environ.get("BENCH_DATABASE_URL", "")
    with contextlib.ExitStack() as stack:
        env = dict(
            os.environ,
            DATABASE_URL=reused or throwaway_database(stack),
            DJANGO_SETTINGS_MODULE="wiki.settings",
            DJANGO_DEBUG="false",
            DJANGO_HTTPS="false",  # plain http on loopback
            DJANGO_SECRET_KEY=secrets.token_urlsafe(40),
            DJANGO_ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
            DJANGO_CONN_MAX_AGE=os.environ.get("DJANGO_CONN_MAX_AGE", "60"),
            DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        )
        if settings.redis:
            env["CACHE_URL"] = throwaway_redis(stack)
        if reused:
            manage(report, env, "migrate", "migrate", "--no-input", "-v", "0")
            manage(
                report, env, "collectstatic", "collectstatic", "--no-input", "-v", "0"
            )
            log("reusing the corpus of BENCH_DATABASE_URL (migrated, not built)")
        else:
            build_database(report, settings, env)
        os.environ.update(env)
        import django
        from django.db import connections

        django.setup()
        stack.callback(connections.close_all)
        report.cache = cache_in_use(env)
        started = time.monotonic()
        article = publish_article(peers_dir)
        urls = pick_pages()
        if article:
            urls["peer article (theme)"] = article
        count_corpus(report)
        report.setup.append(("article and counts", time.monotonic() - started))
        log("corpus: " + ", ".join(f"{v:,} {k}" for k, v in report.corpus.items()))
        started = time.monotonic()
        found = server_time(report, settings, urls)
        report.setup.append(("server time", time.monotonic() - started))
        static = STATIC_CSS.search(found["pages"]["seed profile, anonymous"].decode())
        targets = {
            "history": next(
                (url for label, url in urls.items() if label.startswith("history")), ""
            ),
            "static": static.group(1) if static else "",
        }
        connections.close_all()
        started = time.monotonic()
        serve_and_load(report, settings, env, targets, article, peers_dir, outdir)
        report.setup.append(("wrk and peers", time.monotonic() - started))


def main() -> int:
    settings = Settings()
    report = Report(settings)
    stamp = report.started_at.strftime("%Y%m%d-%H%M%S")
    outdir = ROOT / "var" / "bench" / f"scale-{stamp}"
    outdir.mkdir(parents=True, exist_ok=True)
    status = 0
    try:
        with deadline(settings.timeout, BenchTimeout, "BENCH_TIMEOUT"):
            bench(report, settings, outdir)
    except (BenchTimeout, SystemExit, KeyboardInterrupt) as stop:
        report.stopped = str(stop) or type(stop).__name__
        status = 1
    except Exception as error:
        report.stopped = f"{type(error).__name__}: {error}"
        status = 1
        import traceback

        traceback.print_exc()
    text = report.text()
    path = outdir.with_suffix(".txt")
    path.write_text(text)
    print(text)
    print(f"written to {path.relative_to(ROOT)} (raw wrk output in {outdir.name}/)")
    return status


if __name__ == "__main__":
    sys.exit(main())
