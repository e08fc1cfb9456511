"""The one diff: word-level text diffs and field-by-field snapshots of revisions."""

import gc
import random
import re
import signal
import time
from contextlib import contextmanager
from html import unescape

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import (
    AffiliationFactory,
    CitationFactory,
    PersonFactory,
    RelatedPageFactory,
    ThemeFactory,
    UserFactory,
)
from tests.wiki.history_helpers import person_with_history
from wiki import diff
from wiki.diff import (
    DiffBudget,
    FieldValue,
    Snapshot,
    diff_revisions,
    diff_snapshots,
    diff_text,
    revision_snapshots,
)
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


# Bounded cost ----------------------------------------------------------------
#
# Repeated words or lines made difflib's matcher cubic: "a " * 600 changed to
# "b a " * 300 took 10 s on every view of its diff.  A diff now costs at most a
# budget; past it, a coarser comparison is shown, with a note saying so.

# Seconds of processor time: far above what any diff within the limits takes
# now (a tenth of that at most), short of what the same diffs took before
# (from 10 s to hours).  Processor time, unlike the clock, does not count the
# other work of a shared machine.
CEILING = 2.0


@contextmanager
def deadline(seconds: float):
    """Fail, rather than hang, when what runs inside takes over ``seconds``."""

    def expire(signum, frame):
        raise TimeoutError(f"took over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def costing_at_most(seconds: float):
    start = time.process_time()
    with deadline(seconds * 5):
        yield
    assert time.process_time() - start < seconds


def bounded_diff(old: str, new: str, **kwargs) -> str:
    with costing_at_most(CEILING):
        return diff_text(old, new, **kwargs)


NOTE = re.compile(r'^<span class="diff-note">([^<]*)</span>')
BY_SENTENCE = (
    "Compared sentence by sentence: the change is too large to compare word by word."
)
BY_LINE = "Compared line by line: the change is too large to compare word by word."
AS_A_WHOLE = (
    "Shown as one replacement: the change is too large to compare line by line."
)


def note(text: str) -> str:
    return f'<span class="diff-note">{text}</span>'


def test_a_change_too_large_for_words_is_compared_by_sentence_and_says_so():
    same_start, same_end = "First sentence stays. ", "Last one stays too."
    old = same_start + "a " * 3000 + "end. " + same_end
    new = same_start + "b a " * 1500 + "end. " + same_end
    assert bounded_diff(old, new) == (
        note(BY_SENTENCE)
        + same_start
        + f"<del>{'a ' * 3000}end. </del><ins>{'b a ' * 1500}end. </ins>"
        + same_end
    )


def test_sentences_too_many_to_match_are_compared_by_line_and_say_so():
    old = "Intro.\n" + "Same. " * 30_000 + "\nOutro."
    new = "Intro.\n" + "Same! Same. " * 15_000 + "\nOutro."
    html = bounded_diff(old, new)
    assert html == (
        note(BY_LINE)
        + "Intro.\n"
        + f"<del>{'Same. ' * 30_000}\n</del><ins>{'Same! Same. ' * 15_000}\n</ins>"
        + "Outro."
    )


def test_lines_too_many_to_match_are_replaced_as_one_between_unchanged_ends():
    old = "Head.\n" + "x\n" * 50_000 + "Tail.\n"
    new = "Head.\n" + "y\nx\n" * 25_000 + "Tail.\n"
    html = bounded_diff(old, new)
    assert html == (
        note(AS_A_WHOLE)
        + "Head.\n"
        + f"<del>{'x\n' * 49_999}</del><ins>{'y\nx\n' * 24_999}y\n</ins>"
        + "x\nTail.\n"
    )


def test_long_bodies_with_many_scattered_edits_are_still_compared_word_by_word():
    rng = random.Random(8)
    words = ["model", "data", "token", "scaling", "the", "a", "of"]
    paragraphs = [
        " ".join(rng.choice(words) for _ in range(30)) + f" (paragraph {n})."
        for n in range(1_000)
    ]
    old = "\n\n".join(paragraphs)
    for n in rng.sample(range(len(paragraphs)), 200):
        paragraphs[n] = paragraphs[n].replace(" ", " new ", 1)
    new = "\n\n".join(paragraphs)
    html = bounded_diff(old, new)
    assert not NOTE.match(html)
    assert html.count("<ins>new </ins>") == 200
    assert "<del>" not in html


def test_a_long_body_with_every_paragraph_changed_is_still_compared_word_by_word():
    # Its only common lines are the blank ones between paragraphs, too many
    # alike to match: the words, unique ones first, are matched instead.
    rng = random.Random(8)
    words = ["model", "data", "token", "scaling", "the", "a", "of"]
    paragraphs = [
        " ".join(rng.choice(words) for _ in range(12)) + f" (paragraph {n})."
        for n in range(2_000)
    ]
    old = "\n\n".join(paragraphs)
    new = "\n\n".join(paragraph.replace(" ", " new ", 1) for paragraph in paragraphs)
    html = bounded_diff(old, new)
    assert not NOTE.match(html)
    inserted = re.findall("<ins>(.*?)</ins>", html)
    assert [text.strip() for text in inserted] == ["new"] * 2_000
    assert "<del>" not in html


def test_one_field_too_large_to_compare_leaves_the_others_compared_word_by_word(
    monkeypatch,
):
    monkeypatch.setattr(diff, "DIFF_STEPS", 0)  # as if the body had spent it all

    def snapshot(body, summary):
        return Snapshot(
            fields={
                "body": FieldValue("body", "text", body),
                "summary": FieldValue("summary", "text", summary),
            }
        )

    old = snapshot("a " * 3000, "The quick fox.")
    new = snapshot("b a " * 1500, "The slow fox.")
    with costing_at_most(CEILING):
        changes = {change.name: change for change in diff_snapshots(old, new)}
    assert NOTE.match(changes["body"].diff_html)
    assert changes["summary"].diff_html == "The <del>quick</del><ins>slow</ins> fox."


# Whatever the texts, the diff is safe and says exactly what changed.

FRAGMENTS = [
    "a",
    "a ",
    "b",
    "word",
    " ",
    "\n",
    "\n\n",
    "\r\n",
    "\u2028",
    ".",
    ". ",
    "!",
    "?",
    "<",
    ">",
    "&",
    "&amp;",
    "&lt;",
    '"',
    "'",
    "<script>alert(1)</script>",
    "<del>",
    "</ins>",
    '<span class="diff-note">',
    "*",
    "**",
    "_",
    "`",
    "[[",
    "]]",
    "[@key]",
    "# ",
    "- ",
    "> ",
    "|",
    "é",
    "\x01",
]
texts = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)), max_size=30
).map("".join)


@st.composite
def text_pairs(draw):
    old = draw(texts)
    if draw(st.booleans()):
        return old, draw(texts)
    new = old
    for _ in range(draw(st.integers(1, 3))):
        start = draw(st.integers(0, len(new)))
        end = draw(st.integers(start, len(new)))
        new = new[:start] + draw(texts) + new[end:]
    return old, new


MARKUP = re.compile(r'</?(?:del|ins)>|<span class="diff-(?:note|skip)">[^<>]*</span>')


def side(html: str, *, drop: str) -> str:
    """The text a diff shows on one side: without the note or ``drop``'s parts."""
    html = NOTE.sub("", html)
    html = re.sub(rf"<{drop}>.*?</{drop}>", "", html, flags=re.DOTALL)
    return unescape(re.sub(r"</?(?:del|ins)>", "", html))


# Budgets so small that the coarser comparisons are taken too.
budgets = st.sampled_from([None, 0, 20, 200, 2_000])
quick = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@quick
@given(pair=text_pairs(), steps=budgets)
def test_diff_text_escapes_every_text_and_gives_back_both_sides(pair, steps):
    old, new = pair
    budget = None if steps is None else DiffBudget(steps)
    html = diff_text(old, new, budget=budget)
    assert not re.search("[<>\"']", MARKUP.sub("", html))
    assert html.count('<span class="diff-note">') == len(NOTE.findall(html)) <= 1
    assert side(html, drop="ins") == old
    assert side(html, drop="del") == new


@quick
@given(pair=text_pairs(), steps=budgets, context=st.integers(0, 3))
def test_diff_text_with_context_escapes_every_text(pair, steps, context):
    old, new = pair
    budget = None if steps is None else DiffBudget(steps)
    html = diff_text(old, new, context=context, budget=budget)
    assert not re.search("[<>\"']", MARKUP.sub("", html))


# Cost that grows linearly, whatever the texts.


def shuffled_words(size: int) -> tuple[str, str]:
    rng = random.Random(size)
    words = [rng.choice(["a", "b", "c", "d"]) for _ in range(size // 2)]
    old = " ".join(words)
    rng.shuffle(words)
    return old, " ".join(words)


SIZE_LIMIT = 200_000  # characters in a field
ADVERSARIAL = {
    "repeated words": lambda size: ("a " * (size // 2), "b a " * (size // 4)),
    "identical lines": lambda size: ("x\n" * (size // 2), "y\nx\n" * (size // 4)),
    "identical lines, some changed": lambda size: (
        "x\n" * (size // 2),
        ("x\n" * 9 + "y\n") * (size // 20),
    ),
    "runs of one character": lambda size: ("." * size, ". " * (size // 2)),
    "shuffled repeated words": shuffled_words,
    # Each paragraph is cheap to try and dear to finish: this spends the budget.
    "repeated words in many paragraphs": lambda size: (
        "".join(f"{n}.\n" + "a " * 50 + "\n" for n in range(size // 106)),
        "".join(f"{n}.\n" + "b a " * 25 + "\n" for n in range(size // 106)),
    ),
}


def cpu_time(old: str, new: str) -> float:
    with deadline(CEILING * 5):
        start = time.process_time()
        diff_text(old, new)
        return time.process_time() - start


@pytest.mark.parametrize("family", ADVERSARIAL)
def test_diff_cost_grows_linearly_on_adversarial_texts(family):
    make = ADVERSARIAL[family]
    small, large = make(10_000), make(40_000)
    gc.disable()  # a collection inside one run would be noise
    try:
        times = {small: [], large: []}
        for _ in range(3):
            for pair in times:
                times[pair].append(cpu_time(*pair))
        limit_time = cpu_time(*make(SIZE_LIMIT))
    finally:
        gc.enable()
    small_time, large_time = min(times[small]), min(times[large])
    # Four times the text may cost four times as much; eight leaves room for
    # noise, while the quadratic and cubic costs of before were 16 and 64.
    assert large_time < 8 * max(small_time, 0.001), (small_time, large_time)
    assert limit_time < CEILING


@pytest.mark.django_db
def test_the_diff_page_of_the_repeated_words_body_answers_at_once(client):
    """The reproduction: this diff took 10 s on every anonymous request."""
    person, revisions = person_with_history("a " * 600, "b a " * 300)
    address = reverse(
        "wiki:page_diff", kwargs={"section": person.section, "slug": person.slug}
    )
    with costing_at_most(CEILING):
        response = client.get(address, {"from": revisions[0].pk, "to": revisions[1].pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert note(BY_SENTENCE) in html
    assert f"<del>{'a ' * 600}</del><ins>{'b a ' * 300}</ins>" in html
