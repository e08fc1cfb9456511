"""Benchmark of the watchlist; prints timings, asserts nothing.

In a throwaway test database, a generated corpus (tests/corpus.py; about
3,000 pages with two to four revisions each by default), a contributor who
watches 1,000 of its pages at random and has 20 proposals pending on them (rows),
and a moderator watching the same pages.  Through Django's test client it
times the watchlist's first page, a later page, and filtered views.

    .venv/bin/python tests/pg_cluster.py -- .venv/bin/python tests/bench_watchlist.py
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

WATCHED = 1_000
RUNS = 15

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wiki.settings")


def timed(client, url: str) -> tuple[list[float], int]:
    from django.db import connection, reset_queries

    response = client.get(url)  # warm caches
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(RUNS):
        reset_queries()
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return timings, len(connection.queries)


def explain(user) -> None:
    """Print the plan of the watchlist's revision query (BENCH_EXPLAIN=1)."""
    from wiki.history_forms import ChangesFilterForm
    from wiki.watchlist import services

    changes = services.watched_changes(user, ChangesFilterForm())
    print(changes[:51].explain(analyze=True))


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment(debug=True)  # DEBUG records queries to count them
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from reversion.models import Version

        from tests.corpus import generate
        from tests.factories import UserFactory
        from wiki.models import Page, Proposal, Watch
        from wiki.roles import CONTRIBUTORS, MODERATORS, ensure_roles

        people = int(os.environ.get("BENCH_PEOPLE", 1000))
        works = int(os.environ.get("BENCH_WORKS", 2000))
        print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
        started = time.perf_counter()
        generate(people=people, works=works, seed=1)
        ensure_roles()
        pages = Page.objects.count()
        print(
            f"  corpus: {pages:,} pages, {Version.objects.count():,} versions "
            f"({time.perf_counter() - started:.0f} s)"
        )
        reader = UserFactory(username="bench-reader")
        reader.groups.add(Group.objects.get(name=CONTRIBUTORS))
        moderator = UserFactory(username="bench-moderator")
        moderator.groups.add(Group.objects.get(name=MODERATORS))
        ids = list(Page.objects.filter(is_deleted=False).values_list("pk", flat=True))
        watched = random.Random(7).sample(ids, WATCHED)
        for user in (reader, moderator):
            Watch.objects.bulk_create([Watch(user=user, page_id=pk) for pk in watched])
        # Pending proposals on watched pages, stored as rows (the generated
        # pages' data need not fit their forms; the list reads the rows only).
        Proposal.objects.bulk_create(
            Proposal(
                kind=page.kind,
                page=page,
                title=page.title,
                summary="Bench proposal",
                author=reader,
            )
            for page in Page.objects.filter(pk__in=watched[:20])
        )
        cases = [
            ("watchlist, first page", "/watchlist/"),
            ("watchlist, page 5", "/watchlist/?page=5"),
            ("watchlist, hide minor edits", "/watchlist/?hide_minor=on"),
            ("watchlist, one kind", "/watchlist/?kind=work"),
            ("watchlist, words of a title", "/watchlist/?q=learning"),
            ("watched pages, first page", "/watchlist/pages/"),
            ("(recent changes, first page)", "/changes/"),
        ]
        print(f"\n{'view':34} {'who':10} {'min':>8} {'median':>8} {'max':>8} {'q':>3}")
        for who, user in (("contrib.", reader), ("moderator", moderator)):
            client = Client()
            client.force_login(user)
            for label, url in cases:
                timings, queries = timed(client, url)
                print(
                    f"{label:34} {who:10} {min(timings):7.1f}ms "
                    f"{statistics.median(timings):7.1f}ms "
                    f"{max(timings):7.1f}ms {queries:3}"
                )
        if os.environ.get("BENCH_EXPLAIN"):
            explain(reader)
        print(
            f"\n{RUNS} runs each, after one warm-up request; times include "
            "middleware and templates."
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
