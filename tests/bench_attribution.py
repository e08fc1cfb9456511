"""Benchmark of paragraph attribution; prints timings, asserts nothing.

In a throwaway test database (created and destroyed here), one page gets
``REVISIONS`` revisions through ``page_publish``: a body of about 40
paragraphs (12 KB), each revision changing a word in one paragraph, adding
one or removing one, with a revert now and then.  Then, through Django's
test client, it times the attribution view (``/<section>/<slug>/attribution/``)
the first time (the whole history read, in chunks) and cached, and once more
after one new revision (read from the last attributed one), and served from
the fragment cache.

    .venv/bin/python tests/pg_cluster.py -- .venv/bin/python tests/bench_attribution.py
    DATABASE_URL=sqlite:////tmp/b.sqlite3 .venv/bin/python tests/bench_attribution.py
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

REVISIONS = 500
PARAGRAPHS = 40
RUNS = 15

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wiki.settings")

WORDS = [
    "model",
    "training",
    "data",
    "scaling",
    "language",
    "vision",
    "transformer",
    "pretraining",
    "release",
    "research",
    "paper",
    "generative",
    "representation",
    "learning",
    "the",
    "of",
    "and",
    "a",
]


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 60))) + "."


def build(page_model, users):
    from wiki import history
    from wiki.services import page_publish

    rng = random.Random(14)
    paragraphs = [sentence(rng) for _ in range(PARAGRAPHS)]
    page = page_model(title="Benchmark Person", slug="benchmark-person")
    page.body = "\n\n".join(paragraphs)
    revisions = [page_publish(page=page, user=users[0], summary="Create")]
    started = time.perf_counter()
    for number in range(1, REVISIONS):
        page = page_model.objects.get(pk=page.pk)
        if number % 50 == 0:
            revisions.append(
                history.page_revert(page=page, revision=revisions[-10], user=users[0])
            )
            continue
        paragraphs = page.body.split("\n\n")
        choice = rng.random()
        if choice < 0.6:
            index = rng.randrange(len(paragraphs))
            tokens = paragraphs[index].split(" ")
            tokens[rng.randrange(len(tokens))] = f"edit{number}"
            paragraphs[index] = " ".join(tokens)
        elif choice < 0.8 or len(paragraphs) < 20:
            paragraphs.insert(rng.randrange(len(paragraphs)), sentence(rng))
        else:
            del paragraphs[rng.randrange(len(paragraphs))]
        page.body = "\n\n".join(paragraphs)
        revisions.append(
            page_publish(
                page=page, user=users[number % len(users)], summary=f"Edit {number}"
            )
        )
    seconds = time.perf_counter() - started
    print(f"  {REVISIONS:,} revisions published in {seconds:.0f} s")
    return page_model.objects.get(pk=page.pk)


def once(client, url: str) -> tuple[float, int]:
    from django.db import connection, reset_queries

    reset_queries()
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return (time.perf_counter() - started) * 1000, len(connection.queries)


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from people.models import Person
    from tests.factories import UserFactory
    from wiki.services import page_publish

    setup_test_environment(debug=True)  # DEBUG records queries to count them
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Time the view, not the page cache; the fragment cache only where said.
    settings.LINEAGE_PAGE_CACHE = False
    settings.LINEAGE_FRAGMENT_CACHE = False
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"Database: {connection.vendor}")
        users = [UserFactory(username=f"editor{n}") for n in range(5)]
        page = build(Person, users)
        client = Client()
        url = f"{page.get_absolute_url()}attribution/"
        ms, queries = once(client, url)
        print(f"  first view (the whole history): {ms:,.0f} ms, {queries} queries")
        timings = [once(client, url) for _ in range(RUNS)]
        ms = statistics.median(t for t, _ in timings)
        print(f"  cached view: median {ms:,.1f} ms of {RUNS}, {timings[0][1]} queries")
        page.body += "\n\nOne more paragraph."
        page_publish(page=page, user=users[1], summary="One more")
        ms, queries = once(client, url)
        print(f"  after one new revision: {ms:,.1f} ms, {queries} queries")
        settings.LINEAGE_FRAGMENT_CACHE = True
        once(client, url)
        timings = [once(client, url) for _ in range(RUNS)]
        ms = statistics.median(t for t, _ in timings)
        print(
            f"  from the fragment cache: median {ms:,.1f} ms, {timings[0][1]} queries"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
