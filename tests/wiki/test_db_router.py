"""Read replicas: reads go to a replica, writes and the writer's next reads to
the primary (wiki/db_router.py).

The replica is a second alias on the test database (``TEST: {"MIRROR":
"default"}``, tests/settings.py), so what it returns is what the primary has;
the tests tell the two apart by which connection ran the queries.  The tests
are transactional: inside a test case's transaction every read would be on the
primary, as it is inside any transaction.
"""

import time

import pytest
from django.db import connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from people.models import Person
from tests.wiki.moderation_helpers import edit, edit_url
from wiki.db_router import PIN_COOKIE, PrimaryReplicaRouter, RequestDatabases, _current
from wiki.models import Page

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def replica(settings):
    settings.LINEAGE_DATABASE_REPLICAS = ["replica"]
    settings.LINEAGE_REPLICA_PIN_SECONDS = 10
    settings.DATABASE_ROUTERS = ["wiki.db_router.PrimaryReplicaRouter"]


def queries_by_alias(client, url):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as on_replica,
    ):
        response = client.get(url)
    assert response.status_code == 200
    return len(primary), len(on_replica), response


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_readers_page_view_reads_only_from_the_replica(replica, person):
    primary, on_replica, _ = queries_by_alias(Client(), person.get_absolute_url())

    assert primary == 0
    assert on_replica > 0


def test_after_publishing_the_publisher_reads_from_the_primary_and_others_do_not(
    replica, person, moderator, contributor
):
    publisher = logged_in(moderator)
    other = logged_in(contributor)

    response = publisher.post(edit_url(person), edit(person, body="Fresh text."))

    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).body == "Fresh text."
    pin = response.cookies[PIN_COOKIE]
    assert pin["max-age"] == 10
    assert pin["httponly"]
    primary, on_replica, page = queries_by_alias(publisher, response.url)
    assert (primary > 0, on_replica) == (True, 0)
    assert "Fresh text." in page.content.decode()
    primary, on_replica, _ = queries_by_alias(other, response.url)
    assert (primary, on_replica > 0) == (0, True)


def test_a_request_that_only_reads_sets_no_pin(replica, person, contributor):
    response = logged_in(contributor).get(person.get_absolute_url())

    assert PIN_COOKIE not in response.cookies


def test_an_expired_pin_reads_from_the_replica_again(replica, person, moderator):
    client = logged_in(moderator)
    client.cookies[PIN_COOKIE] = f"{time.time() - 1:.3f}"

    primary, on_replica, _ = queries_by_alias(client, person.get_absolute_url())

    assert (primary, on_replica > 0) == (0, True)


def test_a_forged_pin_only_reads_from_the_primary(replica, person):
    client = Client()
    client.cookies[PIN_COOKIE] = "not a time"

    primary, on_replica, _ = queries_by_alias(client, person.get_absolute_url())

    assert (primary, on_replica > 0) == (0, True)


def test_reads_in_a_transaction_use_the_primary(replica, person):
    token = _current.set(RequestDatabases(replica="replica"))
    try:
        assert Page.objects.get(pk=person.pk)._state.db == "replica"
        with transaction.atomic():
            assert Page.objects.get(pk=person.pk)._state.db == "default"
            locked = Page.objects.select_for_update().get(pk=person.pk)
            assert locked._state.db == "default"
        assert Page.objects.get(pk=person.pk)._state.db == "replica"
    finally:
        _current.reset(token)


def test_reads_after_a_write_in_the_same_request_use_the_primary(
    replica, person, contributor
):
    state = RequestDatabases(replica="replica")
    token = _current.set(state)
    try:
        with connections["default"].execute_wrapper(state.watch):
            assert Page.objects.get(pk=person.pk)._state.db == "replica"
            contributor.first_name = "Carol"
            contributor.save(update_fields=["first_name"])
            assert Page.objects.get(pk=person.pk)._state.db == "default"
    finally:
        _current.reset(token)


def test_outside_a_request_everything_reads_the_primary(replica, person):
    assert Page.objects.get(pk=person.pk)._state.db == "default"


def test_migrations_run_on_the_primary_only():
    router = PrimaryReplicaRouter()

    assert router.allow_migrate("default", "wiki") is True
    assert router.allow_migrate("replica", "wiki") is False


def test_without_replicas_a_publish_sets_no_pin(person, moderator):
    client = logged_in(moderator)

    response = client.post(edit_url(person), edit(person, body="Fresh text."))

    assert response.status_code == 302
    assert PIN_COOKIE not in response.cookies
