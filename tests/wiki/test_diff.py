"""The one diff: word-level text diffs and field-by-field snapshots of revisions."""

import pytest

from tests.factories import (
    AffiliationFactory,
    CitationFactory,
    PersonFactory,
    RelatedPageFactory,
    ThemeFactory,
    UserFactory,
)
from wiki.diff import diff_revisions, diff_text, revision_snapshots
from wiki.services import page_publish


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("The quick fox.", "The slow fox.", "The <del>quick</del><ins>slow</ins> fox."),
        (
            "Start here.",
            "Now start here.",
            "<del>Start</del><ins>Now start</ins> here.",
        ),
        ("Ends.", "Ends. More.", "Ends.<ins> More.</ins>"),
        ("Same.", "Same.", "Same."),
        ("", "New.", "<ins>New.</ins>"),
        ("Old.", "", "<del>Old.</del>"),
        ("a <b>", "a <i>", "a &lt;<del>b</del><ins>i</ins>&gt;"),
        (
            "One.\nTwo.\nThree.",
            "One.\nTwo!\nThree.",
            "One.\nTwo<del>.</del><ins>!</ins>\nThree.",
        ),
    ],
)
def test_diff_text_marks_changed_words_and_escapes_the_rest(old, new, expected):
    assert diff_text(old, new) == expected


def test_diff_text_of_long_bodies_keeps_every_unchanged_character():
    paragraphs = [f"Paragraph {n} says something about item {n}." for n in range(2000)]
    old = "\n\n".join(paragraphs)
    paragraphs[1000] = paragraphs[1000].replace("something", "nothing")
    new = "\n\n".join(paragraphs)
    html = diff_text(old, new)
    assert html.count("<del>") == 1
    assert "<del>something</del><ins>nothing</ins>" in html
    assert html.replace("<del>something</del><ins>nothing</ins>", "nothing") == new


def _person_with_rows(count: int):
    person = PersonFactory.build(title="Rows", slug="rows", body="Start.")
    first = page_publish(page=person, user=UserFactory(), summary="create")

    def rows():
        for _ in range(count):
            AffiliationFactory(person=person)
            CitationFactory(page=person)
            RelatedPageFactory(page=person)
            person.themes.add(ThemeFactory())

    person.body = "End."
    second = page_publish(
        page=person, user=UserFactory(), summary="rows", save_related=rows
    )
    return person, first, second


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 30])
def test_snapshots_cost_the_same_queries_however_many_rows(
    django_assert_num_queries, rows
):
    person, first, second = _person_with_rows(rows)
    revision_snapshots([first, second], person)  # warm the content type cache
    # The versions of both revisions, then one query per model rows point to:
    # organizations, sources, pages (related), themes.
    with django_assert_num_queries(5):
        snapshots = revision_snapshots([first, second], person)
    new = snapshots[second.pk].fields
    assert len(new["affiliation"].value) == rows
    assert len(new["themes"].value) == rows
    assert "affiliation" not in snapshots[first.pk].fields


@pytest.mark.django_db
def test_a_diff_names_related_rows_and_skips_unchanged_fields():
    person, first, second = _person_with_rows(2)
    changes = {change.name: change for change in diff_revisions(first, second, person)}
    assert set(changes) == {"body", "themes", "affiliation", "citation", "relatedpage"}
    assert changes["body"].diff_html == "<del>Start</del><ins>End</ins>."
    assert all(
        item.startswith("organization: ") for item in changes["affiliation"].added
    )
    assert changes["citation"].added[0].startswith("source: source")


def test_diff_text_with_context_keeps_lines_beside_changes_and_counts_the_rest():
    lines = [f"Line {n}.\n" for n in range(20)]
    changed = lines.copy()
    changed[10] = "Line ten.\n"
    html = diff_text("".join(lines), "".join(changed), context=2)
    assert html.startswith('<span class="diff-skip">… 8 unchanged lines …</span>')
    assert "Line 8.\nLine 9.\nLine <del>10</del><ins>ten</ins>.\nLine 11.\n" in html
    assert html.endswith(
        'Line 12.\n<span class="diff-skip">… 7 unchanged lines …</span>'
    )
    assert diff_text("".join(lines), "".join(changed)).count("Line") == 20
