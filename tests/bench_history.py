"""Benchmark of the history pages (``make bench``); prints timings, asserts nothing.

In a throwaway test database (created and destroyed here, so DATABASE_URL's own
database is never touched), the seed is loaded and one page gets 5,000
revisions; its last two have bodies of about 100 KB each that differ in a few
dozen scattered places.  Then, through Django's test client (middleware,
view, template), it times:

- the first page of that page's history,
- the diff of the two 100 KB revisions,
- an old revision, recent changes and the page itself.

    .venv/bin/python tests/pg_cluster.py -- .venv/bin/python tests/bench_history.py
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

REVISIONS = 5_000
BODY_CHARS = 100_000
RUNS = 15
RENDERED = (
    "body",
    "body_html",
    "toc_html",
    "reading_html",
    "fields_html",
    "render_data",
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wiki.settings")


def words(rng: random.Random, count: int) -> str:
    vocabulary = [
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
        "contrastive",
        "image",
        "text",
        "token",
        "benchmark",
        "dataset",
        "compute",
        "policy",
        "safety",
        "open",
        "weights",
        "the",
        "of",
        "and",
        "a",
        "to",
        "in",
        "is",
        "that",
        "for",
        "with",
        "as",
        "on",
        "by",
        "was",
        "were",
    ]
    return " ".join(rng.choice(vocabulary) for _ in range(count))


def long_body(rng: random.Random) -> str:
    """Markdown of about BODY_CHARS characters: headings and paragraphs."""
    parts, size, section = [], 0, 0
    while size < BODY_CHARS:
        if len(parts) % 12 == 0:
            section += 1
            parts.append(f"## Section {section}")
        parts.append(words(rng, rng.randint(60, 110)) + ".")
        size += len(parts[-1]) + 2
    return "\n\n".join(parts)


def edited(body: str, rng: random.Random) -> str:
    """``body`` with words changed in 30 paragraphs, one added, one removed."""
    paragraphs = body.split("\n\n")
    for index in rng.sample(range(len(paragraphs)), 30):
        tokens = paragraphs[index].split(" ")
        tokens[rng.randrange(len(tokens))] = "EDITED"
        paragraphs[index] = " ".join(tokens)
    paragraphs.insert(len(paragraphs) // 2, words(rng, 80) + ".")
    del paragraphs[len(paragraphs) // 3]
    return "\n\n".join(paragraphs)


def build(page_model, user):
    import reversion
    from django.db import transaction
    from django.utils import timezone

    from wiki.models import RevisionMeta
    from wiki.services import page_publish, page_render

    rng = random.Random(5)
    page = page_model(title="Benchmark Person", slug="benchmark-person")
    page.body = "Start."
    page_publish(page=page, user=user, summary="Create")
    # Ordinary edits of 2-4 KB, recorded as page_publish records them but
    # without its link bookkeeping, which only slows the setup down.
    started = time.perf_counter()
    size = len(page.body)
    variants = []
    for number in range(20):
        page.body = words(rng, 300 + number * 10)
        page_render(page)
        variants.append({f: getattr(page, f) for f in RENDERED})
    with transaction.atomic():
        for number in range(REVISIONS - 3):
            for name, value in variants[number % len(variants)].items():
                setattr(page, name, value)
            with reversion.create_revision():
                page.save()
                reversion.set_user(user)
                reversion.set_comment(f"Edit {number}")
                reversion.add_meta(
                    RevisionMeta,
                    page=page,
                    approved_by=user,
                    approved_at=timezone.now(),
                    size=len(page.body),
                    size_delta=len(page.body) - size,
                )
            size = len(page.body)
    seconds = time.perf_counter() - started
    print(f"  {REVISIONS - 3:,} revisions recorded in {seconds:.0f} s")
    before = long_body(rng)
    page.body = before
    old = page_publish(page=page, user=user, summary="Long version")
    page.body = edited(before, rng)
    new = page_publish(page=page, user=user, summary="Edit the long version")
    return page, old, new


def timed(client, url: str) -> tuple[list[float], int, int]:
    from django.db import connection, reset_queries

    response = client.get(url)  # warm caches
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(RUNS):
        reset_queries()
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return timings, len(connection.queries), len(response.content)


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment

    from people.models import Person
    from sources.seed import load_seed
    from tests.factories import UserFactory

    setup_test_environment(debug=True)  # DEBUG records queries to count them
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
        load_seed()
        page, old, new = build(Person, UserFactory(username="bencher"))
        versions = {
            v.content_type.model: len(v.serialized_data) for v in new.version_set.all()
        }
        print(
            f"  stored page data of the compared revisions: {versions['page']:,} chars"
        )
        client = Client()
        base = page.get_absolute_url()
        cases = [
            ("history, first page (5,000 revisions)", f"{base}history/"),
            (
                "diff of two ~100 KB bodies",
                f"{base}diff/?from={old.pk}&to={new.pk}",
            ),
            ("old revision (~100 KB body)", f"{base}revisions/{old.pk}/"),
            ("recent changes, first page", "/changes/"),
            ("the page itself", base),
        ]
        print(f"\n{'view':42} {'min':>8} {'median':>8} {'max':>8} {'queries':>8}")
        for label, url in cases:
            timings, queries, size = timed(client, url)
            print(
                f"{label:42} {min(timings):7.1f}ms {statistics.median(timings):7.1f}ms "
                f"{max(timings):7.1f}ms {queries:8}"
            )
        print(
            f"\n{RUNS} runs each, after one warm-up request; times include "
            "middleware and templates."
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
