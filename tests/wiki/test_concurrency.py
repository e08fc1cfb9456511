"""Two moderators approving at once, on PostgreSQL: approvals never interleave.

Each approval locks the page row, so the second waits for the first and then
sees the page as the first left it: no longer the page its moderator reviewed,
so it is refused, not a silent overwrite.  SQLite has no row locks (and the suite's
in-memory SQLite is one connection's), so these run on the PostgreSQL pass,
which CI always makes.
"""

import threading
import time

import pytest
from django.db import connection
from reversion.models import Revision

from people.models import Person
from tests.wiki.moderation_helpers import page_data
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
