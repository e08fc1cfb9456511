"""Section editing: the body's sections, their edit links, and editing one
section, merged back with a full edit's conflict rules."""

import pytest
from django.urls import reverse

from people.models import Person
from tests.forms import form_data
from tests.wiki.moderation_helpers import edit, edit_url
from wiki import sections
from wiki.markdown import render
from wiki.models import Proposal
from wiki.services import latest_revision, page_publish

BODY = """Ada wrote the first program.

## Early life
Born in London.

### Education
Tutored at home.

## The Engine
She translated Menabrea.

```
# a comment, not a heading
```

Legacy
------
A language bears her name.
"""


# -- the body's sections -------------------------------------------------------


def test_sections_are_numbered_by_their_headings_outside_code():
    assert [(h.level, h.title) for h in sections.headings(BODY)] == [
        (2, "Early life"),
        (3, "Education"),
        (2, "The Engine"),
        (2, "Legacy"),
    ]


def test_a_section_holds_its_subsections_and_section_0_is_the_lead():
    assert sections.section_text(BODY, 0) == "Ada wrote the first program."
    assert sections.section_text(BODY, 1) == (
        "## Early life\nBorn in London.\n\n### Education\nTutored at home."
    )
    assert sections.section_text(BODY, 2) == "### Education\nTutored at home."
    assert sections.section_text(BODY, 4) == (
        "Legacy\n------\nA language bears her name."
    )
    with pytest.raises(sections.SectionMissing):
        sections.section_text(BODY, 5)


def test_replacing_a_section_keeps_the_rest_byte_for_byte():
    new = sections.replace_section(BODY, 3, "## The Engine\r\nShe annotated it.\r\n")
    assert new == BODY.replace(
        "She translated Menabrea.\n\n```\n# a comment, not a heading\n```",
        "She annotated it.",
    )


def test_a_section_edit_merges_with_changes_elsewhere_on_the_page():
    current = BODY.replace("Born in London.", "Born in London in 1815.")
    merged = sections.merge_section(
        base=BODY, current=current, number=4, new="## Legacy\nAda, the language."
    )
    assert "Born in London in 1815." in merged
    assert merged.endswith("## Legacy\nAda, the language.\n")


def test_a_section_edit_finds_its_section_when_sections_were_added_before_it():
    current = BODY.replace(
        "## Early life", "## Family\nHer father was Byron.\n\n## Early life"
    )
    merged = sections.merge_section(
        base=BODY, current=current, number=2, new="### Education\nTutored by De Morgan."
    )
    assert "## Family\nHer father was Byron." in merged
    assert "### Education\nTutored by De Morgan.\n\n## The Engine" in merged


@pytest.mark.parametrize(
    "current",
    [
        BODY.replace("Tutored at home.", "Tutored at home by tutors."),  # the section
        BODY.replace("### Education\nTutored at home.\n\n", ""),  # removed
        BODY.replace("## The Engine", "### Mathematics\nDe Morgan.\n\n## The Engine"),
    ],
    ids=["changed", "removed", "subsection-added"],
)
def test_a_section_changed_on_the_page_meanwhile_is_a_conflict(current):
    assert (
        sections.merge_section(base=BODY, current=current, number=1, new="## Early")
        is None
    )


def test_edit_links_go_beside_each_heading_with_a_section():
    html = sections.edit_links(render(BODY).html, text=BODY, url="/people/ada/edit/")
    assert html.count('class="section-edit"') == 4
    assert (
        '<div class="section-heading"><h3 id="education">Education</h3>'
        '<span class="section-edit"><a href="/people/ada/edit/?section=2">edit'
        '<span class="visually-hidden"> section: Education</span></a></span></div>'
    ) in html


def test_a_heading_in_a_quote_is_not_a_section_and_gets_no_link():
    text = "## One\n\n> ## Quoted\n\n## Two\n"
    html = sections.edit_links(render(text).html, text=text, url="/x/")
    assert html.count('class="section-edit"') == 2
    assert (
        '<h2 id="two">Two</h2><span class="section-edit"><a href="/x/?section=2">'
        in html
    )


def test_no_edit_links_when_the_rendered_headings_do_not_match_the_text():
    text = '## One\n\n<h2 id="raw">Raw HTML</h2>\n'
    html = render(text).html
    assert html.count("<h2 id=") == 2
    assert sections.edit_links(html, text=text, url="/x/") == html


# -- editing a section on the site ---------------------------------------------------


@pytest.fixture
def ada(person, moderator):
    fresh = Person.objects.get(pk=person.pk)
    fresh.body = BODY
    page_publish(page=fresh, user=moderator, summary="Sections")
    return Person.objects.get(pk=person.pk)


def section_url(page, number) -> str:
    return f"{edit_url(page)}?section={number}"


def open_section(client, page, number) -> dict:
    response = client.get(section_url(page, number))
    assert response.status_code == 200
    return form_data(response.content.decode(), "edit-form")


@pytest.mark.django_db
def test_the_page_has_an_edit_link_per_section_but_old_revisions_do_not(
    client, ada, moderator
):
    html = client.get(ada.get_absolute_url()).content.decode()
    assert f'<a href="{edit_url(ada)}?section=3">edit' in html
    old = latest_revision(ada)
    fresh = Person.objects.get(pk=ada.pk)
    fresh.summary = "Changed."
    page_publish(page=fresh, user=moderator, summary="Later")
    old_url = reverse(
        "wiki:revision_detail",
        kwargs={"section": "people", "slug": ada.slug, "revision_id": old.pk},
    )
    assert 'class="section-edit"' not in client.get(old_url).content.decode()


@pytest.mark.django_db
def test_anonymous_readers_are_sent_to_log_in_as_for_a_full_edit(client, ada):
    response = client.get(section_url(ada, 3))
    assert response["Location"] == (
        "/accounts/login/?next=/people/ada-lovelace/edit/%3Fsection%3D3"
    )


@pytest.mark.django_db
def test_the_section_form_holds_that_section_alone(client, ada, contributor):
    client.force_login(contributor)
    data = open_section(client, ada, 3)
    assert data["body"] == (
        "## The Engine\nShe translated Menabrea.\n\n"
        "```\n# a comment, not a heading\n```"
    )
    assert data["edit-section"] == "3"
    assert data["edit-summary"] == "/* The Engine */ "
    assert data["edit-base_revision"] == str(latest_revision(ada).pk)
    assert "title" not in data and "known_for" not in data


@pytest.mark.django_db
def test_a_section_edit_is_merged_back_into_the_whole_body(client, ada, contributor):
    client.force_login(contributor)
    data = open_section(client, ada, 2)
    data.update(
        {"body": "### Education\r\nTutored by De Morgan.", "edit-summary": "Tutor"}
    )
    response = client.post(section_url(ada, 2), data)
    proposal = Proposal.objects.get()
    assert response["Location"] == proposal.get_absolute_url()
    assert proposal.data["body"] == [
        BODY.replace("Tutored at home.", "Tutored by De Morgan.")
    ]
    assert proposal.data["known_for"] == ["Notes on the Engine"]
    assert proposal.summary == "Tutor"
    assert Person.objects.get(pk=ada.pk).body == BODY


@pytest.mark.django_db
def test_a_moderator_publishes_a_section_edit_merged_with_a_change_elsewhere(
    client, ada, moderator
):
    client.force_login(moderator)
    data = open_section(client, ada, 4)
    fresh = Person.objects.get(pk=ada.pk)
    fresh.body = BODY.replace("Born in London.", "Born in London in 1815.")
    page_publish(page=fresh, user=moderator, summary="Meanwhile")
    data.update({"body": "Legacy\n------\nAda, the language.", "edit-summary": "Ada"})
    response = client.post(section_url(ada, 4), data)
    assert response["Location"] == ada.get_absolute_url()
    assert Person.objects.get(pk=ada.pk).body == (
        BODY.replace("Born in London.", "Born in London in 1815.").replace(
            "A language bears her name.", "Ada, the language."
        )
    )


@pytest.mark.django_db
def test_a_section_edit_conflicting_with_a_full_edit_shows_the_conflict(
    client, ada, contributor, moderator
):
    client.force_login(contributor)
    data = open_section(client, ada, 1)
    client.force_login(moderator)
    full = edit(ada, body=BODY.replace("Born in London.", "Born in Marylebone."))
    assert client.post(edit_url(ada), full).status_code == 302

    client.force_login(contributor)
    data.update({"body": "## Early life\nBorn in 1815.", "edit-summary": "Year"})
    response = client.post(section_url(ada, 1), data)
    html = response.content.decode()
    assert response.status_code == 409
    assert "The section you edited (“Early life”) was changed on the page" in html
    assert "Edit conflict: 1 field changed by someone else too" in html
    whole = form_data(html, "edit-form")
    assert whole["body"] == BODY.replace("Born in London.", "Born in Marylebone.")
    assert "edit-section" not in whole
    assert whole["edit-base_revision"] == str(latest_revision(ada).pk)
    assert "Born in 1815." in html  # your version, beside the form
    assert not Proposal.objects.filter(author=contributor).exists()

    # The whole-page form resolves it, as any edit conflict.
    whole["body"] = whole["body"].replace("Marylebone.", "Marylebone in 1815.")
    response = client.post(section_url(ada, 1), whole)
    proposal = Proposal.objects.get(author=contributor)
    assert response["Location"] == proposal.get_absolute_url()
    assert "Born in Marylebone in 1815." in proposal.data["body"][0]


@pytest.mark.django_db
def test_an_unchanged_section_is_refused(client, ada, contributor):
    client.force_login(contributor)
    data = open_section(client, ada, 2)
    response = client.post(section_url(ada, 2), data)
    assert response.status_code == 400
    assert "You have not changed anything yet." in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("section", "status"), [("9", 404), ("x", 400), ("", 400)])
def test_a_section_that_is_not_there_is_a_clear_4xx(
    client, ada, contributor, section, status
):
    client.force_login(contributor)
    response = client.get(f"{edit_url(ada)}?section={section}")
    assert response.status_code == status
    assert "No such section" in response.content.decode()
