"""The edit form refuses Markdown past the limits, says which, and keeps the text."""

import pytest

from tests.forms import form_data
from tests.wiki.moderation_helpers import edit, edit_url
from wiki.models import Proposal

pytestmark = pytest.mark.django_db


def refused(client, page, **changes) -> str:
    response = client.post(edit_url(page), edit(page, **changes))
    assert response.status_code == 400, response.status_code
    assert not Proposal.objects.exists()
    return response.content.decode()


def test_lists_nested_past_the_limit_are_refused_with_the_text_kept(
    client, person, contributor
):
    client.force_login(contributor)
    deep = "Intro.\n\n" + "- " * 500 + "x"
    html = refused(client, person, body=deep)
    assert "Lists and quotes may nest 16 levels deep; this line goes deeper" in html
    assert form_data(html, "edit-form")["body"] == deep


def test_too_many_links_are_refused_with_the_text_kept(
    client, person, contributor, settings
):
    settings.LINEAGE_MARKDOWN_MAX_LINKS = 3
    client.force_login(contributor)
    linked = "[[Ada]] [[Babbage]] [@menabrea1843] [[Engine]]"
    html = refused(client, person, known_for=linked)
    assert "This text has 4 [[links]] and [@citations]" in html
    assert "a field may have at most 3." in html
    assert form_data(html, "edit-form")["known_for"] == linked


def test_deep_markers_in_fenced_code_are_within_the_limits(client, person, contributor):
    client.force_login(contributor)
    code = "```\n" + "> " * 40 + "\n```\n"
    response = client.post(edit_url(person), edit(person, body=code))
    assert response.status_code == 302
    assert Proposal.objects.get().data["body"] == [code]
