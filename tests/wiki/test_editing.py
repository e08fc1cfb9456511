"""The edit form's data: reading a page back, rebasing rows, three-way merges."""

import pytest

from tests.wiki.moderation_helpers import page_data
from wiki.editing import Editor, formset_rows, merge, rebase_rows

pytestmark = pytest.mark.django_db


def test_rows_the_page_no_longer_has_become_new_rows():
    data = {
        "x-TOTAL_FORMS": ["2"],
        "x-INITIAL_FORMS": ["2"],
        "x-0-id": ["1"],
        "x-0-role": ["kept"],
        "x-1-id": ["2"],
        "x-1-role": ["gone meanwhile"],
    }
    current = {
        "x-TOTAL_FORMS": ["2"],
        "x-INITIAL_FORMS": ["2"],
        "x-0-id": ["1"],
        "x-1-id": ["3"],
    }
    rebased = rebase_rows("x", data, current, model_rows=True)
    rows = formset_rows("x", rebased)
    assert rebased["x-INITIAL_FORMS"] == ["2"]
    assert rows[0] == {"id": ["1"], "role": ["kept"]}
    assert rows[1] == {"id": ["3"], "DELETE": ["on"]}  # added meanwhile: removed
    assert rows[2] == {"role": ["gone meanwhile"]}  # comes back as a new row


def test_a_change_made_on_both_sides_alike_is_no_conflict(person):
    editor = Editor("person", page=person)
    base = editor.initial_data()
    same = page_data(person, body="Same text.")
    result = merge(editor, base=base, current=same, theirs=same)
    assert result.conflicts == []
    assert result.data["body"] == ["Same text."]


def test_without_a_base_every_difference_is_a_conflict(person):
    editor = Editor("person", page=person)
    current = editor.initial_data()
    theirs = page_data(person, body="Mine.", known_for="Mine too.")
    result = merge(editor, base=None, current=current, theirs=theirs)
    assert sorted(g.name for g in result.conflicts) == ["body", "known_for"]
    assert result.data["body"] == current["body"]


def test_whitespace_and_line_endings_are_not_changes(person):
    editor = Editor("person", page=person)
    base = editor.initial_data()
    theirs = dict(base, body=[base["body"][0].replace("\n", "\r\n")])
    theirs["title"] = ["  Ada   Lovelace "]
    result = merge(editor, base=base, current=base, theirs=theirs)
    assert result.changed == []


def test_rows_are_compared_and_described_by_their_values(person):
    editor = Editor("person", page=person)
    base = editor.initial_data()
    reordered = dict(base, **{"themes-0-theme": ["computing"]})
    group = next(g for g in editor.groups() if g.name == "affiliations")
    assert editor.group_value(group, base) == editor.group_value(group, reordered)
    assert editor.describe(group, base) == "Analytical Engine Society · translator"


def test_a_browsers_crlf_newlines_are_no_change(person):
    data = page_data(person)
    data["body"] = [data["body"][0].replace("\n", "\r\n")]
    editor = Editor("person", page=person, data=data)
    assert editor.is_valid()
    assert not editor.has_changed()
    assert editor.form.cleaned_data["body"] == person.body
