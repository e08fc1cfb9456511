"""Server time of every page type on a large corpus; prints a table, asserts nothing.

In a throwaway test database (DATABASE_URL's own database is never touched)
the seed is loaded, then a corpus is bulk-inserted (people, works,
organizations, themes, sources, authorships, affiliations, citations and
wikilinks, red ones included), one page gets ``REVISIONS`` revisions, and the
kept counts are rebuilt (``wiki.tallies.refresh_all``).  Then each page type
is requested ``RUNS`` times through Django's test client with DEBUG off, and
the p50/p95 server time, the queries, the rows PostgreSQL read and the size of
the HTML are printed.

    .venv/bin/python tests/pg_cluster.py -- .venv/bin/python tests/bench_pages.py

``BENCH_PEOPLE``, ``BENCH_WORKS`` set the size (default 40,000 and 56,000:
about 100,000 pages with the organizations and themes).
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wiki.settings")

PEOPLE = int(os.environ.get("BENCH_PEOPLE", 40_000))
WORKS = int(os.environ.get("BENCH_WORKS", 56_000))
ORGANIZATIONS = max(PEOPLE // 20, 10)
THEMES = 300
SOURCES = WORKS // 3
RED_TITLES = 5_000
REVISIONS = int(os.environ.get("BENCH_REVISIONS", 2_000))
RUNS = int(os.environ.get("BENCH_RUNS", 30))
BATCH = 5_000

FIRST = [
    "Ada",
    "Alan",
    "Barbara",
    "Claude",
    "Dana",
    "Edsger",
    "Fei",
    "Grace",
    "Geoffrey",
    "Ilya",
    "John",
    "Judea",
    "Karen",
    "Leslie",
    "Marvin",
    "Noam",
    "Oriol",
    "Pieter",
    "Quoc",
    "Richard",
    "Sepp",
    "Tom",
    "Ursula",
    "Vera",
    "Yann",
    "Yoshua",
    "Zoubin",
    "Hinton",
    "Andrej",
    "Chelsea",
    "Demis",
    "Emily",
    "Fran",
    "Hugo",
    "Ian",
    "Jürgen",
    "Kate",
    "Lucy",
    "Mira",
]
LAST = [
    "Abbott",
    "Bengio",
    "Chen",
    "Dahl",
    "Engel",
    "Fischer",
    "Garcia",
    "Huang",
    "Ivanova",
    "Jones",
    "Kim",
    "Lopez",
    "Martin",
    "Nakamura",
    "Okafor",
    "Patel",
    "Quinn",
    "Rossi",
    "Singh",
    "Tanaka",
    "Ueda",
    "Varga",
    "Wang",
    "Xu",
    "Yamada",
    "Zhou",
    "Berg",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fong",
    "Gupta",
    "Horvat",
    "Ito",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
]
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
    "generative",
    "representation",
    "learning",
    "contrastive",
    "image",
    "text",
    "token",
    "benchmark",
    "dataset",
    "alignment",
    "reward",
    "policy",
    "agent",
    "memory",
    "attention",
    "sparse",
    "dense",
    "graph",
    "kernel",
    "bayesian",
    "causal",
    "robust",
    "efficient",
]


def title_words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count)).capitalize()


def sentence(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count)) + "."


def build_corpus(rng: random.Random) -> dict:
    """Insert the corpus with bulk inserts (no revisions, no rendering: the
    HTML is written as the renderer would write a plain paragraph)."""
    from django.db import transaction

    from people.models import Affiliation, Organization, Person
    from sources.models import Authorship, Citation, Source, Work
    from wiki.models import Page, PageLink, Theme

    started = time.perf_counter()

    def insert(model, kind: str, rows: list[dict]) -> list[int]:
        """Pages of a kind: the Page rows in bulk, then the kind's own rows."""
        ids = []
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            pages = Page.objects.bulk_create(
                [
                    Page(
                        kind=kind,
                        title=row["title"],
                        slug=row["slug"],
                        summary=row["summary"],
                        body=row["body"],
                        body_html=f"<p>{row['body']}</p>",
                    )
                    for row in chunk
                ]
            )
            own = [
                model(page_ptr_id=page.pk, **row["own"])
                for page, row in zip(pages, chunk, strict=True)
            ]
            fields = [f for f in model._meta.local_concrete_fields if f.name != "id"]
            model.objects._insert(own, fields=fields)
            ids += [page.pk for page in pages]
        return ids

    def names(count: int, make) -> list[str]:
        seen, out = set(), []
        while len(out) < count:
            name = make()
            if name.lower() not in seen:
                seen.add(name.lower())
                out.append(name)
        return out

    person_names = names(
        PEOPLE,
        lambda: (
            f"{rng.choice(FIRST)} {rng.choice(FIRST)[0]}. {rng.choice(LAST)} "
            f"{rng.randrange(10_000)}"
        ),
    )
    work_names = names(WORKS, lambda: f"{title_words(rng, 5)} {rng.randrange(10**6)}")
    red = [f"Missing topic {n}" for n in range(RED_TITLES)]

    def body(linkable: list[str]) -> str:
        links = " ".join(f"[[{rng.choice(linkable)}]]" for _ in range(2))
        return f"{sentence(rng, 40)} {links} [[{rng.choice(red)}]] {sentence(rng, 30)}"

    with transaction.atomic():
        themes = insert(
            Theme,
            "theme",
            [
                {
                    "title": f"Theme {n} {title_words(rng, 2)}",
                    "slug": f"theme-{n}",
                    "summary": sentence(rng, 20),
                    "body": sentence(rng, 80),
                    "own": {},
                }
                for n in range(THEMES)
            ],
        )
        organizations = insert(
            Organization,
            "organization",
            [
                {
                    "title": f"{rng.choice(LAST)} Lab {n}",
                    "slug": f"lab-{n}",
                    "summary": sentence(rng, 20),
                    "body": sentence(rng, 60),
                    "own": {"org_type": "lab"},
                }
                for n in range(ORGANIZATIONS)
            ],
        )
        people = insert(
            Person,
            "person",
            [
                {
                    "title": name,
                    "slug": f"person-{n}",
                    "summary": sentence(rng, 25),
                    "body": body(person_names),
                    "own": {"short_description": "AI researcher"},
                }
                for n, name in enumerate(person_names)
            ],
        )
        works = insert(
            Work,
            "work",
            [
                {
                    "title": name,
                    "slug": f"work-{n}",
                    "summary": sentence(rng, 25),
                    "body": body(work_names),
                    "own": {
                        "work_type": rng.choice(["paper", "paper", "model", "post"]),
                        "year": rng.randint(1990, 2025),
                    },
                }
                for n, name in enumerate(work_names)
            ],
        )
        print(f"  pages inserted in {time.perf_counter() - started:.0f} s", flush=True)
        Authorship.objects.bulk_create(
            (
                Authorship(work_id=work, person_id=person, position=position)
                for work in works
                for position, person in enumerate(rng.sample(people, rng.randint(1, 4)))
            ),
            batch_size=BATCH,
        )
        Affiliation.objects.bulk_create(
            (
                Affiliation(
                    person_id=person,
                    organization_id=rng.choice(organizations),
                    role="researcher",
                    start_year=rng.randint(1995, 2024),
                )
                for person in people
            ),
            batch_size=BATCH,
        )
        Person.themes.through.objects.bulk_create(
            (
                Person.themes.through(person_id=person, theme_id=theme)
                for person in people
                for theme in rng.sample(themes, 2)
            ),
            batch_size=BATCH,
        )
        sources = Source.objects.bulk_create(
            (
                Source(
                    key=f"bench{n}",
                    title=title_words(rng, 6),
                    authors=rng.choice(LAST),
                    year=rng.randint(1990, 2025),
                )
                for n in range(SOURCES)
            ),
            batch_size=BATCH,
        )
        cited = rng.sample(people + works, len(people + works) // 3)
        Citation.objects.bulk_create(
            (
                Citation(page_id=page, source_id=rng.choice(sources).pk, position=0)
                for page in cited
            ),
            batch_size=BATCH,
        )
        by_title = dict(
            Page.objects.filter(kind__in=["person", "work"]).values_list("title", "pk")
        )
        links = []
        for page_id, page_body in Page.objects.filter(
            pk__in=people + works
        ).values_list("pk", "body"):
            seen = set()
            for title in page_body.split("[[")[1:]:
                title = title.split("]]")[0]
                if title.lower() not in seen:
                    seen.add(title.lower())
                    links.append(
                        PageLink(
                            source_id=page_id,
                            target_title=title,
                            target_id=by_title.get(title),
                        )
                    )
        PageLink.objects.bulk_create(links, batch_size=BATCH)
    print(f"  corpus built in {time.perf_counter() - started:.0f} s", flush=True)
    return {
        "person": Person.objects.get(pk=people[len(people) // 2]),
        "work": Work.objects.get(pk=works[len(works) // 2]),
        "theme": Theme.objects.get(pk=themes[0]),
        "organization": Organization.objects.get(pk=organizations[0]),
        "source": sources[0],
    }


def many_revisions(page, user) -> None:
    """``REVISIONS`` revisions of ``page``, as page_publish records them but
    without its rendering and link upkeep (only slow here)."""
    import reversion
    from django.db import transaction
    from django.utils import timezone

    from wiki.models import RevisionMeta

    with transaction.atomic():
        for number in range(REVISIONS):
            page.summary = f"Edit {number}: {page.summary[:200]}"[:300]
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
                    size_delta=1,
                )


def measure(client, url: str) -> dict:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from tests.scans import _snapshot

    response = client.get(url)  # warm caches
    assert response.status_code in (200, 404), (url, response.status_code)
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    postgres = connection.vendor == "postgresql"
    # One transaction, so that PostgreSQL's per-transaction counters add up.
    with transaction.atomic():
        before = _snapshot() if postgres else {}
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        after = _snapshot() if postgres else {}
    rows = sum(after.values()) - sum(before.values())
    return {
        "p50": statistics.median(timings),
        "p95": timings[max(0, int(len(timings) * 0.95) - 1)],
        "queries": len(queries),
        "rows": rows,
        "kb": len(response.content) / 1024,
        "status": response.status_code,
    }


def explain_queries(client, url: str) -> None:
    """Print how PostgreSQL ran each query of ``url`` (``BENCH_EXPLAIN=url``)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    for query in queries.captured_queries:
        if not query["sql"].startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + query["sql"])
            print(query["sql"][:300])
            print("\n".join(row[0] for row in cursor.fetchall()))


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from people.models import Person
    from sources.seed import load_seed
    from tests.factories import UserFactory
    from wiki.roles import MODERATORS, ensure_roles

    setup_test_environment(debug=False)
    settings.DEBUG = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    print(f"Database: {connection.vendor}; {PEOPLE:,} people, {WORKS:,} works")
    load_seed()
    rng = random.Random(11)
    made = build_corpus(rng)
    editor = UserFactory(username="bench-editor")
    alec = Person.objects.get(slug="alec-radford")
    many_revisions(made["person"], editor)
    try:
        from wiki import tallies
    except ImportError:  # a branch before the kept counts
        pass
    else:
        tallies.refresh_all()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    from wiki.services import latest_revision

    person = made["person"]
    revision = latest_revision(person)
    older = person.pk and revision.pk - 5
    base = person.get_absolute_url()
    moderator = UserFactory(username="bench-moderator")
    ensure_roles()
    moderator.groups.add(Group.objects.get(name=MODERATORS))
    anonymous, reader, mod = Client(), Client(), Client()
    reader.force_login(UserFactory(username="bench-reader"))
    mod.force_login(moderator)
    cases = [
        ("home", anonymous, "/"),
        ("seed profile, anonymous", anonymous, "/people/alec-radford/"),
        ("seed profile, logged in", reader, "/people/alec-radford/"),
        ("person (generated)", anonymous, base),
        ("work (generated)", anonymous, made["work"].get_absolute_url()),
        ("theme (generated)", anonymous, made["theme"].get_absolute_url()),
        ("organization", anonymous, made["organization"].get_absolute_url()),
        ("people index", anonymous, "/people/"),
        ("people index, letter M", anonymous, "/people/?letter=M"),
        ("people index, page 40", anonymous, "/people/?page=40"),
        ("people by theme", anonymous, f"/people/?theme={made['theme'].slug}"),
        (
            "people by organization",
            anonymous,
            f"/people/?organization={made['organization'].slug}",
        ),
        ("works index", anonymous, "/works/"),
        ("works index, models", anonymous, "/works/?type=model"),
        ("themes index", anonymous, "/themes/"),
        ("organizations index", anonymous, "/organizations/"),
        ("sources index", anonymous, "/sources/"),
        ("source", anonymous, made["source"].get_absolute_url()),
        ("wanted pages", anonymous, "/wanted/"),
        ("recent changes", anonymous, "/changes/"),
        ("recent changes feed", anonymous, "/changes/feed/"),
        (f"history ({REVISIONS:,} revisions)", anonymous, f"{base}history/"),
        ("old revision", anonymous, f"{base}revisions/{older}/"),
        ("diff", anonymous, f"{base}diff/?from={older}&to={revision.pk}"),
        ("go to a missing title", anonymous, "/go/?title=Ada+A.+Abbott"),
        ("404 with suggestions", anonymous, "/people/ada-lovelace-x/"),
        ("review queue (moderator)", mod, "/review/"),
        ("seed profile history", anonymous, f"{alec.get_absolute_url()}history/"),
    ]
    explain = os.environ.get("BENCH_EXPLAIN")
    if explain:
        explain_queries(anonymous, explain)
        return
    header = (
        f"{'page':34} {'p50 ms':>7} {'p95 ms':>7} {'queries':>7} {'rows':>8} {'KB':>6}"
    )
    print(header)
    print("-" * len(header))
    for label, client, url in cases:
        result = measure(client, url)
        print(
            f"{label:34} {result['p50']:7.1f} {result['p95']:7.1f} "
            f"{result['queries']:7} {result['rows']:8} {result['kb']:6.0f}"
            + (f" ({result['status']})" if result["status"] != 200 else ""),
            flush=True,
        )


if __name__ == "__main__":
    main()
