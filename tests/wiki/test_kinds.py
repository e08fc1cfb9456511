"""Page kinds come from the registry: each app declares its own."""

import pytest
from django.core import checks
from django.core.exceptions import ValidationError

from people.models import Organization, Person
from sources.models import Work
from tests.factories import (
    OrganizationFactory,
    PersonFactory,
    ThemeFactory,
    WorkFactory,
)
from wiki import registry
from wiki.checks import check_kinds
from wiki.models import Page, Theme
from wiki.roles import moderated_models

pytestmark = pytest.mark.django_db


def test_every_kind_is_declared_once_with_its_section_and_index():
    declared = [(k.kind, k.section, k.index, k.is_page) for k in registry.kinds()]

    assert declared == [
        ("theme", "themes", "wiki:theme_index", True),
        ("person", "people", "people:person_index", True),
        ("organization", "organizations", "people:organization_index", True),
        ("work", "works", "sources:work_index", True),
        ("source", "sources", "sources:source_index", False),
        ("dataset", "datasets", "toykind:dataset_index", True),
    ]


def test_the_header_lists_the_kinds_in_their_menu_order():
    assert [k.plural for k in registry.menu()] == [
        "People",
        "Works",
        "Themes",
        "Organizations",
        "Sources",
        "Datasets",
    ]


def test_the_registered_kinds_pass_the_system_checks():
    assert check_kinds() == []


def test_a_kind_without_a_form_fails_the_system_check(monkeypatch):
    broken = registry.Kind(kind="map", model=Page, section="maps", plural="Maps")
    monkeypatch.setitem(registry._kinds, "map", broken)

    assert [(e.id, e.msg) for e in check_kinds()] == [
        ("wiki.E003", "kind 'map' declares no edit form.")
    ]
    assert all(isinstance(e, checks.Error) for e in check_kinds())


def test_a_page_of_an_unregistered_kind_does_not_validate():
    page = Page(kind="spreadsheet", title="Sheet", slug="sheet")

    with pytest.raises(ValidationError) as raised:
        page.full_clean()

    assert raised.value.message_dict["kind"] == [
        "“spreadsheet” is not a registered kind."
    ]


def test_a_page_saved_as_its_model_takes_the_model_s_kind():
    assert ThemeFactory().kind == "theme"
    assert Page.objects.get(pk=PersonFactory().pk).kind == "person"


def test_moderators_edit_every_kind_s_models_in_the_admin():
    assert set(moderated_models()) >= {
        ("wiki", "page"),
        ("wiki", "theme"),
        ("people", "person"),
        ("people", "affiliation"),
        ("sources", "source"),
        ("sources", "citation"),
        ("toykind", "dataset"),
    }


def test_specific_is_the_page_itself_when_it_is_of_its_kind(
    django_assert_num_queries,
):
    person = PersonFactory()

    with django_assert_num_queries(0):
        assert person.specific is person


def test_specific_of_a_plain_page_is_one_query(django_assert_num_queries):
    page = Page.objects.get(pk=PersonFactory(title="Ada").pk)

    with django_assert_num_queries(1):
        specific = page.specific

    assert (type(specific), specific.title) == (Person, "Ada")


def test_as_own_kind_reads_the_page_afresh():
    person = PersonFactory(title="Ada")
    Person.objects.filter(pk=person.pk).update(title="Ada Lovelace")

    assert person.as_own_kind().title == "Ada Lovelace"


def test_many_pages_as_their_own_kinds_cost_one_query_per_kind(
    django_assert_num_queries,
):
    theme = ThemeFactory(title="A")
    person = PersonFactory(title="B")
    other = PersonFactory(title="C")
    organization = OrganizationFactory(title="D")
    work = WorkFactory(title="E")

    with django_assert_num_queries(5):
        pages = Page.objects.order_by("title").specific()

    assert [(type(p), p.pk) for p in pages] == [
        (Theme, theme.pk),
        (Person, person.pk),
        (Person, other.pk),
        (Organization, organization.pk),
        (Work, work.pk),
    ]
