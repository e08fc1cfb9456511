"""Load and faults against the production server (``make soak``, issue 13).

One run, on this machine, on loopback only, bounded in time and stopping
everything it started:

1. a throwaway PostgreSQL cluster (tests/pg_cluster.py's), migrated, with the
   seed, the demo accounts, soak accounts (contributors and moderators) and
   ``SOAK_PAGES`` theme pages to edit; a redis-server (cache and sessions); the
   task worker (``manage.py db_worker``, LINEAGE_TASKS=database); gunicorn
   with deploy/gunicorn.conf.py, DEBUG off (plain http: insecure cookies);
2. **load**: ``SOAK_CONNECTIONS`` clients for ``SOAK_SECONDS``, each a browser
   with its own cookies: anonymous readers, signed-in readers, contributors
   filing proposals through the edit form (CSRF token, session), moderators
   approving them (or rejecting one whose merge conflicts) and reverting
   pages through the history's confirmation form.  Then the checks: no 5xx
   (client and access log), every proposal the server accepted (its redirect
   to the proposal) is in the database with its text, every approval has its
   revision with that text, every revert its revision, and each page's
   history is linear: revision ids and dates in the same order, each approval
   keeps every marker of the revision before it and adds its own, each revert
   restores its target exactly, and the live page is its latest revision;
3. **faults**, under ``SOAK_FAULT_CONNECTIONS`` clients of the same mix:
   PostgreSQL stopped (``pg_ctl stop -m fast``) for ``SOAK_DOWN_SECONDS`` and
   started again; redis-server stopped and started again; the task worker
   killed with SIGKILL while tasks are queued, and started again.  While a
   dependency is down every answer must be a normal one or the friendly 503
   (with Retry-After, no traceback): never a 500, never a reset connection.
   Measured: the statuses seen, the seconds from the dependency's return to
   the site's first 200 (probing the home page, read from PostgreSQL), then
   the same checks of writes and history, and every task ever queued must
   have succeeded (a task a killed worker held is requeued when the worker
   starts again: wiki/task_worker.py).

It prints one table and writes it to ``var/soak/soak-<time>.txt`` (git-ignored).

    make soak                      # 60 s of load at 64 connections, then faults
    make soak SOAK_SECONDS=20      # the CI run

Variables (defaults): SOAK_SECONDS=60, SOAK_CONNECTIONS=64, SOAK_PAGES=24,
SOAK_FAULTS=1 (0: load only), SOAK_FAULT_CONNECTIONS=8, SOAK_DOWN_SECONDS=3,
SOAK_RECOVERY_SECONDS=15 (the longest recovery that passes), SOAK_TASKS=300
(queued before the worker is killed), SOAK_TIMEOUT=900 (the whole run),
GUNICORN_WORKERS (deploy/gunicorn.conf.py's default: 2 x cores + 1).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.forms import form_data  # noqa: E402
from tests.pg_cluster import Cluster, find_bindir  # noqa: E402
from tests.processes import (  # noqa: E402
    Processes,
    deadline,
    free_port,
    wait_for_port,
)

PASSWORD = "soak-password-" + "7" * 8  # noqa: S105
FRIENDLY_503 = "<h1>Back in a moment</h1>"
TRACEBACK_MARKERS = ("Traceback (most recent call last)", 'File "/')
MARKER = re.compile(r"soak-marker-[0-9a-f]{12}")


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def log(message: str) -> None:
    print(f"soak: {message}", file=sys.stderr, flush=True)


class SoakTimeout(Exception):
    pass


class SoakFailure(AssertionError):
    pass


@dataclass
class Config:
    seconds: int = env_int("SOAK_SECONDS", 60)
    connections: int = env_int("SOAK_CONNECTIONS", 64)
    pages: int = env_int("SOAK_PAGES", 24)
    faults: bool = bool(env_int("SOAK_FAULTS", 1))
    fault_connections: int = env_int("SOAK_FAULT_CONNECTIONS", 8)
    down_seconds: float = float(os.environ.get("SOAK_DOWN_SECONDS", "3"))
    recovery_limit: float = float(os.environ.get("SOAK_RECOVERY_SECONDS", "15"))
    tasks: int = env_int("SOAK_TASKS", 300)
    timeout: int = env_int("SOAK_TIMEOUT", 900)


# What the clients saw


@dataclass
class Sample:
    kind: str
    status: int  # 0: no answer (reset, refused, timed out)
    seconds: float
    at: float  # time.monotonic() when it ended
    error: str = ""
    friendly: bool = True  # a 503 was the friendly page, with Retry-After


class Recorder:
    def __init__(self) -> None:
        self.samples: list[Sample] = []
        self.lock = threading.Lock()
        # What the server accepted: checked in the database afterwards.
        self.proposals: dict[int, tuple[str, str, str]] = {}  # id: user, slug, marker
        self.approvals: set[int] = set()
        self.rejections: set[int] = set()
        self.reverts: list[tuple[str, int, str]] = []  # slug, target, summary

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def between(self, start: float, end: float) -> list[Sample]:
        with self.lock:
            return [s for s in self.samples if start <= s.at < end]


class Browser:
    """One person's cookies; each request a new connection (gunicorn's sync
    workers close every connection after its response)."""

    def __init__(self, base: str, recorder: Recorder):
        parts = urlsplit(base)
        self.host, self.port, self.base = parts.hostname, parts.port, base
        self.recorder = recorder
        self.cookies: dict[str, str] = {}

    def request(
        self, kind: str, method: str, path: str, data: dict | None = None
    ) -> tuple[int, dict, str]:
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.base
            headers["Referer"] = self.base + path
        began = time.monotonic()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode(errors="replace")
        except (OSError, http.client.HTTPException) as error:
            self.recorder.add(
                Sample(kind, 0, time.monotonic() - began, time.monotonic(), repr(error))
            )
            return 0, {}, ""
        finally:
            connection.close()
        ended = time.monotonic()
        response_headers = {k.lower(): v for k, v in response.getheaders()}
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        friendly = True
        error = ""
        if response.status >= 500:
            friendly = (
                response.status == 503
                and FRIENDLY_503 in content
                and response_headers.get("retry-after") == "5"
            )
        if any(marker in content for marker in TRACEBACK_MARKERS):
            friendly, error = False, "traceback in the page"
        self.recorder.add(
            Sample(kind, response.status, ended - began, ended, error, friendly)
        )
        return response.status, response_headers, content

    def get(self, kind: str, path: str):
        return self.request(kind, "GET", path)

    def post(self, kind: str, path: str, data: dict):
        return self.request(kind, "POST", path, data)

    def log_in(self, username: str) -> None:
        for _ in range(60):
            status, _, page = self.get("log in", "/accounts/login/")
            if status == 200:
                data = form_data(page, "login-form")
                data.update(username=username, password=PASSWORD)
                status, headers, _ = self.post("log in", "/accounts/login/", data)
                if status == 302:
                    return
            time.sleep(0.5)
        raise SoakFailure(f"{username} could not log in")


def form_containing(page: str, marker: str) -> dict:
    """The data of the first form on ``page`` whose HTML holds ``marker``."""
    for match in re.finditer(r"<form\b.*?</form>", page, re.S):
        if marker in match.group(0):
            return form_data(match.group(0))
    return {}


# The clients


@dataclass
class Site:
    base: str
    reads: list[str]  # public pages
    soak_slugs: list[str]
    contributors: list[str]
    moderators: list[str]


class Client(threading.Thread):
    def __init__(self, role: str, number: int, site: Site, recorder: Recorder):
        super().__init__(name=f"{role}-{number}", daemon=True)
        self.role, self.number, self.site = role, number, site
        self.recorder = recorder
        self.browser = Browser(site.base, recorder)
        self.stop = threading.Event()
        self.random = random.Random(number * 7919 + hash(role) % 1000)
        self.username = ""
        self.failure: BaseException | None = None
        self.ready = threading.Event()  # logged in, if it logs in

    def run(self) -> None:
        try:
            if self.role == "signed-in reader" or self.role == "contributor":
                names = self.site.contributors
                self.username = names[self.number % len(names)]
            elif self.role in ("approver", "reverter"):
                self.username = self.site.moderators[
                    self.number % len(self.site.moderators)
                ]
            if self.username:
                self.browser.log_in(self.username)
            self.ready.set()
            step = getattr(self, self.role.replace(" ", "_").replace("-", "_"))
            while not self.stop.is_set():
                step()
        except BaseException as error:  # reported by the main thread
            self.failure = error

    def anonymous_reader(self) -> None:
        self.browser.get("anonymous read", self.random.choice(self.site.reads))

    def signed_in_reader(self) -> None:
        status, _, page = self.browser.get(
            "signed-in read", self.random.choice(self.site.reads)
        )
        if status == 200 and "Log out" not in page:
            raise SoakFailure(f"{self.username} was logged out")

    def contributor(self) -> None:
        slug = self.random.choice(self.site.soak_slugs)
        path = f"/themes/{slug}/edit/"
        status, _, page = self.browser.get("edit form", path + "?another=1")
        if status != 200:
            time.sleep(0.2)
            return
        data = form_data(page, "edit-form")
        marker = f"soak-marker-{uuid.uuid4().hex[:12]}"
        data["body"] = f"{data.get('body', '').rstrip()}\n\n{marker} by {self.name}."
        data["edit-summary"] = f"Soak edit {marker}"
        status, headers, _ = self.browser.post("propose", path, data)
        found = re.fullmatch(r"/proposals/(\d+)/", headers.get("location", ""))
        if status == 302 and found:
            with self.recorder.lock:
                self.recorder.proposals[int(found.group(1))] = (
                    self.username,
                    slug,
                    marker,
                )
        # Otherwise not accepted, and counted in the table: 409 when the page
        # changed since the form was shown (the contributor is shown the
        # change), 503 during an outage; a 5xx fails the run.

    def approver(self) -> None:
        status, _, page = self.browser.get("review queue", "/review/")
        ids = sorted({int(i) for i in re.findall(r'href="/review/(\d+)/"', page)})
        mine = [i for i in ids if i % len(self.site.moderators) == self.number]
        if status != 200 or not mine:
            time.sleep(0.2)
            return
        pk = mine[0]
        status, _, page = self.browser.get("review", f"/review/{pk}/")
        if status != 200:
            return
        approve = re.search(r'<form[^>]*id="approve-form".*?</form>', page, re.S)
        if approve and "disabled>Approve" not in approve.group(0):
            data = form_data(page, "approve-form")
            data["note"] = "soak"
            status, _, _ = self.browser.post("approve", f"/review/{pk}/approve/", data)
            if status == 302:
                with self.recorder.lock:
                    self.recorder.approvals.add(pk)
        else:
            data = form_data(page, "reject-form")
            data["reason"] = "Conflicts with an edit published since."
            status, _, _ = self.browser.post("reject", f"/review/{pk}/reject/", data)
            if status == 302:
                with self.recorder.lock:
                    self.recorder.rejections.add(pk)

    def reverter(self) -> None:
        time.sleep(0.5)  # a patrol, not a flood
        slug = self.random.choice(self.site.soak_slugs)
        status, _, page = self.browser.get("history", f"/themes/{slug}/history/")
        ids = [
            int(i)
            for i in dict.fromkeys(
                re.findall(rf'href="/themes/{slug}/revisions/(\d+)/"', page)
            )
        ]
        if status != 200 or len(ids) < 2:
            return
        target = ids[1]  # the revision before the latest
        path = f"/themes/{slug}/revisions/{target}/revert/"
        status, _, page = self.browser.get("revert form", path)
        data = form_containing(page, 'name="seen_revision"')
        if status != 200 or not data:
            return
        summary = f"soak-revert-to-{target}-{uuid.uuid4().hex[:8]}"
        data["summary"] = summary
        status, _, _ = self.browser.post("revert", path, data)
        if status == 302:
            with self.recorder.lock:
                self.recorder.reverts.append((slug, target, summary))


def mix(connections: int) -> list[str]:
    """The roles of ``connections`` clients: 7/16 anonymous readers, 1/4
    signed-in readers, 3/16 contributors, the rest moderators (one in four
    reverting)."""
    contributors = max(1, connections * 3 // 16)
    signed_in = max(1, connections // 4)
    moderators = max(2, connections // 8)
    anonymous = max(1, connections - contributors - signed_in - moderators)
    reverters = max(1, moderators // 4)
    return (
        ["anonymous reader"] * anonymous
        + ["signed-in reader"] * signed_in
        + ["contributor"] * contributors
        + ["approver"] * (moderators - reverters)
        + ["reverter"] * reverters
    )


class Load:
    """Clients running the mix until stopped."""

    def __init__(self, site: Site, recorder: Recorder, connections: int):
        roles = mix(connections)
        counts: Counter = Counter()
        self.clients = []
        approvers = roles.count("approver")
        for role in roles:
            number = counts[role]
            counts[role] += 1
            client = Client(role, number, site, recorder)
            if role == "approver":
                # Approver k takes the proposals whose id is k modulo their count.
                client.site = Site(
                    site.base,
                    site.reads,
                    site.soak_slugs,
                    site.contributors,
                    site.moderators[:approvers],
                )
            self.clients.append(client)

    def __enter__(self) -> Load:
        for client in self.clients:
            client.start()
        # Logging in costs a password hash each (PBKDF2, on purpose slow):
        # the measured window opens once every client has logged in.
        deadline = time.monotonic() + 180
        for client in self.clients:
            while not client.ready.wait(0.5):
                if client.failure is not None or time.monotonic() > deadline:
                    self.__exit__()
                    self.check()
                    raise SoakFailure(f"client {client.name} never got ready")
        return self

    def __exit__(self, *exc) -> None:
        for client in self.clients:
            client.stop.set()
        for client in self.clients:
            client.join(timeout=60)

    def check(self) -> None:
        for client in self.clients:
            if client.failure is not None:
                raise SoakFailure(f"client {client.name}: {client.failure!r}")


# Figures


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def latency_table(samples: list[Sample], seconds: float) -> list[str]:
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample)
    lines = [
        f"{'request':<16}{'count':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'p99 ms':>9}{'max ms':>9}  statuses"
    ]
    for kind in sorted(by_kind, key=lambda k: -len(by_kind[k])):
        group = by_kind[kind]
        times = [s.seconds * 1000 for s in group]
        statuses = Counter(s.status for s in group)
        lines.append(
            f"{kind:<16}{len(group):>8}{len(group) / seconds:>9.1f}"
            f"{percentile(times, 0.5):>9.1f}{percentile(times, 0.95):>9.1f}"
            f"{percentile(times, 0.99):>9.1f}{max(times):>9.1f}  "
            + " ".join(f"{k}:{v}" for k, v in sorted(statuses.items()))
        )
    times = [s.seconds * 1000 for s in samples]
    lines.append(
        f"{'all':<16}{len(samples):>8}{len(samples) / seconds:>9.1f}"
        f"{percentile(times, 0.5):>9.1f}{percentile(times, 0.95):>9.1f}"
        f"{percentile(times, 0.99):>9.1f}{max(times, default=0):>9.1f}"
    )
    return lines


# The database, read by this process


def check_writes(recorder: Recorder, slugs: list[str]) -> list[str]:
    """Every accepted proposal, approval and revert is in the database, and
    each page's history is linear.  Return the figures; raise on a problem."""
    from django.db import connections
    from reversion.models import Revision

    from wiki import history
    from wiki.models import Proposal, RevisionMeta, Theme

    connections.close_all()  # after a restart, a fresh connection
    problems = []
    proposals = {p.pk: p for p in Proposal.objects.select_related("author")}
    for pk, (username, _slug, marker) in recorder.proposals.items():
        proposal = proposals.get(pk)
        if proposal is None:
            problems.append(f"accepted proposal {pk} ({marker}) is missing")
        elif proposal.author.username != username or marker not in json.dumps(
            proposal.data
        ):
            problems.append(f"proposal {pk} is not what {username} sent ({marker})")
    for pk in recorder.approvals:
        proposal = proposals.get(pk)
        meta = RevisionMeta.objects.filter(proposal_id=pk).first()
        if proposal is None or proposal.status != "approved" or meta is None:
            problems.append(f"approved proposal {pk} has no revision")
            continue
        marker = recorder.proposals.get(pk, ("", "", ""))[2]
        page = Theme.objects.get(pk=meta.page_id)
        body = history.page_at_revision(page, meta.revision_id).body
        if marker and marker not in body:
            problems.append(f"revision {meta.revision_id} lacks {marker}")
    for pk in recorder.rejections:
        if proposals[pk].status != "rejected":
            problems.append(f"rejected proposal {pk} is {proposals[pk].status}")
    comments = set(Revision.objects.values_list("comment", flat=True))
    for slug, target, summary in recorder.reverts:
        if not any(summary in comment for comment in comments):
            problems.append(f"revert of {slug} to {target} ({summary}) is missing")

    revisions_checked = 0
    for slug in slugs:
        page = Theme.objects.get(slug=slug)
        metas = list(
            RevisionMeta.objects.filter(page=page)
            .select_related("revision")
            .order_by("revision_id")
        )
        bodies: dict[int, str] = {}
        previous = None
        for meta in metas:
            revision = meta.revision
            body = history.page_at_revision(page, revision.pk).body
            bodies[revision.pk] = body
            if previous is not None:
                if revision.date_created < previous.revision.date_created:
                    problems.append(f"{slug}: revision {revision.pk} dated earlier")
                before = set(MARKER.findall(bodies[previous.revision_id]))
                after = set(MARKER.findall(body))
                if meta.action == "revert":
                    found = re.search(r"soak-revert-to-(\d+)", revision.comment)
                    if found and body != bodies.get(int(found.group(1))):
                        problems.append(f"{slug}: revert {revision.pk} is not exact")
                elif meta.proposal_id is not None:
                    own = recorder.proposals.get(meta.proposal_id, ("", "", ""))[2]
                    expected = before | ({own} if own else set())
                    if own and after != expected:
                        problems.append(
                            f"{slug}: revision {revision.pk} lost or invented "
                            f"{sorted(expected ^ after)}"
                        )
            previous = meta
            revisions_checked += 1
        if metas and bodies[metas[-1].revision_id] != page.body:
            problems.append(f"{slug}: the live page is not its latest revision")
    connections.close_all()
    if problems:
        raise SoakFailure("lost or wrong writes:\n  " + "\n  ".join(problems[:30]))
    return [
        f"accepted proposals found: {len(recorder.proposals)}/"
        f"{len(recorder.proposals)}; approvals with their revision: "
        f"{len(recorder.approvals)}; rejections (merge conflicts): "
        f"{len(recorder.rejections)}; reverts: {len(recorder.reverts)}",
        f"history linear on {len(slugs)} pages, {revisions_checked} revisions "
        "(ids and dates in order, each approval keeps every earlier marker and "
        "adds its own, each revert restores its target, live = latest)",
    ]


def task_counts() -> Counter:
    from django.db import connections
    from django_tasks_db.models import DBTaskResult

    counts = Counter(DBTaskResult.objects.values_list("status", flat=True))
    connections.close_all()
    return counts


def wait_for_tasks(limit: float) -> Counter:
    deadline = time.monotonic() + limit
    while True:
        counts = task_counts()
        if not (counts["READY"] or counts["RUNNING"]) or time.monotonic() > deadline:
            return counts
        time.sleep(0.5)


# The run


class Run:
    def __init__(self, config: Config, workdir: Path):
        self.config = config
        self.workdir = workdir
        self.report: list[str] = []
        self.failures: list[str] = []
        self.processes = Processes(workdir)
        self.cluster: Cluster | None = None
        self.env: dict[str, str] = {}
        self.redis_port = free_port()
        self.port = free_port()

    def manage(self, *args: str, **extra: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **extra},
            check=True,
            timeout=600,
            stdout=subprocess.DEVNULL,
        )

    def start_redis(self) -> None:
        directory = self.workdir / "redis"
        directory.mkdir(exist_ok=True)
        self.processes.start(
            "redis",
            [shutil.which("redis-server") or "redis-server"]
            + ["--port", str(self.redis_port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(directory)],
            self.env,
        )
        wait_for_port(self.redis_port, self.processes, "redis-server")

    def start_worker(self) -> None:
        self.processes.start(
            "worker",
            [sys.executable, "manage.py", "db_worker", "--no-reload"]
            + ["--no-startup-delay", "--interval", "0.2", "--queue-name", "*"],
            self.env,
        )

    def set_up(self) -> Site:
        bindir = find_bindir()
        if bindir is None:
            raise SoakFailure("PostgreSQL server binaries are missing")
        if shutil.which("redis-server") is None:
            raise SoakFailure("redis-server is missing (make redis-server)")
        self.cluster = Cluster(bindir)
        self.cluster.start()
        self.env = {
            **os.environ,
            "DATABASE_URL": self.cluster.url,
            "DJANGO_SETTINGS_MODULE": "wiki.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_HTTPS": "false",  # plain http on loopback
            "DJANGO_STATIC_ROOT": str(self.workdir / "static"),
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "CACHE_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "LINEAGE_TASKS": "database",
            "LINEAGE_SITE_URL": f"http://127.0.0.1:{self.port}",
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "PYTHONUNBUFFERED": "1",
        }
        began = time.monotonic()
        self.manage("migrate", "--no-input")
        self.manage("load_seed")
        self.manage("rebuild_search", "--if-empty")
        self.manage("create_demo_accounts", DJANGO_DEBUG="true")
        self.manage("collectstatic", "--no-input", "--verbosity", "0")
        os.environ.update(self.env)
        import django

        django.setup()
        site = self.make_accounts_and_pages()
        self.start_redis()
        self.start_worker()
        self.processes.start(
            "gunicorn",
            [str(Path(sys.executable).parent / "gunicorn")]
            + ["-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
            self.env,
        )
        wait_for_port(self.port, self.processes, "gunicorn")
        self.report.append(f"set-up: {time.monotonic() - began:.1f} s")
        return site

    def make_accounts_and_pages(self) -> Site:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.db import connections

        from wiki.models import Page, Theme
        from wiki.roles import CONTRIBUTORS, MODERATORS, ensure_roles
        from wiki.services import page_publish

        ensure_roles()
        user_model = get_user_model()
        roles = mix(max(self.config.connections, self.config.fault_connections))
        contributors = [
            f"soak-contributor-{n}"
            for n in range(roles.count("contributor") + roles.count("signed-in reader"))
        ]
        moderators = [
            f"soak-moderator-{n}"
            for n in range(roles.count("approver") + roles.count("reverter"))
        ]
        for names, group in ((contributors, CONTRIBUTORS), (moderators, MODERATORS)):
            for name in names:
                user = user_model.objects.create_user(
                    name, f"{name}@example.org", PASSWORD
                )
                user.groups.add(Group.objects.get(name=group))
        author = user_model.objects.get(username="soak-moderator-0")
        # The load is of trusted contributors: a new account may have only a
        # few proposals waiting (wiki/limits.py), which the run would reach in
        # seconds; a moderator lifts the limits, as on the site.
        from wiki.limits import proposal_limits_set

        for name in contributors:
            proposal_limits_set(
                user=user_model.objects.get(username=name), lifted=True, by=author
            )
        slugs = []
        for n in range(self.config.pages):
            page = Theme(
                title=f"Soak page {n}",
                slug=f"soak-page-{n}",
                summary=f"A page the soak run edits ({n}).",
                body=f"Soak page {n}, linking to [[Alec Radford]].",
            )
            page_publish(page=page, user=author, summary="Create")
            slugs.append(page.slug)
        reads = ["/", "/changes/", "/themes/", "/search/?q=learning"]
        reads += [p.get_absolute_url() for p in Page.objects.all()[:60]]
        reads += [f"/themes/{slug}/history/" for slug in slugs[:4]]
        connections.close_all()
        return Site(
            f"http://127.0.0.1:{self.port}", reads, slugs, contributors, moderators
        )

    def probe(self) -> int:
        browser = Browser(f"http://127.0.0.1:{self.port}", Recorder())
        return browser.get("probe", "/changes/")[0]

    def wait_for_200(self, since: float) -> float:
        while time.monotonic() - since < self.config.recovery_limit * 4:
            if self.probe() == 200:
                return time.monotonic() - since
            time.sleep(0.1)
        raise SoakFailure("the site did not answer 200 again")

    def load(self, site: Site, recorder: Recorder) -> None:
        config = self.config
        log(f"load: {config.connections} connections for {config.seconds} s")
        load = Load(site, recorder, config.connections)
        with load:
            start = time.monotonic()
            time.sleep(config.seconds)
            end = time.monotonic()
        load.check()
        samples = [s for s in recorder.between(start, end) if s.kind not in ("log in",)]
        uptime = Path("/proc/loadavg").read_text().split()[:3]
        self.report.append("")
        self.report.append(
            f"LOAD: {config.connections} connections, {end - start:.0f} s, "
            f"mix {dict(Counter(mix(config.connections)))}"
        )
        self.report += latency_table(samples, end - start)
        errors = [s for s in samples if s.status >= 500 or s.status == 0]
        self.report.append(
            f"5xx: {sum(s.status >= 500 for s in samples)}; no answer: "
            f"{sum(s.status == 0 for s in samples)}; load average after: "
            + " ".join(uptime)
        )
        if errors:
            self.failures.append(
                f"load: {len(errors)} errors, first: {errors[0].kind} "
                f"{errors[0].status} {errors[0].error}"
            )

    def fault(
        self,
        name: str,
        recorder: Recorder,
        stop: Callable[[], None],
        start: Callable[[], None],
    ) -> None:
        log(f"fault: {name}")
        began = time.monotonic()
        stop()
        time.sleep(self.config.down_seconds)
        start()
        back = time.monotonic()
        recovery = self.wait_for_200(back)
        time.sleep(1)
        samples = recorder.between(began, time.monotonic())
        statuses = Counter(s.status for s in samples)
        unfriendly = [
            s
            for s in samples
            if s.status == 0 or s.status >= 500 and not s.friendly or s.error
        ]
        last_503 = max((s.at for s in samples if s.status == 503), default=None)
        after = "-" if last_503 is None else f"{last_503 - back:+.1f} s"
        self.report.append(
            f"{name:<22} down {back - began:4.1f} s  back to 200 in "
            f"{recovery:4.1f} s  last 503 {after}"
            f"  statuses " + " ".join(f"{k}:{v}" for k, v in sorted(statuses.items()))
        )
        if unfriendly:
            first = unfriendly[0]
            self.failures.append(
                f"{name}: {len(unfriendly)} answers neither normal nor the "
                f"friendly 503; first: {first.kind} {first.status} {first.error}"
            )
        if recovery > self.config.recovery_limit:
            self.failures.append(f"{name}: recovered in {recovery:.1f} s")

    def faults(self, site: Site, recorder: Recorder) -> None:
        cluster = self.cluster
        self.report.append("")
        self.report.append(
            f"FAULTS: under {self.config.fault_connections} connections, each "
            f"dependency down {self.config.down_seconds:g} s"
        )
        load = Load(site, recorder, self.config.fault_connections)
        with load:
            self.fault(
                "PostgreSQL stop/start",
                recorder,
                lambda: cluster.stop("fast"),
                cluster.start_again,
            )
            self.fault(
                "Redis stop/start",
                recorder,
                lambda: self.processes.stop("redis"),
                self.start_redis,
            )
            held = self.queue_tasks()
            self.fault(
                "worker SIGKILL/start",
                recorder,
                lambda: self.processes.stop("worker", signal.SIGKILL),
                self.start_worker,
            )
            time.sleep(2)
        load.check()
        self.report.append(self.task_after_kill(held))

    def task_after_kill(self, held) -> str:
        """What became of the task the killed worker was running."""
        from django.db import connections
        from django_tasks_db.models import DBTaskResult

        began = time.monotonic()
        while True:
            task = DBTaskResult.objects.get(pk=held)
            if task.status == "SUCCESSFUL" or time.monotonic() - began > 120:
                break
            time.sleep(0.5)
        left = DBTaskResult.objects.exclude(status="SUCCESSFUL").count()
        connections.close_all()
        if task.status != "SUCCESSFUL":
            self.failures.append(f"the killed worker's task {held} is {task.status}")
        return (
            f"  {self.config.tasks} tasks queued; the one the killed worker held "
            f"was claimed {len(task.worker_ids)} times and is {task.status} "
            f"(waited {time.monotonic() - began:.1f} s more); not yet done: {left}"
        )

    def queue_tasks(self):
        """Queue SOAK_TASKS re-renderings of the pages linking to the seed
        profile, wait until the worker is running one, and return its id."""
        from django.db import connections
        from django_tasks_db.models import DBTaskResult

        from wiki.services import rerender_pages_linking_to_task

        for _ in range(self.config.tasks):
            rerender_pages_linking_to_task.enqueue(
                names=["alec radford"], except_id=None
            )
        deadline = time.monotonic() + 30
        while (running := DBTaskResult.objects.running().first()) is None:
            if time.monotonic() > deadline:
                raise SoakFailure("the worker ran none of the queued tasks")
            time.sleep(0.02)
        connections.close_all()
        return running.pk

    def main(self) -> None:
        site = self.set_up()
        recorder = Recorder()
        self.load(site, recorder)
        self.report += check_writes(recorder, site.soak_slugs)
        if self.config.faults:
            fault_recorder = Recorder()
            self.faults(site, fault_recorder)
            self.report += check_writes(fault_recorder, site.soak_slugs)
        counts = wait_for_tasks(120)
        self.report.append(
            "tasks: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        )
        if set(counts) - {"SUCCESSFUL"}:
            self.failures.append(f"tasks not all successful: {dict(counts)}")
        self.check_access_log()
        self.processes.check_alive()

    def check_access_log(self) -> None:
        statuses: Counter = Counter()
        durations: dict[str, list[float]] = defaultdict(list)
        for line in (self.workdir / "gunicorn.log").read_text().splitlines():
            if line.startswith("{"):
                with contextlib.suppress(ValueError, KeyError):
                    record = json.loads(line)
                    statuses[record["status"]] += 1
                    kind = f"{record['method']} {record['user']} {record['cache']}"
                    durations[kind].append(record["duration_ms"])
        self.report.append("server time (access log), ms:")
        for kind, values in sorted(durations.items(), key=lambda kv: -len(kv[1])):
            self.report.append(
                f"  {kind:<32}{len(values):>7}  p50 {percentile(values, 0.5):7.1f}"
                f"  p95 {percentile(values, 0.95):7.1f}"
            )
        server_errors = {k: v for k, v in statuses.items() if k >= 500 and k != 503}
        self.report.append(
            f"access log: {sum(statuses.values())} requests, "
            + " ".join(f"{k}:{v}" for k, v in sorted(statuses.items()))
        )
        if server_errors:
            self.failures.append(f"access log has server errors: {server_errors}")

    def close(self) -> None:
        self.processes.stop_all()
        if self.cluster is not None:
            self.cluster.destroy()


def main() -> int:
    config = Config()
    began = time.monotonic()
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    workdir = Path(tempfile.mkdtemp(prefix="lineage-soak-"))
    run = Run(config, workdir)
    status = 0
    try:
        with deadline(config.timeout, SoakTimeout, "SOAK_TIMEOUT"):
            run.main()
    except (SoakFailure, SoakTimeout, SystemExit, KeyboardInterrupt) as error:
        run.failures.append(str(error) or type(error).__name__)
    except Exception as error:
        import traceback

        traceback.print_exc()
        run.failures.append(f"{type(error).__name__}: {error}")
    finally:
        run.close()
    lines = [
        f"Lineage soak {stamp} UTC, {socket.gethostname()}, "
        f"{os.cpu_count()} cores, total {time.monotonic() - began:.0f} s",
        *run.report,
        "",
        "PASSED" if not run.failures else "FAILED:",
        *(f"  {failure}" for failure in run.failures),
    ]
    text = "\n".join(lines) + "\n"
    outdir = ROOT / "var" / "soak"
    outdir.mkdir(parents=True, exist_ok=True)
    path = outdir / f"soak-{stamp}.txt"
    path.write_text(text)
    print(text)
    print(f"written to {path.relative_to(ROOT)}; process logs in {workdir}")
    if run.failures:
        status = 1
        for name in ("gunicorn", "worker", "redis"):
            log_path = workdir / f"{name}.log"
            if log_path.exists():
                tail = log_path.read_text(errors="replace")[-3000:]
                print(f"--- {name} log (end) ---\n{tail}", file=sys.stderr)
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
