"""Two moderators approving at once, on PostgreSQL: approvals never interleave.

Each approval locks the page row, so the second waits for the first and then
sees the page as the first left it: no longer the page its moderator reviewed,
so it is refused, not a silent overwrite.  SQLite has no row locks (and the suite's
in-memory SQLite is one connection's), so these run on the PostgreSQL pass,
which CI always makes.
"""

import threading
import time
from contextlib import ExitStack

import pytest
from django.db import connection, connections
from reversion.models import Revision

from people.models import Person
from tests.wiki.moderation_helpers import edit_url, form_of, page_data
from wiki import moderation
from wiki.models import Proposal
from wiki.services import latest_revision

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def _submit(page, author, body):
    return moderation.proposal_submit(
        kind="person",
        page=page,
        data=page_data(page, body=body),
        base_revision=latest_revision(page),
        base_data=page_data(page),
        summary=body,
        minor=False,
        author=author,
    )


def _approve_at_once(proposals, moderator, monkeypatch):
    """Approve each proposal in its own thread and connection, all at once.

    Reading the page's state is slowed down, so without the lock both
    threads would read it before either publishes.
    """
    merge = moderation.proposal_merge

    def slow_merge(**kwargs):
        result = merge(**kwargs)
        time.sleep(0.3)
        return result

    monkeypatch.setattr(moderation.rebase, "proposal_merge", slow_merge)
    barrier = threading.Barrier(len(proposals))
    outcomes = [None] * len(proposals)
    # Both moderators opened their review pages before either approved.
    seen = [moderation.seen_now(proposal) for proposal in proposals]

    def approve(index, proposal):
        try:
            barrier.wait()
            moderation.proposal_approve(
                proposal=proposal, by=moderator, seen=seen[index]
            )
            outcomes[index] = "approved"
        except moderation.ModerationError as error:
            outcomes[index] = type(error).__name__
        finally:
            connection.close()

    threads = [
        threading.Thread(target=approve, args=(index, proposal))
        for index, proposal in enumerate(proposals)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_concurrent_approvals_of_one_page_end_in_one_publish_and_one_refusal(
    person, contributor, moderator, monkeypatch
):
    first = _submit(person, contributor, "First body.")
    second = _submit(person, moderator, "Second body.")
    before = Revision.objects.count()

    outcomes = _approve_at_once([first, second], moderator, monkeypatch)

    # The second sees that the page moved on from what its moderator reviewed.
    assert sorted(outcomes) == ["PageChanged", "approved"]
    winner = first if outcomes[0] == "approved" else second
    assert Person.objects.get(pk=person.pk).body == winner.summary
    assert Revision.objects.count() == before + 1
    assert Proposal.objects.pending().count() == 1


def test_one_proposal_approved_twice_at_once_is_published_once(
    person, contributor, moderator, monkeypatch
):
    proposal = _submit(person, contributor, "Only once.")
    copy = Proposal.objects.get(pk=proposal.pk)
    before = Revision.objects.count()

    outcomes = _approve_at_once([proposal, copy], moderator, monkeypatch)

    assert Revision.objects.count() == before + 1
    assert Person.objects.get(pk=person.pk).body == "Only once."
    assert sorted(outcomes) == ["ModerationError", "approved"]


# A publish landing between the reads an edit makes of its page: the edit's
# revision and text must be of one state, or approving it undoes the publish
# (the load test saw an approval drop the revision before it).


def _publish(page, moderator, **changes):
    fresh = type(page).objects.get(pk=page.pk)
    return moderation.page_edit_publish(
        kind=page.kind,
        page=fresh,
        data=page_data(fresh, **changes),
        base_revision_id=latest_revision(fresh).pk,
        summary="Theirs",
        minor=False,
        author=moderator,
    )


@pytest.mark.parametrize(
    "after",
    ['SELECT "wiki_page"', 'SELECT "reversion_version"'],
    ids=["page", "revision"],
)
def test_a_publish_while_the_edit_form_is_read_is_not_undone(
    client, person, contributor, moderator, after
):
    """The publish lands just after the form's first read of the page, or of
    its latest revision: the form shows it, and the edit keeps it."""
    client.force_login(contributor)
    fired = []

    def publish_once(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not fired and sql.startswith(after):
            fired.append(sql)
            _publish(person, moderator, body="Theirs.")
        return result

    with ExitStack() as stack:
        for each in connections.all():  # the primary and a replica's alias
            stack.enter_context(each.execute_wrapper(publish_once))
        form = form_of(client, edit_url(person))
    assert fired
    assert form["body"] == "Theirs."
    form["body"] = "Theirs. Mine."
    form["edit-summary"] = "Mine"
    response = client.post(edit_url(person), form)
    assert response.status_code == 302, response.content.decode()[-3000:]
    proposal = Proposal.objects.pending().get()
    moderation.proposal_approve(
        proposal=proposal, by=moderator, seen=moderation.seen_now(proposal)
    )
    assert Person.objects.get(pk=person.pk).body == "Theirs. Mine."


def test_a_publish_while_an_edit_is_rebased_waits_and_is_kept(
    person, contributor, moderator, monkeypatch
):
    """A contributor's edit of the description, begun before a publish of
    the body, is rebased onto the page; a second publish of the body, from
    another connection, lands during the rebase's reads.  It waits for them,
    so the proposal is rebased onto the one or the other, whole, and its
    approval keeps the second body."""
    begun = latest_revision(person).pk
    _publish(person, moderator, body="First.")
    real = moderation.targets.latest_revision
    other = threading.Thread(
        target=lambda: (_publish(person, moderator, body="Second."), connection.close())
    )

    started = []

    def publish_meanwhile(page):
        if threading.current_thread() is not other and not started:
            started.append(other)
            other.start()
            other.join(timeout=2)  # it waits for the rebase's lock
        return real(page)

    monkeypatch.setattr(moderation.targets, "latest_revision", publish_meanwhile)
    prepared = moderation.edit_prepare(
        kind="person",
        page=person,
        data=page_data(person, short_description="Mine."),
        base_revision_id=begun,
    )
    monkeypatch.undo()
    other.join(timeout=30)
    assert not prepared.conflicts
    proposal = moderation.proposal_submit(
        kind="person",
        page=person,
        data=prepared.data,
        base_revision=prepared.base_revision,
        base_data=prepared.base_data,
        summary="Mine",
        minor=False,
        author=contributor,
    )
    moderation.proposal_approve(
        proposal=proposal, by=moderator, seen=moderation.seen_now(proposal)
    )
    person = Person.objects.get(pk=person.pk)
    assert (person.body, person.short_description) == ("Second.", "Mine.")


def test_two_contributors_proposing_at_once_on_pages_the_other_watches_both_succeed(
    person, contributor, monkeypatch
):
    """Each proposal notifies the other contributor, who watches its page,
    while its transaction holds its own author's row.  Held FOR UPDATE, the
    rows blocked the check of each notification's recipient, and PostgreSQL
    ended one proposal as a deadlock (a 503 in the load test)."""
    from django.contrib.auth.models import Group

    from tests.factories import PersonFactory, UserFactory
    from wiki.models import Notification, Watch
    from wiki.roles import CONTRIBUTORS
    from wiki.watchlist import services as watching

    dan = UserFactory(username="dan")
    dan.groups.add(Group.objects.get(name=CONTRIBUTORS))
    other = PersonFactory(title="Charles Babbage")
    Watch.objects.create(user=contributor, page=other)
    Watch.objects.create(user=dan, page=person)
    real = watching.proposal_submitted

    def slowly(**kwargs):
        real(**kwargs)
        time.sleep(0.5)  # both hold their author's row before either commits

    monkeypatch.setattr(watching, "proposal_submitted", slowly)
    jobs = [(other, dan, "Dan's body."), (person, contributor, "Carol's body.")]
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def propose(index, page, author, body):
        try:
            barrier.wait()
            _submit(page, author, body)
            outcomes[index] = "proposed"
        except Exception as error:  # noqa: BLE001 - the outcome is the test
            outcomes[index] = type(error).__name__
        finally:
            connection.close()

    threads = [
        threading.Thread(target=propose, args=(index, *job))
        for index, job in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes == ["proposed", "proposed"]
    notified = Notification.objects.filter(
        verb="proposed", recipient__in=[contributor, dan]
    )
    assert sorted((n.recipient.username, n.page.title) for n in notified) == [
        ("carol", "Charles Babbage"),
        ("dan", person.title),
    ]
