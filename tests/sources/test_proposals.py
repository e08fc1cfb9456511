"""Sources are proposed, reviewed and published like pages, as revisions."""

import pytest
from django.urls import reverse

from sources.models import Source, SourceProposal
from sources.services import source_latest_revision, source_publish
from tests.sources.conftest import NEW_SOURCE, create_source_url, source_form
from wiki import moderation
from wiki.models import Notification, Proposal

pytestmark = pytest.mark.django_db


def propose_new_source(client, contributor, **fields) -> Proposal:
    client.force_login(contributor)
    data = source_form(
        client, create_source_url(), summary="Add the GPT paper", **NEW_SOURCE
    )
    data.update(fields)
    response = client.post(create_source_url(), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return Proposal.objects.get(kind="source", summary="Add the GPT paper")


def approve(client, moderator, proposal, note=""):
    client.force_login(moderator)
    seen = moderation.seen_now(proposal)
    return client.post(
        reverse("moderation:review_approve", kwargs={"pk": proposal.pk}),
        {
            "seen_version": seen.version,
            "seen_revision": seen.revision_id or "",
            "note": note,
        },
    )


def test_a_contributors_new_source_waits_for_review_and_nothing_is_published(
    client, contributor
):
    proposal = propose_new_source(client, contributor)

    assert proposal.status == Proposal.Status.PENDING
    assert proposal.page is None
    assert proposal.title == NEW_SOURCE["title"]
    assert proposal.is_new_page
    assert proposal.kind_label == "source"
    assert SourceProposal.objects.get(proposal=proposal).key == "radford2018improving"
    assert not Source.objects.filter(key="radford2018improving").exists()
    response = client.get(proposal.get_absolute_url())
    content = response.content.decode()
    assert "New source: Improving Language Understanding" in content
    assert "a new source, once approved" in content


def test_approving_a_new_source_publishes_it_as_one_revision_by_its_author(
    client, contributor, moderator
):
    proposal = propose_new_source(client, contributor)

    response = approve(client, moderator, proposal, note="Checked the PDF")

    assert response.status_code == 302
    source = Source.objects.get(key="radford2018improving")
    assert source.title == NEW_SOURCE["title"]
    assert source.date_display == "June 2018"
    revision = source_latest_revision(source)
    assert revision.user == contributor
    assert revision.get_comment() == "Add the GPT paper"
    assert revision.meta.approved_by == moderator
    assert revision.meta.note == "Checked the PDF"
    assert revision.meta.page is None
    assert revision.meta.size > 0
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.APPROVED
    assert proposal.revision_meta == revision.meta
    assert SourceProposal.objects.get(proposal=proposal).source == source
    assert Notification.objects.get(proposal=proposal).verb == "approved"


def test_rejecting_a_source_proposal_tells_the_author_why_and_publishes_nothing(
    client, contributor, moderator
):
    proposal = propose_new_source(client, contributor)
    client.force_login(moderator)
    seen = moderation.seen_now(proposal)

    response = client.post(
        reverse("moderation:review_reject", kwargs={"pk": proposal.pk}),
        {"seen_version": seen.version, "seen_revision": "", "reason": "Duplicate."},
    )

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REJECTED
    assert proposal.review_note == "Duplicate."
    assert not Source.objects.filter(key="radford2018improving").exists()
    client.force_login(contributor)
    assert "Reason: Duplicate." in client.get(proposal.get_absolute_url()).text


def test_the_review_page_shows_a_new_source_field_by_field(
    client, contributor, moderator
):
    proposal = propose_new_source(client, contributor)
    client.force_login(moderator)

    response = client.get(
        reverse("moderation:review_detail", kwargs={"pk": proposal.pk})
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Review: new source Improving Language Understanding" in content
    assert "<h3>Citation key</h3>" in content
    assert "<ins>radford2018improving</ins>" in content
    assert "<ins>June 2018</ins>" in content
    assert 'name="seen_version" value="1"' in content
    assert 'name="seen_revision" value=""' in content


def test_queue_and_contributions_name_a_source_proposal_as_a_source(
    client, contributor, moderator, source
):
    propose_new_source(client, contributor)
    data = source_form(client, reverse("sources:source_edit", args=[source.key]),
                       summary="Fix venue", publisher="NIPS")  # fmt: skip
    client.post(reverse("sources:source_edit", args=[source.key]), data)

    contributions = client.get(reverse("moderation:contributions")).text
    client.force_login(moderator)
    queue = client.get(reverse("moderation:review_queue")).text

    for content in (contributions, queue):
        assert '<span class="badge">new source</span>' in content
        assert "new page" not in content
    assert '<span class="badge">source</span>' in contributions
    # The queue has a column for the kind: a badge would say it twice.
    assert '<span class="badge">source</span>' not in queue
    assert queue.count('<span class="kind">Source</span>') == 2


def test_a_change_to_a_source_is_reviewed_then_citing_pages_show_it(
    client, contributor, moderator, person
):
    source = person.citations.get().source
    source_publish(source=source, user=moderator, summary="Record it")
    edit_url = reverse("sources:source_edit", args=[source.key])
    client.force_login(contributor)
    data = source_form(
        client, edit_url, summary="Full title", title="Sketch of the Analytical Engine"
    )

    response = client.post(edit_url, data)

    assert response.status_code == 302
    proposal = Proposal.objects.get(summary="Full title")
    assert proposal.kind == "source"
    assert not proposal.is_new_page
    assert proposal.base_revision == source_latest_revision(source)
    source.refresh_from_db()
    assert source.title == "Sketch of the Engine"

    assert approve(client, moderator, proposal).status_code == 302

    source.refresh_from_db()
    assert source.title == "Sketch of the Analytical Engine"
    page = client.get(person.get_absolute_url()).text
    assert "Sketch of the Analytical Engine" in page
    assert "Sketch of the Engine<" not in page


def test_a_source_edit_rerenders_the_pages_citing_it(client, moderator, person):
    source = person.citations.get().source
    person.body = "Ada wrote notes [@menabrea1843]."
    from wiki.services import page_publish

    page_publish(page=person, user=moderator, summary="Cite")
    person.refresh_from_db()
    assert 'title="Sketch of the Engine"' in person.body_html
    edit_url = reverse("sources:source_edit", args=[source.key])
    client.force_login(moderator)

    data = source_form(client, edit_url, summary="Retitle", title="Sketch, revised")
    response = client.post(edit_url, data)

    assert response.status_code == 302
    assert response.url == source.get_absolute_url()
    person.refresh_from_db()
    assert 'title="Sketch, revised"' in person.body_html


def test_a_moderator_publishes_a_new_source_directly(client, moderator):
    client.force_login(moderator)
    data = source_form(client, create_source_url(), summary="Add", **NEW_SOURCE)

    response = client.post(create_source_url(), data)

    source = Source.objects.get(key="radford2018improving")
    assert response.status_code == 302
    assert response.url == source.get_absolute_url()
    revision = source_latest_revision(source)
    assert revision.user == moderator
    assert revision.meta.approved_by == moderator
    proposal = Proposal.objects.get(kind="source")
    assert proposal.status == Proposal.Status.APPROVED
    assert SourceProposal.objects.get(proposal=proposal).source == source


def test_approving_is_refused_when_the_proposal_was_amended_since_it_was_seen(
    client, contributor, moderator
):
    proposal = propose_new_source(client, contributor)
    seen = moderation.seen_now(proposal)
    amend_url = reverse("sources:proposal_amend", kwargs={"pk": proposal.pk})
    client.force_login(contributor)
    data = source_form(client, amend_url, summary="Add the GPT paper", year="2019")
    assert client.post(amend_url, data).status_code == 302
    client.force_login(moderator)

    response = client.post(
        reverse("moderation:review_approve", kwargs={"pk": proposal.pk}),
        {"seen_version": seen.version, "seen_revision": "", "note": ""},
    )

    assert response.status_code == 409
    assert "The proposal was amended after you opened it" in response.text
    assert "<h3>Year</h3>" in response.text
    assert "<del>2018</del><ins>2019</ins>" in response.text
    assert not Source.objects.filter(key="radford2018improving").exists()


def test_approving_is_refused_when_the_source_changed_since_it_was_seen(
    client, contributor, moderator, source
):
    edit_url = reverse("sources:source_edit", args=[source.key])
    client.force_login(contributor)
    client.post(
        edit_url, source_form(client, edit_url, summary="Venue", publisher="NIPS")
    )
    proposal = Proposal.objects.get(summary="Venue")
    seen = moderation.seen_now(proposal)
    client.force_login(moderator)
    client.post(edit_url, source_form(client, edit_url, summary="Year", year="2018"))

    response = client.post(
        reverse("moderation:review_approve", kwargs={"pk": proposal.pk}),
        {"seen_version": seen.version, "seen_revision": seen.revision_id, "note": ""},
    )

    assert response.status_code == 409
    assert "The source changed after you opened this review" in response.text
    assert "The source changed while you were reviewing" in response.text
    assert "<del>2017</del> → <ins>2018</ins>" in response.text
    source.refresh_from_db()
    assert source.publisher == "NeurIPS"


def test_a_stale_source_proposal_merges_with_changes_to_other_fields(
    client, contributor, moderator, source
):
    edit_url = reverse("sources:source_edit", args=[source.key])
    client.force_login(contributor)
    client.post(
        edit_url, source_form(client, edit_url, summary="Venue", publisher="NIPS")
    )
    proposal = Proposal.objects.get(summary="Venue")
    client.force_login(moderator)
    client.post(edit_url, source_form(client, edit_url, summary="Year", year="2018"))

    review = client.get(reverse("moderation:review_detail", kwargs={"pk": proposal.pk}))
    assert "apply cleanly on top of the current page" in review.text
    assert approve(client, moderator, proposal).status_code == 302

    source.refresh_from_db()
    assert (source.publisher, source.year) == ("NIPS", 2018)


def test_recent_changes_and_the_source_history_show_source_revisions(
    client, contributor, moderator, source
):
    edit_url = reverse("sources:source_edit", args=[source.key])
    client.force_login(contributor)
    client.post(
        edit_url, source_form(client, edit_url, summary="Venue", publisher="NIPS")
    )
    approve(client, moderator, Proposal.objects.get(summary="Venue"))
    client.logout()
    revision = source_latest_revision(source)
    history_url = reverse("sources:source_history", args=[source.key])

    changes = client.get(reverse("wiki:recent_changes")).text
    only_sources = client.get(reverse("wiki:recent_changes") + "?kind=source").text
    history = client.get(history_url).text

    for listing in (changes, only_sources):
        assert f'href="{history_url}#revision-{revision.pk}">diff</a>' in listing
        assert "vaswani2017attention: Attention Is All You Need" in listing
        assert "“Venue”" in listing
    assert f'id="revision-{revision.pk}"' in history
    assert "“Venue”" in history and "“Add the paper”" in history
    assert "(approved by" in history and ">mod</a>" in history
    assert "<del>NeurIPS</del> → <ins>NIPS</ins>" in history
    assert (
        client.get(reverse("wiki:recent_changes") + "?kind=person").text.count(
            "vaswani2017attention"
        )
        == 0
    )
    feed = client.get(reverse("wiki:recent_changes_feed")).text
    assert f"{history_url}#revision-{revision.pk}" in feed


def test_the_source_history_costs_a_fixed_number_of_queries(
    client, moderator, source, django_assert_num_queries
):
    edit_url = reverse("sources:source_edit", args=[source.key])
    client.force_login(moderator)
    for year in range(2018, 2023):
        client.post(edit_url, source_form(client, edit_url, summary="Y", year=year))
    client.logout()

    with django_assert_num_queries(4):
        response = client.get(reverse("sources:source_history", args=[source.key]))

    assert response.text.count('class="history-row') == 6


def test_the_key_of_a_cited_source_cannot_change(client, moderator, person):
    source = person.citations.get().source
    edit_url = reverse("sources:source_edit", args=[source.key])
    client.force_login(moderator)
    form = client.get(edit_url).text
    data = source_form(client, edit_url, summary="Rekey", key="menabrea", title="New")

    response = client.post(edit_url, data)

    source.refresh_from_db()
    assert response.status_code == 400
    assert (
        "Pages cite this source as [@menabrea1843]: its key cannot change while "
        "they do."
    ) in response.text
    assert (source.key, source.title) == ("menabrea1843", "Sketch of the Engine")
    assert "Pages cite it as [@menabrea1843], so its key cannot change." in form
    assert 'name="key" value="menabrea1843" size="30" spellcheck="false" ' in form
    assert "readonly" in form


def test_a_key_change_approved_after_the_source_was_cited_is_refused(
    client, contributor, moderator, source, person
):
    edit_url = reverse("sources:source_edit", args=[source.key])
    client.force_login(contributor)
    client.post(edit_url, source_form(client, edit_url, summary="Rekey", key="v2017"))
    proposal = Proposal.objects.get(summary="Rekey")
    from tests.factories import CitationFactory

    CitationFactory(page=person, source=source)

    response = approve(client, moderator, proposal)

    assert response.status_code == 409
    assert "its key cannot change while they do." in response.text
    source.refresh_from_db()
    assert source.key == "vaswani2017attention"


def test_the_sites_amend_and_state_addresses_serve_source_proposals_too(
    client, contributor, moderator
):
    proposal = propose_new_source(client, contributor)

    amend = client.get(reverse("moderation:proposal_amend", kwargs={"pk": proposal.pk}))
    client.force_login(moderator)
    state = client.get(reverse("moderation:review_state", kwargs={"pk": proposal.pk}))

    assert amend.status_code == 302
    assert amend.url == reverse("sources:proposal_amend", kwargs={"pk": proposal.pk})
    assert state.json() == {"status": "pending", "version": 1, "revision": None}


def test_a_source_proposal_can_be_withdrawn_by_its_author(client, contributor):
    proposal = propose_new_source(client, contributor)

    response = client.post(
        reverse("moderation:proposal_withdraw", kwargs={"pk": proposal.pk})
    )

    proposal.refresh_from_db()
    assert response.status_code == 302
    assert proposal.status == Proposal.Status.WITHDRAWN
    assert (
        "This key is already proposed"
        not in client.get(create_source_url(NEW_SOURCE["key"])).text
    )


def test_a_source_names_the_work_it_is_by_the_works_title(client, moderator):
    from tests.factories import WorkFactory

    work = WorkFactory(title="Generative Pre-Training", slug="gpt")
    client.force_login(moderator)
    data = source_form(
        client,
        create_source_url(),
        summary="Add",
        **NEW_SOURCE,
        work="Generative Pre-Training",
    )

    assert client.post(create_source_url(), data).status_code == 302

    source = Source.objects.get(key=NEW_SOURCE["key"])
    assert source.work == work
    page = client.get(source.get_absolute_url()).text
    assert '<a href="/works/gpt/">Generative Pre-Training</a>' in page
    form = client.get(reverse("sources:source_edit", args=[source.key])).text
    assert 'value="Generative Pre-Training"' in form


def test_the_review_queue_filters_by_every_kind_sources_too(
    client, contributor, moderator, person
):
    from tests.wiki.moderation_helpers import submit

    proposal = propose_new_source(client, contributor)
    submit(person, contributor, summary="Person edit", body="New body.")
    client.force_login(moderator)
    queue = reverse("moderation:review_queue")

    html = client.get(queue).content.decode()
    assert '<option value="person">People</option>' in html
    assert '<option value="source">Sources</option>' in html
    assert f'{proposal.title} <span class="badge">new source</span>' in html

    html = client.get(queue, {"kind": "source"}).content.decode()
    assert '<option value="source" selected>Sources</option>' in html
    assert "Add the GPT paper" in html
    assert "Person edit" not in html


def test_the_thank_you_says_whether_a_new_source_or_a_change_waits(
    client, contributor, source
):
    client.force_login(contributor)
    data = source_form(
        client, create_source_url(), summary="Add the GPT paper", **NEW_SOURCE
    )
    new = client.post(create_source_url(), data, follow=True).content.decode()
    assert (
        "Thank you: your source is waiting for a moderator. You can cite it in a "
        "page&#x27;s text already" in new
    )

    edit_url = reverse("sources:source_edit", args=[source.key])
    data = source_form(client, edit_url, summary="Fix venue", publisher="NIPS")
    changed = client.post(edit_url, data, follow=True).content.decode()
    assert (
        "Thank you: your change to this source is waiting for a moderator. The "
        "source shows it once it is approved." in changed
    )
    assert "cite it" not in changed
