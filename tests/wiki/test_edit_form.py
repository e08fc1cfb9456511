"""The edit form's feedback: required marks, the error summary, Preview and
Show changes, rows left blank."""

import re

import pytest

from people.models import Person
from tests.wiki.moderation_helpers import edit, edit_url
from wiki.models import Page, Proposal

pytestmark = pytest.mark.django_db


def summary_items(html: str) -> list[tuple[str, str]]:
    """The error summary's links: (href, text)."""
    block = re.search(r'<div class="error-summary".*?</ul>', html, re.DOTALL)
    assert block, "no error summary"
    return re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', block.group(0))


def test_required_fields_are_marked_before_the_first_submit(
    client, person, contributor
):
    client.force_login(contributor)
    html = client.get(edit_url(person)).content.decode()
    assert re.search(
        r'<label for="id_title">Title <span class="required-marker" '
        r'aria-hidden="true">\(required\)</span></label><input [^>]*required',
        html,
    )
    assert re.search(
        r'<label for="id_edit-summary">Edit summary <span class="required-marker" '
        r'aria-hidden="true">\(required\)</span></label><input [^>]*required',
        html,
    )
    assert 'class="error-summary"' not in html
    assert "data-unsaved" not in html


def test_the_error_summary_counts_and_links_every_error(client, person, contributor):
    client.force_login(contributor)
    data = edit(
        person, title="", summary="", **{"affiliations-0-organization": "Nowhere"}
    )
    data["related-TOTAL_FORMS"] = ["2"]
    data["related-1-target"] = ["No Such Page"]
    data["related-1-ORDER"] = ["2"]
    response = client.post(edit_url(person), data)
    assert response.status_code == 400
    html = response.content.decode()
    items = summary_items(html)
    assert [href for href, _ in items] == [
        "#id_title",
        "#id_affiliations-0-organization",
        "#id_related-1-target",
        "#id_edit-summary",
    ]
    assert items[0][1] == "Title: This field is required."
    assert items[1][1].startswith("Affiliations, row 1: Organization: No organization")
    assert items[2][1].startswith("Related pages, row 2: Page: No page is titled")
    assert items[3][1] == "Edit summary: Say briefly what you changed and why."
    assert "4 problems to fix: nothing was saved" in html
    assert 'id="error-summary" tabindex="-1"' in html
    # What was typed is still there, rows included.
    assert 'value="Nowhere"' in html
    assert 'value="No Such Page"' in html
    assert 'data-unsaved="1"' in html
    assert not Proposal.objects.exists()


def test_a_form_sent_back_shows_rows_in_the_order_given(client, person, contributor):
    client.force_login(contributor)
    data = edit(person, summary="")
    data["related-TOTAL_FORMS"] = ["2"]
    data["related-1-target"] = ["Ada Lovelace (person)"]
    data["related-0-ORDER"] = ["2"]
    data["related-1-ORDER"] = ["1"]
    html = client.post(edit_url(person), data).content.decode()
    related = html[html.index('id="formset-related"') :]
    assert related.index('id="id_related-1-target"') < related.index(
        'id="id_related-0-target"'
    )
    # The self-relation is row 1 as shown, though it is form 1 in the data.
    assert (
        "#id_related-1-target",
        "Related pages, row 1: Page: A page cannot be related to itself.",
    ) in summary_items(html)


def test_preview_shows_the_whole_page_as_it_would_read_and_saves_nothing(
    client, person, contributor
):
    client.force_login(contributor)
    data = edit(
        person, summary="", body="Ada *published* the first program.", title="Ada L."
    )
    data["edit-preview"] = ["1"]
    response = client.post(edit_url(person), data)
    assert response.status_code == 200
    html = response.content.decode()
    preview = html[html.index('id="edit-look"') : html.index('id="edit-form"')]
    assert '<h1 id="page-title">Ada L.</h1>' in preview
    assert "<p>Ada <em>published</em> the first program.</p>" in preview
    assert "Mathematician." in preview  # the lede, unchanged
    assert "Analytical Engine Society" in preview  # the affiliation
    assert 'class="error-summary"' not in html  # no summary needed yet
    assert 'value="Ada L."' in html
    assert Person.objects.get(pk=person.pk).title == "Ada Lovelace"
    assert not Proposal.objects.exists()


def test_show_changes_diffs_the_whole_page_against_the_current_one(
    client, person, contributor
):
    client.force_login(contributor)
    data = edit(
        person,
        summary="Fix the lede",
        short_description="Mathematician",
        **{"affiliations-0-role": "author"},
    )
    data["summary"] = ["Mathematician and writer."]
    data["edit-show-changes"] = ["1"]
    response = client.post(edit_url(person), data)
    assert response.status_code == 200
    html = response.content.decode()
    look = html[html.index('id="edit-look"') : html.index('id="edit-form"')]
    headings = re.findall(r"<h3>([^<]+)</h3>", look)
    assert headings == ["Short description", "Lede", "Affiliations"]  # form order
    assert "Mathematician<ins> and writer</ins>." in look.replace("\n", "")
    assert "<del>AI researcher</del>" in look
    assert "role: author" in look
    assert 'value="Fix the lede"' in html  # the edit summary is kept
    assert not Proposal.objects.exists()


def test_preview_of_an_invalid_form_shows_its_errors(client, person, contributor):
    client.force_login(contributor)
    data = edit(person, title="")
    data["edit-preview"] = ["1"]
    response = client.post(edit_url(person), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert summary_items(html) == [("#id_title", "Title: This field is required.")]
    assert 'id="edit-look"' not in html


def test_rows_added_and_left_blank_do_not_stop_a_submission(
    client, person, contributor
):
    client.force_login(contributor)
    data = edit(person, body="New body.")
    for prefix, ordered in [
        ("affiliations", True),
        ("themes", False),
        ("related", True),
        ("citations", True),
    ]:
        total = int(data[f"{prefix}-TOTAL_FORMS"][0])
        data[f"{prefix}-TOTAL_FORMS"] = [str(total + 2)]
        if ordered:
            data[f"{prefix}-{total}-ORDER"] = [str(total + 1)]
            data[f"{prefix}-{total + 1}-ORDER"] = [str(total + 2)]
    response = client.post(edit_url(person), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    proposal = Proposal.objects.get()
    assert proposal.changed_fields == ["body"]


def test_an_unknown_title_in_a_row_offers_to_create_that_page(
    client, person, contributor
):
    client.force_login(contributor)
    data = edit(person, **{"affiliations-0-organization": "Babbage Lab"})
    data["related-TOTAL_FORMS"] = ["2"]
    data["related-1-target"] = ["Difference Engine"]
    html = client.post(edit_url(person), data).content.decode()
    offers = re.findall(r'<p class="create-offer" id="([^"]+)"[^>]*>(.*?)</p>', html)
    assert offers == [
        (
            "id_affiliations-0-organization_create",
            '<a href="/organizations/new/?title=Babbage+Lab" target="_blank" '
            'rel="noopener">Create the organization “Babbage Lab”</a> (opens in a '
            "new tab); you can pick it here once a moderator approves it.",
        ),
        (
            "id_related-1-target_create",
            "Create a page “Difference Engine”: "
            '<a href="/themes/new/?title=Difference+Engine" target="_blank" '
            'rel="noopener">theme</a>, '
            '<a href="/people/new/?title=Difference+Engine" target="_blank" '
            'rel="noopener">person</a>, '
            '<a href="/organizations/new/?title=Difference+Engine" target="_blank" '
            'rel="noopener">organization</a>, '
            '<a href="/works/new/?title=Difference+Engine" target="_blank" '
            'rel="noopener">work</a> or '
            # tests/toykind's dataset kind, installed for the tests
            '<a href="/datasets/new/?title=Difference+Engine" target="_blank" '
            'rel="noopener">dataset</a> (opens in a new tab); you can pick it here '
            "once a moderator approves it.",
        ),
    ]


def test_page_fields_name_the_create_forms_for_the_live_offer(
    client, person, contributor
):
    client.force_login(contributor)
    html = client.get(edit_url(person)).content.decode()
    field = re.search(r'<input [^>]*name="affiliations-0-organization"[^>]*>', html)
    assert (
        'data-create="[{&quot;kind&quot;: &quot;organization&quot;, &quot;label&quot;: '
        '&quot;organization&quot;, &quot;url&quot;: &quot;/organizations/new/&quot;}]"'
    ) in field.group(0)
    # Citation keys are not pages: no offer there.
    source = re.search(r'<input [^>]*name="citations-0-source"[^>]*>', html)
    assert "data-create" not in source.group(0)


def test_preview_and_show_changes_of_a_new_page(client, contributor):
    from tests.wiki.moderation_helpers import create_url, form_of

    client.force_login(contributor)
    data = form_of(client, create_url("themes") + "?title=Scaling+laws")
    data.update({"summary": "How loss falls with compute.", "edit-preview": "1"})
    response = client.post(create_url("themes"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 id="page-title">Scaling laws</h1>' in html
    assert '<p class="lede">How loss falls with compute.</p>' in html
    del data["edit-preview"]
    data["edit-show-changes"] = "1"
    html = client.post(create_url("themes"), data).content.decode()
    look = html[html.index('id="edit-look"') : html.index('id="edit-form"')]
    assert "The new page, field by field" in look
    assert re.findall(r"<h3>([^<]+)</h3>", look) == ["Title", "Slug", "Lede"]
    assert not Proposal.objects.exists()
    assert not Page.objects.filter(title="Scaling laws").exists()


def test_saved_rows_show_what_they_point_to_as_typed(client, person, contributor):
    client.force_login(contributor)
    html = client.get(edit_url(person)).content.decode()

    def value(name):
        field = re.search(rf'<input [^>]*name="{name}"[^>]*>', html).group(0)
        return re.search(r'value="([^"]*)"', field).group(1)

    assert value("affiliations-0-organization") == "Analytical Engine Society"
    assert value("citations-0-source") == "menabrea1843"
    assert value("related-0-target") == "Computing (theme)"
    assert value("themes-0-theme") == "Computing"
