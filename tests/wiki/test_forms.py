"""Page fields of the edit forms: naming a page by its title, unique titles."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from people.models import Organization
from tests.factories import (
    OrganizationFactory,
    PersonFactory,
    ThemeFactory,
    WorkFactory,
)
from tests.wiki.moderation_helpers import page_data
from wiki.editing import Editor
from wiki.forms import PageTitleField
from wiki.models import Page

pytestmark = pytest.mark.django_db


@pytest.fixture
def transformers():
    """A work and a theme that share a title."""
    return (
        WorkFactory(title="Transformer", slug="transformer"),
        ThemeFactory(title="Transformer", slug="transformer"),
    )


def test_a_title_several_kinds_share_is_refused_with_the_texts_to_type(transformers):
    with pytest.raises(ValidationError) as error:
        PageTitleField().clean("transformer")
    assert error.value.messages == [
        "Several pages are titled “transformer”: type “Transformer (theme)” or "
        "“Transformer (work)”."
    ]


@pytest.mark.parametrize("text", ["Transformer (work)", "transformer (WORK)"])
def test_the_kind_in_brackets_picks_the_page(transformers, text):
    assert PageTitleField().clean(text).pk == transformers[0].pk


def test_a_short_title_two_pages_share_is_refused_with_their_titles():
    OrganizationFactory(title="OpenAI", short_title="OAI")
    OrganizationFactory(title="Open Astronomy Institute", short_title="OAI")
    field = PageTitleField(model=Organization)
    with pytest.raises(ValidationError) as error:
        field.clean("OAI")
    assert error.value.messages == [
        "Several pages are titled “OAI”: type “Open Astronomy Institute” or “OpenAI”."
    ]
    assert field.clean("OpenAI").title == "OpenAI"


def test_every_page_is_named_alone_by_the_text_its_field_shows(transformers):
    field = PageTitleField()
    for page in Page.objects.all():
        assert field.clean(field.prepare_value(page)).pk == page.pk


def test_titles_of_one_kind_are_unique_ignoring_case_in_the_database():
    PersonFactory(title="Ada Lovelace", slug="ada-lovelace")
    ThemeFactory(title="ADA LOVELACE", slug="ada-lovelace")  # another kind: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(title="ADA LOVELACE", slug="ada")


def test_the_form_refuses_a_title_another_page_of_its_kind_has_in_another_case(
    person,
):
    other = PersonFactory(title="Charles Babbage", slug="babbage")
    editor = Editor("person", page=other, data=page_data(other, title="ada LOVELACE"))
    assert not editor.is_valid()
    assert editor.form.errors["title"] == [
        "A person is already titled “Ada Lovelace” (…/ada-lovelace/). Titles of "
        "one kind must differ by more than letter case: add what sets this one "
        "apart."
    ]


def test_a_page_may_change_the_case_of_its_own_title(person):
    editor = Editor("person", page=person, data=page_data(person, title="ADA Lovelace"))
    assert editor.is_valid(), editor.form.errors
