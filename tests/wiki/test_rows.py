"""Rows in the edit form: rows the user did not fill in are ignored."""

import pytest

from people.models import Affiliation, Person
from tests.factories import OrganizationFactory, UserFactory
from tests.wiki.moderation_helpers import page_data
from wiki.editing import Editor
from wiki.models import RelatedPage
from wiki.services import page_publish

pytestmark = pytest.mark.django_db

GROUPS = ("affiliations", "themes", "related", "citations")


def with_blank_rows(data: dict, prefix: str, count: int, *, order_from=None) -> dict:
    """``data`` with ``count`` untouched rows added to ``prefix``'s group, as the
    form's script adds them: an order number in each (for ordered groups)."""
    total = int(data[f"{prefix}-TOTAL_FORMS"][0])
    for offset in range(count):
        index = total + offset
        if order_from is not None:
            data[f"{prefix}-{index}-ORDER"] = [str(order_from + offset)]
    data[f"{prefix}-TOTAL_FORMS"] = [str(total + count)]
    return data


def all_blank(person, **changes) -> dict:
    data = page_data(person, **changes)
    for prefix in GROUPS:
        ordered = prefix != "themes"
        total = int(data[f"{prefix}-TOTAL_FORMS"][0])
        with_blank_rows(data, prefix, 2, order_from=total + 1 if ordered else None)
    return data


def save(editor: Editor) -> Person:
    page_publish(
        page=editor.form.instance,
        user=UserFactory(),
        summary="Edit",
        save_related=editor.save_related,
    )
    return Person.objects.get(pk=editor.page.pk)


def test_untouched_rows_with_an_order_number_are_ignored(person):
    editor = Editor("person", page=person, data=all_blank(person, body="New."))
    assert editor.is_valid(), [f.errors for f in editor.formsets]
    assert editor.error_count == 0
    person = save(editor)
    assert Affiliation.objects.filter(person=person).count() == 1
    assert RelatedPage.objects.filter(page=person).count() == 1
    assert person.citations.count() == 1
    assert person.themes.count() == 1


def test_only_untouched_rows_added_is_no_change(person):
    editor = Editor("person", page=person, data=all_blank(person))
    assert editor.is_valid()
    assert editor.has_changed() is False


def test_an_untouched_row_with_remove_ticked_is_ignored(person):
    data = with_blank_rows(page_data(person), "affiliations", 1, order_from=2)
    data["affiliations-1-DELETE"] = ["on"]
    editor = Editor("person", page=person, data=data)
    assert editor.is_valid()
    assert editor.has_changed() is False


def test_an_untouched_row_moved_above_the_filled_ones_is_ignored(person):
    lab = OrganizationFactory(title="Babbage Lab", slug="babbage-lab")
    page_publish(page=lab, user=UserFactory(), summary="Create")
    data = page_data(person)
    data = with_blank_rows(data, "affiliations", 2, order_from=1)
    # Rows in the order shown: blank (1), new Babbage Lab (2), the old row (3).
    data["affiliations-0-ORDER"] = ["3"]
    data["affiliations-2-ORDER"] = ["2"]
    data["affiliations-2-organization"] = ["Babbage Lab"]
    editor = Editor("person", page=person, data=data)
    assert editor.is_valid(), editor.formsets[0].errors
    person = save(editor)
    assert list(
        person.affiliations.order_by("position").values_list(
            "organization__title", "position"
        )
    ) == [("Babbage Lab", 0), ("Analytical Engine Society", 1)]


def test_a_row_the_user_filled_in_is_still_checked(person):
    data = with_blank_rows(page_data(person), "affiliations", 1, order_from=2)
    data["affiliations-1-role"] = ["engineer"]
    editor = Editor("person", page=person, data=data)
    assert not editor.is_valid()
    assert editor.formsets[0].errors[1] == {"organization": ["This field is required."]}
    assert editor.error_count == 1


def test_a_row_the_page_has_is_a_change_when_moved(person):
    data = page_data(person)
    data = with_blank_rows(data, "affiliations", 1, order_from=1)
    data["affiliations-0-ORDER"] = ["2"]
    editor = Editor("person", page=person, data=data)
    assert editor.is_valid()
    assert editor.formsets[0].has_changed() is True
