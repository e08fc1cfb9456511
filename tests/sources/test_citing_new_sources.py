"""Citing a key no source has: the preview offers to create the source, an edit
citing it is refused, and a source still under review may be cited but goes
live only after it."""

import pytest
from django.urls import reverse

from people.models import Person
from sources.models import Source
from tests.sources.conftest import NEW_SOURCE, create_source_url, source_form
from tests.wiki.moderation_helpers import edit, edit_url
from wiki import moderation
from wiki.models import Proposal

pytestmark = pytest.mark.django_db
PREVIEW = reverse("wiki:markdown_preview")
KEY = NEW_SOURCE["key"]


def propose_source(client, user) -> Proposal:
    client.force_login(user)
    data = source_form(client, create_source_url(), summary="New paper", **NEW_SOURCE)
    assert client.post(create_source_url(), data).status_code == 302
    return Proposal.objects.get(summary="New paper")


def approve(client, moderator, proposal):
    client.force_login(moderator)
    seen = moderation.seen_now(proposal)
    return client.post(
        reverse("moderation:review_approve", kwargs={"pk": proposal.pk}),
        {"seen_version": seen.version, "seen_revision": seen.revision_id or ""},
    )


def test_the_preview_links_an_unknown_key_to_creating_that_source(client, contributor):
    client.force_login(contributor)

    response = client.post(PREVIEW, {"content": "A claim [@doe2024]."})

    assert response.status_code == 200
    assert response.content.decode() == (
        '<p>A claim <span class="cite-group"><span class="cite-unknown" '
        'title="No source has the citation key “doe2024”.">[unknown source: '
        'doe2024]</span> <a href="/sources/new/?key=doe2024" title="Propose a new '
        'source with the citation key “doe2024”">create this source</a></span>.</p>'
    )


def test_the_create_link_opens_the_source_form_with_the_key_filled_in(
    client, contributor
):
    client.force_login(contributor)

    response = client.get("/sources/new/?key=doe2024")

    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Create a source: doe2024</h1>" in content
    assert 'name="key" value="doe2024"' in content
    assert "Submit for review" in content


def test_the_create_link_of_an_existing_key_leads_to_that_source(client, contributor):
    Source.objects.create(key="doe2024", title="T")
    client.force_login(contributor)

    response = client.get("/sources/new/?key=doe2024")

    assert response.status_code == 302
    assert response.url == "/sources/doe2024/"


def test_an_edit_citing_an_unknown_key_is_refused_naming_the_key(
    client, contributor, person
):
    client.force_login(contributor)
    data = edit(person, body="Ada wrote the first program [@doe2024].")

    response = client.post(edit_url(person), data)

    content = response.content.decode()
    assert response.status_code == 400
    assert (
        "No source has the citation key “doe2024”: "
        '<a href="/sources/new/?key=doe2024" target="_blank" rel="noopener">create '
        "this source</a> (opens in a new tab), or correct the key."
    ) in content
    # On the field itself, not only in the error summary above the form.
    body_field = content[content.index("field-body field-error") :]
    assert "No source has the citation key “doe2024”" in body_field
    assert not Proposal.objects.exists()


def test_a_reference_row_with_an_unknown_key_links_to_creating_it(
    client, contributor, person
):
    client.force_login(contributor)
    rows = {"citations-1-source": "doe2024", "citations-TOTAL_FORMS": "2"}
    data = edit(person, **rows)

    response = client.post(edit_url(person), data)

    assert response.status_code == 400
    assert '<a href="/sources/new/?key=doe2024" target="_blank"' in response.text


def test_a_proposed_source_can_be_cited_before_it_is_approved_and_goes_live_after(
    client, contributor, moderator, person
):
    source_proposal = propose_source(client, contributor)
    preview = client.post(PREVIEW, {"content": f"[@{KEY}]"}).content.decode()
    assert f"[source awaiting review: {KEY}]" in preview

    response = client.post(
        edit_url(person), edit(person, summary="Cite GPT", body=f"GPT [@{KEY}].")
    )
    assert response.status_code == 302
    page_proposal = Proposal.objects.get(summary="Cite GPT")
    assert "cites-proposed-source" in page_proposal.flag_list

    # Approving the page first is refused: the source is not published yet.
    refused = approve(client, moderator, page_proposal)
    assert refused.status_code == 409
    assert f"The source “{KEY}” is still waiting for review" in refused.text
    page_proposal.refresh_from_db()
    assert page_proposal.status == Proposal.Status.PENDING

    assert approve(client, moderator, source_proposal).status_code == 302
    assert approve(client, moderator, page_proposal).status_code == 302

    ada = Person.objects.get(pk=person.pk)
    assert list(ada.citations.values_list("source__key", flat=True))[0] == KEY
    page = client.get(ada.get_absolute_url()).text
    assert f'<a href="#ref-{KEY}" title="{NEW_SOURCE["title"]}">[1]</a>' in page
    assert f'<li id="ref-{KEY}">' in page


def test_a_moderator_cannot_publish_text_citing_a_source_still_under_review(
    client, contributor, moderator, person
):
    propose_source(client, contributor)
    client.force_login(moderator)

    response = client.post(edit_url(person), edit(person, body=f"GPT [@{KEY}]."))

    assert response.status_code == 400
    assert f"The source “{KEY}” is still waiting for review:" in response.text
    assert "review it</a> and approve it first." in response.text
    assert "GPT" not in Person.objects.get(pk=person.pk).body


def test_the_create_form_says_when_its_key_is_already_proposed(
    client, contributor, moderator
):
    proposal = propose_source(client, contributor)
    client.force_login(moderator)

    content = client.get(create_source_url(KEY)).text

    assert "This key is already proposed" in content
    assert f'<a href="{proposal.get_absolute_url()}">see the proposal</a>' in content
