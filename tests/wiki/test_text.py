"""Typed text is cleaned on input: titles, single lines and blocks of text,
through the site's forms and the admin's alike."""

import pytest
from django import forms
from django.contrib import admin

from people.models import Person
from sources.forms import SourceKeyField
from sources.models import Source
from tests.factories import UserFactory
from tests.forms import form_data
from tests.wiki.moderation_helpers import create_url, edit, edit_url, form_of
from wiki import moderation, registry
from wiki.forms import PageTitleField
from wiki.models import Proposal
from wiki.text import (
    BlockFormField,
    LineFormField,
    UrlFormField,
    clean_block,
    clean_line,
    clean_title,
    xml_safe,
)

pytestmark = pytest.mark.django_db

# Invisible characters a title must not keep: bidi embeddings, overrides and
# isolates, zero-width characters, the byte order mark, a soft hyphen, controls.
INVISIBLE = (
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\x01\x7f\x9b"
)


@pytest.mark.parametrize(
    ("typed", "title"),
    [
        ("Ada\r\nLovelace", "Ada Lovelace"),
        ("  Ada \t  Lovelace  ", "Ada Lovelace"),
        ("Ada\u00a0Lovelace", "Ada Lovelace"),
        ("Ad\u200ba Love\u202elace", "Ada Lovelace"),
        ("\ufeffAda Lovelace\u2069", "Ada Lovelace"),
        (f"A{INVISIBLE}da", "Ada"),
        ("Cafe\u0301", "Café"),  # NFC: one code point for é
        ("Ada\u2028Lovelace", "Ada Lovelace"),
        ("\u3164", ""),
        ("Gödel, Escher, Bach", "Gödel, Escher, Bach"),
        ("שלום עולם", "שלום עולם"),
    ],
)
def test_a_title_is_one_visible_line_in_nfc(typed, title):
    assert clean_title(typed) == title


@pytest.mark.parametrize(
    ("typed", "line"),
    [
        ("Fixed\r\nthe typo", "Fixed the typo"),
        ("Fixed\x01 the\x00 typo\x1b", "Fixed the typo"),
        ("Tabs\tand\vfeeds\f", "Tabs and feeds"),
        ("Right\u202eto left\u2066", "Rightto left"),
        (
            "Zero\u200dwidth joiners stay 👩\u200d🔬",
            "Zero\u200dwidth joiners stay 👩\u200d🔬",
        ),
        ("C1\x9b and\u2029separators", "C1 and separators"),
    ],
)
def test_a_line_has_no_line_breaks_or_controls(typed, line):
    assert clean_line(typed) == line


def test_a_block_keeps_newlines_and_tabs_and_drops_other_controls():
    typed = "Line one\r\n\tIndented\x01\rLine\x00 three\x9b\n\x0b\x0c\ufffe"
    assert clean_block(typed) == "Line one\n\tIndented\nLine three\n"


def test_xml_safe_drops_only_what_xml_cannot_carry():
    assert xml_safe("a\x00b\x01c\x1fd\ufffee\tf\ng\rh€😀") == "abcde\tf\ng\rh€😀"


# -- the site's edit forms ----------------------------------------------------------


def test_the_edit_form_stores_titles_and_lines_cleaned(
    client, person, contributor, moderator
):
    client.force_login(contributor)
    data = edit(
        person,
        summary="Fix\x01 the\r\nname",
        title="Ada\u202e \u200bLovelace\r\n",
        short_title="\ufeffAda",
        short_description="Mathe\x00matician\x1b",
        body="Line one\r\nLine\x01 two\r\n",
        **{"affiliations-0-role": "trans\x07lator\nand friend"},
    )
    response = client.post(edit_url(person), data)
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.title == "Ada Lovelace"
    assert proposal.summary == "Fix the name"
    moderation.proposal_approve(
        proposal=proposal, by=moderator, seen=moderation.seen_now(proposal)
    )
    page = Person.objects.get(pk=person.pk)
    assert page.title == "Ada Lovelace"
    assert page.short_title == "Ada"
    assert page.short_description == "Mathematician"
    assert page.body == "Line one\nLine two\n"
    assert page.affiliations.get().role == "translator and friend"


def test_a_proposal_keeps_what_was_typed_without_its_control_characters(
    client, person, contributor
):
    # PostgreSQL refuses NUL in text and JSON: the proposal must still be kept.
    client.force_login(contributor)
    data = edit(person, body="Kept\x00 text\x01.\r\n")
    data["extra\x00"] = ["junk\x00"]
    assert client.post(edit_url(person), data).status_code == 302
    stored = Proposal.objects.get().data
    assert stored["body"] == ["Kept text.\n"]
    assert stored["extra"] == ["junk"]


def test_a_title_of_invisible_characters_is_refused_with_the_text_kept(
    client, person, contributor
):
    client.force_login(contributor)
    data = edit(person, title="\u200b\u202e\ufeff", body="My careful rewrite.")
    response = client.post(edit_url(person), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "This title has no visible characters" in html
    assert form_data(html, "edit-form")["body"] == "My careful rewrite."
    assert not Proposal.objects.exists()


def test_a_new_page_titled_with_a_line_break_gets_a_one_line_title_and_slug(
    client, contributor
):
    client.force_login(contributor)
    data = form_of(client, create_url("people"))
    data.update(
        {"title": "Grace\r\nHopper\u200b", "slug": "", "edit-summary": "New\npage"}
    )
    assert client.post(create_url("people"), data).status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.title, proposal.summary) == ("Grace Hopper", "New page")


# -- the admin -------------------------------------------------------------------


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_the_admin_cleans_titles_lines_and_markdown(staff_client, person):
    url = f"/admin/people/person/{person.pk}/change/"
    data = form_data(staff_client.get(url).content.decode(), "person_form")
    data.update(
        {
            "title": "Ada\r\n\u202eLovelace",
            "portrait_credit": "Photo\x01 by\tsomeone",
            "body": "Para\x02graph\r\n\r\nNext\x1b.",
            "_save": "Save",
        }
    )
    assert staff_client.post(url, data).status_code == 302
    page = Person.objects.get(pk=person.pk)
    assert page.title == "Ada Lovelace"
    assert page.portrait_credit == "Photo by someone"
    assert page.body == "Paragraph\n\nNext."


def test_the_admin_cleans_a_sources_title_and_authors(staff_client):
    data = form_data(
        staff_client.get("/admin/sources/source/add/").content.decode(), "source_form"
    )
    data.update(
        {
            "key": "hopper1952",
            "title": "The\u200b Education\r\nof a Computer",
            "authors": "Grace\x00 Hopper",
            "url": "https://example.org/\u202epaper\x01",
            "_save": "Save",
        }
    )
    response = staff_client.post("/admin/sources/source/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    source = Source.objects.get(key="hopper1952")
    assert source.title == "The Education of a Computer"
    assert source.authors == "Grace Hopper"
    assert source.url == "https://example.org/paper"


# -- every form ---------------------------------------------------------------------

# Checked by a RegexValidator of the model: letters, digits and a few signs.
PATTERNED = {"slug", "key"}


def _forms_of_the_site_and_the_admin(request):
    """The site's edit forms and rows, and every form of our models in the admin."""
    for page_type in registry.page_types():
        yield registry.page_editor(page_type.kind).form
        for spec in registry.page_formsets(page_type.kind):
            yield spec.formset.form
    for model, model_admin in admin.site._registry.items():
        editable = model_admin.has_add_permission(
            request
        ) or model_admin.has_change_permission(request)
        if model._meta.app_label in ("wiki", "people", "sources") and editable:
            yield model_admin.get_form(request)
            for inline in model_admin.get_inline_instances(request):
                yield inline.get_formset(request).form


def test_every_text_field_of_every_form_is_cleaned_on_input(rf, admin_user):
    request = rf.get("/admin/")
    request.user = admin_user
    cleaned = (LineFormField, BlockFormField, UrlFormField, PageTitleField)
    unclean = [
        f"{form.__name__}.{name}"
        for form in _forms_of_the_site_and_the_admin(request)
        for name, field in form.base_fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field, (*cleaned, SourceKeyField))
        and name not in PATTERNED
    ]
    assert unclean == []
