"""A read replica that lags behind never puts a stale page in the page cache.

The replica here is a database of its own (the ``lagging`` alias,
tests/settings.py), not a mirror of the primary: it holds what ``replicate()``
last copied to it, every table's rows as they are, as streaming replication
would.  The router (wiki/db_router.py) and the page cache (wiki/cache.py) run
as in production, in front of the real views: anonymous readers read the
replica; whoever just wrote reads the primary.

While the replica is behind the primary's content generation, an anonymous
reader is served the page as the replica has it (replication lag), but the
page cache stores none of it; once the replica catches up, the next reader
gets the new page, which is then cached.  The tests are transactional: inside
a transaction every read goes to the primary.
"""

import pytest
from django.core.management.color import no_style
from django.db import connections, transaction
from django.test import Client

from tests.wiki.history_helpers import publish
from tests.wiki.moderation_helpers import create_url, edit, edit_url, form_of
from wiki import cache
from wiki.db_router import PIN_COOKIE

pytestmark = pytest.mark.django_db(
    transaction=True, databases=["default", "lagging", "replica"]
)

PRIMARY, REPLICA = "default", "lagging"
# A replica that is never behind: it mirrors the primary's test database.
MIRROR = "replica"
OLD, NEW = "Ada wrote the first program.", "Ada published the notes in 1843."


@pytest.fixture
def lagging_replica(settings):
    """Reads go to the lagging replica, with the page cache on and empty."""
    settings.LINEAGE_DATABASE_REPLICAS = [REPLICA]
    settings.LINEAGE_REPLICA_PIN_SECONDS = 10
    settings.DATABASE_ROUTERS = ["wiki.db_router.PrimaryReplicaRouter"]
    settings.LINEAGE_PAGE_CACHE = True
    from django.core.cache import caches

    caches[settings.LINEAGE_PAGE_CACHE_ALIAS].clear()
    cache.recent.clear()
    yield
    caches[settings.LINEAGE_PAGE_CACHE_ALIAS].clear()
    cache.recent.clear()


def replicate() -> None:
    """Bring the replica up to the primary: every table's rows, copied as
    they are (no model code, no signals), in one transaction."""
    source, target = connections[PRIMARY], connections[REPLICA]
    tables = sorted(source.introspection.django_table_names(only_existing=True))
    quote = target.ops.quote_name
    with transaction.atomic(using=REPLICA), target.cursor() as out:
        for statement in target.ops.sql_flush(no_style(), tables, allow_cascade=True):
            out.execute(statement)
        for table in tables:
            with source.cursor() as cursor:
                columns = written_columns(cursor, table)
                cursor.execute(
                    f"SELECT {', '.join(map(quote, columns))} FROM {quote(table)}"
                )
                rows = cursor.fetchall()
            if rows:
                names = ", ".join(map(quote, columns))
                marks = ", ".join(["%s"] * len(columns))
                out.executemany(
                    f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows
                )


def written_columns(cursor, table: str) -> list[str]:
    """The columns of ``table`` a copy writes: not those PostgreSQL generates
    (search's tsvectors), which the replica computes again, as a real one."""
    if cursor.db.vendor == "postgresql":
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = %s AND is_generated = 'NEVER' "
            "ORDER BY ordinal_position",
            [table],
        )
        return [row[0] for row in cursor.fetchall()]
    cursor.execute(f"SELECT * FROM {cursor.db.ops.quote_name(table)} LIMIT 0")
    return [column[0] for column in cursor.description]


def generation(alias: str) -> int:
    return cache.current(using=alias).number


def view(client, url: str):
    response = client.get(url)
    return response.status_code, response.get("X-Cache"), response.content.decode()


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_page_read_from_a_replica_that_has_caught_up_is_cached(
    lagging_replica, person
):
    replicate()
    assert generation(REPLICA) == generation(PRIMARY)
    url = person.get_absolute_url()

    first = Client().get(url)
    second = Client().get(url)

    assert (first.status_code, first["X-Cache"]) == (200, "miss")
    assert first["Cache-Control"].startswith("public")
    assert (second.status_code, second["X-Cache"]) == (200, "hit")
    assert OLD in second.content.decode()


def test_a_publish_the_replica_has_not_received_is_not_cached_stale(
    lagging_replica, person, moderator
):
    replicate()
    url = person.get_absolute_url()
    assert view(Client(), url)[:2] == (200, "miss")
    assert view(Client(), url)[:2] == (200, "hit")

    publish(person, moderator, body=f"{NEW}\n")

    # The replica still has the old page and the old generation.
    assert generation(REPLICA) != generation(PRIMARY)
    lagged = Client().get(url)
    assert lagged.status_code == 200
    assert OLD in lagged.content.decode()
    assert "X-Cache" not in lagged
    assert lagged["Cache-Control"] == "private, no-cache"
    assert "ETag" not in lagged
    again = Client().get(url)
    assert "X-Cache" not in again
    assert OLD in again.content.decode()

    replicate()

    status, served_from, text = view(Client(), url)
    assert (status, served_from) == (200, "miss")
    assert NEW in text
    assert OLD not in text
    status, served_from, text = view(Client(), url)
    assert (status, served_from) == (200, "hit")
    assert NEW in text


def test_a_page_the_replica_does_not_have_yet_is_not_cached_as_missing(
    lagging_replica, person, moderator
):
    publisher = logged_in(moderator)
    replicate()  # the replica has the session too
    data = form_of(publisher, create_url("people"))
    data.update(
        {
            "title": "Charles Babbage",
            "slug": "charles-babbage",
            "body": "Designed the Engine.",
            "edit-summary": "Create",
        }
    )
    response = publisher.post(create_url("people"), data)
    assert response.status_code == 302
    new_url = response.url

    # The author sees the new page at once (pinned to the primary).
    status, _, text = view(publisher, new_url)
    assert status == 200
    assert "Designed the Engine." in text
    # A reader served by the replica does not find it yet, and that answer is
    # not kept: once the replica has the page, readers get it.
    missing = Client().get(new_url)
    assert missing.status_code == 404
    assert missing["Cache-Control"] == "private, no-cache"
    assert "X-Cache" not in missing

    replicate()

    assert view(Client(), new_url)[:2] == (200, "miss")
    status, served_from, text = view(Client(), new_url)
    assert (status, served_from) == (200, "hit")
    assert "Designed the Engine." in text


def test_the_author_who_just_published_reads_the_change_from_the_primary(
    lagging_replica, person, moderator, contributor
):
    url = person.get_absolute_url()
    publisher = logged_in(moderator)
    other = logged_in(contributor)
    replicate()  # the replica has their sessions too
    assert OLD in view(other, url)[2]

    response = publisher.post(edit_url(person), edit(person, body=f"{NEW}\n"))

    assert response.status_code == 302
    assert PIN_COOKIE in response.cookies
    assert generation(REPLICA) != generation(PRIMARY)
    page = publisher.get(response.url)
    assert page.status_code == 200
    assert NEW in page.content.decode()
    assert page["Cache-Control"] == "private, no-cache"
    # Another signed-in reader, not pinned, still reads the lagging replica.
    assert OLD in view(other, url)[2]


def test_a_rename_the_replica_has_not_received_is_cached_at_neither_address(
    lagging_replica, person, moderator
):
    replicate()
    old_url = person.get_absolute_url()
    assert view(Client(), old_url)[:2] == (200, "miss")

    publish(person, moderator, slug="ada-byron")
    new_url = type(person).objects.get(pk=person.pk).get_absolute_url()

    at_old, at_new = Client().get(old_url), Client().get(new_url)
    assert (at_old.status_code, at_new.status_code) == (200, 404)
    assert "X-Cache" not in at_old
    assert "X-Cache" not in at_new
    assert at_old["Cache-Control"] == at_new["Cache-Control"] == "private, no-cache"

    replicate()

    moved = Client().get(old_url)
    assert (moved.status_code, moved["Location"], moved["X-Cache"]) == (
        301,
        new_url,
        "miss",
    )
    assert view(Client(), new_url)[:2] == (200, "miss")
    assert view(Client(), new_url)[:2] == (200, "hit")
    assert Client().get(old_url)["X-Cache"] == "hit"


def test_a_reader_served_by_a_replica_that_has_caught_up_is_cached_while_another_lags(
    lagging_replica, settings, person, moderator
):
    settings.LINEAGE_DATABASE_REPLICAS = [MIRROR, REPLICA]
    replicate()
    url = person.get_absolute_url()
    publish(person, moderator, body=f"{NEW}\n")

    # Each request reads one replica, chosen at random: the lagging one serves
    # the old page, uncached, until a request reads the mirror (1 in 2 each
    # time: 40 requests all on the lagging replica come once in 10^12 runs).
    for _ in range(40):
        response = Client().get(url)
        if OLD not in response.content.decode():
            break
        assert "X-Cache" not in response
        assert response["Cache-Control"] == "private, no-cache"
    assert (response.status_code, response["X-Cache"]) == (200, "miss")
    assert NEW in response.content.decode()
    for _ in range(4):  # whichever replica the request would read
        status, served_from, text = view(Client(), url)
        assert (status, served_from) == (200, "hit")
        assert NEW in text


def test_a_signed_in_readers_article_is_not_kept_from_a_lagging_replica(
    lagging_replica, settings, person, moderator, contributor
):
    """The fragment cache (a signed-in reader's article) keeps nothing a
    lagging replica rendered: once it catches up, the reader sees the edit."""
    settings.LINEAGE_FRAGMENT_CACHE = True
    url = person.get_absolute_url()
    reader = logged_in(contributor)
    replicate()  # the replica has the reader's session too
    assert OLD in view(reader, url)[2]

    publish(person, moderator, body=f"{NEW}\n")
    assert generation(REPLICA) != generation(PRIMARY)
    assert OLD in view(reader, url)[2]  # the replica's lag, not kept

    replicate()

    text = view(reader, url)[2]
    assert NEW in text
    assert OLD not in text
