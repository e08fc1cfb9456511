"""Benchmark of a publish that many pages link to; prints timings, asserts only
that the outcome is right.

Five pages of 2,000 distinct [[wikilinks]] each (10,000 links, the issue's
case under ``LINEAGE_MARKDOWN_MAX_LINKS``) all link to a few titles no page has
yet.  A moderator then creates a page with one of those titles through the
site's create form (Django's test client: middleware, view, template), which
turns the five pages' red links blue:

- with tasks run at once (``make run``'s default), the request re-renders the
  five pages before it returns;
- with ``LINEAGE_TASKS=database`` (production), the request only enqueues the
  task, and the worker (``db_worker``) re-renders them after.

In a throwaway test database (created and destroyed here):

    .venv/bin/python tests/pg_cluster.py -- .venv/bin/python tests/bench_tasks.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

PAGES = 5
LINKS = 2_000
ROUNDS = 3

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wiki.settings")


def targets(backend: str) -> list[str]:
    return [f"Target {backend} {n}" for n in range(ROUNDS)]


def linking_body(page: int) -> str:
    """``LINKS`` distinct wikilinks: every target, then links of this page's own."""
    names = targets("immediate") + targets("database")
    names += [f"Topic {page}-{n}" for n in range(LINKS - len(names))]
    return " ".join(f"[[{name}]]" for name in names)


def create(client, title: str) -> float:
    """Create a theme titled ``title`` through the form: seconds taken."""
    from tests.forms import form_data

    url = "/themes/new/?" + f"title={title.replace(' ', '%20')}"
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    data = form_data(response.content.decode(), "edit-form")
    data["edit-summary"] = ["Create"]
    data["body"] = ["A page many pages link to."]
    started = time.perf_counter()
    response = client.post(url, data)
    seconds = time.perf_counter() - started
    assert response.status_code == 302, response.content.decode()[:2000]
    return seconds


def red_links_to(title: str) -> int:
    """How many of the linking pages still show ``title`` as a red link."""
    from wiki.models import Page

    red = f'wikilink-missing" href="/go/?title={title.replace(" ", "+")}"'
    return sum(
        red in html
        for html in Page.objects.filter(slug__startswith="linking-").values_list(
            "body_html", flat=True
        )
    )


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment, teardown_test_environment

    from tests.factories import UserFactory
    from wiki.models import Theme
    from wiki.roles import MODERATORS, ensure_roles
    from wiki.services import page_publish

    setup_test_environment(debug=False)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
        ensure_roles()
        moderator = UserFactory(username="bench-moderator")
        moderator.groups.add(Group.objects.get(name=MODERATORS))
        started = time.perf_counter()
        for number in range(PAGES):
            page = Theme(
                title=f"Linking {number}",
                slug=f"linking-{number}",
                body=linking_body(number),
            )
            page_publish(page=page, user=moderator, summary="Create")
        print(
            f"  {PAGES} pages of {LINKS:,} distinct links each published in "
            f"{time.perf_counter() - started:.1f} s"
        )
        client = Client()
        client.force_login(moderator)

        immediate = []
        for title in targets("immediate"):
            assert red_links_to(title) == PAGES
            immediate.append(create(client, title))
            assert red_links_to(title) == 0

        queued, worked = [], []
        database = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        with override_settings(TASKS=database):
            for title in targets("database"):
                queued.append(create(client, title))
                assert red_links_to(title) == PAGES  # the worker has not run
                started = time.perf_counter()
                call_command(
                    "db_worker",
                    batch=True,
                    reload=False,
                    startup_delay=False,
                    verbosity=0,
                )
                worked.append(time.perf_counter() - started)
                assert red_links_to(title) == 0

        def row(label: str, seconds: list[float]) -> str:
            ms = [s * 1000 for s in seconds]
            return (
                f"{label:58} {min(ms):8.0f} {statistics.median(ms):8.0f} {max(ms):8.0f}"
            )

        print(
            f"\n{'creating a page that 5 x 2,000-link pages name (ms)':58} "
            f"{'min':>8} {'median':>8} {'max':>8}"
        )
        print(row("request, tasks immediate (re-renders in the request)", immediate))
        print(row("request, tasks in the database (enqueues only)", queued))
        print(row("worker: db_worker --batch re-rendering the 5 pages", worked))
        print(f"\n{ROUNDS} rounds each; a new target title each round.")
        assert Theme.objects.filter(title__startswith="Target").count() == 2 * ROUNDS
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
