"""Paragraph attribution: beside each paragraph of a page, the revision that
brought it (wiki/attribution.py), computed from history and kept per revision."""

import gc
import re
import time
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from sources.models import Source
from sources.services import source_publish
from tests.factories import PersonFactory, UserFactory
from tests.wiki.history_helpers import make_moderator, person_with_history, publish
from tests.wiki.moderation_helpers import submit
from wiki import attribution, history, moderation
from wiki.attribution import paragraph_digests
from wiki.models import PageAttribution, ParagraphOrigin, RevisionMeta
from wiki.revision_visibility import revisions_set_visibility
from wiki.roles import CONTRIBUTORS
from wiki.sections import blocks
from wiki.services import page_publish

pytestmark = pytest.mark.django_db

_BLOCK = re.compile(
    r'<div class="attributed-text body">(.*?)</div>\s*'
    r'<p class="attribution-note">(.*?)</p>',
    re.S,
)


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def attribution_url(page) -> str:
    return reverse(
        "wiki:page_attribution", kwargs={"section": page.section, "slug": page.slug}
    )


def notes(client, page) -> list[tuple[str, str]]:
    """(paragraph text, its note) of each paragraph, as a reader reads them."""
    return notes_of(client.get(attribution_url(page)))


def notes_of(response) -> list[tuple[str, str]]:
    assert response.status_code == 200
    return [
        (_text(text), _text(note))
        for text, note in _BLOCK.findall(response.content.decode())
    ]


def day(revision) -> str:
    return date_format(timezone.localtime(revision.date_created), "j M Y")


def note(revision, author: str, approver: str, *, first=False) -> str:
    if first:
        link = f"Revision {revision.pk}, the first"
    else:
        link = f"Changes in revision {revision.pk}"
    return f"By {author}, approved by {approver}, {day(revision)} · {link}"


def contributor(username: str):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=CONTRIBUTORS))
    return user


def approve(proposal, moderator):
    return moderation.proposal_approve(
        proposal=proposal, by=moderator, seen=moderation.seen_now(proposal)
    )


@pytest.fixture
def mod():
    return make_moderator("mod")


def test_blocks_keep_lists_quotes_and_fenced_code_whole():
    text = (
        "# Early life\n\nBorn in London.  \nRaised in Kent.\n\n\n"
        "- one\n- two\n\n- three\n\n    more of three\n\n"
        "```\ncode\n\nstill code\n```\n\n> quoted\n\n> still quoted\n\nThe end."
    )
    assert blocks(text) == [
        "# Early life",
        "Born in London.\nRaised in Kent.",
        "- one\n- two\n\n- three\n\n    more of three",
        "```\ncode\n\nstill code\n```",
        "> quoted\n\n> still quoted",
        "The end.",
    ]


def test_each_paragraph_names_the_contributor_and_moderator_who_brought_it(client, mod):
    alice, bob = contributor("alice"), contributor("bob")
    ada, (first,) = person_with_history(
        "Ada wrote the first program.\n\nShe worked with Babbage.", authors=[mod]
    )
    added = approve(
        submit(
            ada,
            alice,
            body="Ada wrote the first program.\n\nShe worked with Babbage.\n\n"
            "She died in 1852.",
        ),
        mod,
    )
    edited = approve(
        submit(
            ada,
            bob,
            body="Ada wrote the first published program.\n\n"
            "She worked with Babbage.\n\nShe died in 1852.",
        ),
        mod,
    )

    assert notes(client, ada) == [
        ("Ada wrote the first published program.", note(edited, "bob", "mod")),
        ("She worked with Babbage.", note(first, "mod", "mod", first=True)),
        ("She died in 1852.", note(added, "alice", "mod")),
    ]


def test_a_reverted_paragraph_keeps_its_first_author(client, mod):
    alice, vandal = UserFactory(username="alice"), UserFactory(username="vandal")
    ada, (first, second, vandalism) = person_with_history(
        "Ada wrote the first program.",
        "Ada wrote the first program.\n\nShe worked with Babbage.",
        "Ada was nobody.",
        authors=[mod, alice, vandal],
    )
    client.force_login(mod)
    url = reverse(
        "wiki:revision_revert",
        kwargs={"section": "people", "slug": ada.slug, "revision_id": second.pk},
    )
    response = client.post(url, {"seen_revision": vandalism.pk, "summary": "Vandalism"})
    assert response.status_code == 302
    client.logout()

    assert notes(client, ada) == [
        ("Ada wrote the first program.", note(first, "mod", "mod", first=True)),
        ("She worked with Babbage.", note(second, "alice", "alice")),
    ]


def test_an_undone_removal_gives_the_paragraph_back_to_its_author(client, mod):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    ada, (first, second, removal) = person_with_history(
        "Ada wrote the first program.",
        "Ada wrote the first program.\n\nShe worked with Babbage.",
        "Ada wrote the first program.",
        authors=[mod, alice, bob],
    )
    # Seen before the undo: the undo's revision is attributed from there on.
    assert [n for _, n in notes(client, ada)] == [note(first, "mod", "mod", first=True)]
    history.page_undo(page=ada, revision=removal, user=mod)

    assert notes(client, ada) == [
        ("Ada wrote the first program.", note(first, "mod", "mod", first=True)),
        ("She worked with Babbage.", note(second, "alice", "alice")),
    ]


def test_a_moved_paragraph_keeps_its_author_and_an_edited_one_is_the_editors(
    client, mod
):
    bob = UserFactory(username="bob")
    ada, (first, moved) = person_with_history(
        "First.\n\nSecond.\n\nThird.",
        "Third.\n\nFirst.\n\nSecond, edited.",
        authors=[mod, bob],
    )
    assert notes(client, ada) == [
        ("Third.", note(first, "mod", "mod", first=True)),
        ("First.", note(first, "mod", "mod", first=True)),
        ("Second, edited.", note(moved, "bob", "bob")),
    ]


def test_a_second_copy_of_a_paragraph_is_the_revision_that_added_it(client, mod):
    bob = UserFactory(username="bob")
    ada, (first, copied) = person_with_history(
        "Ada.\n\nSee also.", "Ada.\n\nSee also.\n\nSee also.", authors=[mod, bob]
    )
    assert notes(client, ada) == [
        ("Ada.", note(first, "mod", "mod", first=True)),
        ("See also.", note(first, "mod", "mod", first=True)),
        ("See also.", note(copied, "bob", "bob")),
    ]


def test_a_hidden_author_is_hidden_as_on_the_history_page(client, mod):
    troll = UserFactory(username="offensive-name")
    ada, (first, trolled, _) = person_with_history(
        "Ada wrote the first program.",
        "Ada wrote the first program.\n\nShe worked with Babbage.",
        "Ada wrote the first program.\n\nShe worked with Babbage.\n\nThe end.",
        authors=[mod, troll],
    )
    revisions_set_visibility(
        page=ada,
        revision_ids=[trolled.pk],
        changes={"author": True},
        reason="Offensive username",
        by=mod,
    )
    history_page = client.get(
        reverse("wiki:page_history", kwargs={"section": "people", "slug": ada.slug})
    ).content.decode()
    assert "offensive-name" not in history_page

    anonymous = notes(client, ada)
    assert anonymous[1] == (
        "She worked with Babbage.",
        f"By (hidden), approved by (hidden), {day(trolled)} · "
        f"Changes in revision {trolled.pk}",
    )
    assert "offensive-name" not in client.get(attribution_url(ada)).content.decode()

    client.force_login(mod)  # moderators see the name, marked hidden
    seen = notes(client, ada)[1][1]
    assert seen.startswith(
        "By offensive-name (author hidden from the public), approved by "
        "offensive-name (author hidden from the public),"
    )


def test_a_paragraph_from_a_revision_whose_text_is_hidden_has_no_diff_link(client, mod):
    bob = UserFactory(username="bob")
    ada, (first, hidden, _) = person_with_history(
        "Ada wrote the first program.",
        "Ada wrote the first program.\n\nShe worked with Babbage.\n\n"
        "Her home address is 12 Example Street.",
        "Ada wrote the first program.\n\nShe worked with Babbage.",
        authors=[mod, bob, mod],
    )
    revisions_set_visibility(
        page=ada,
        revision_ids=[hidden.pk],
        changes={"text": True},
        reason="Personal data",
        by=mod,
    )
    diff = f"from={first.pk}&amp;to={hidden.pk}"
    anonymous = client.get(attribution_url(ada)).content.decode()
    assert "Example Street" not in anonymous
    assert diff not in anonymous
    assert notes(client, ada)[1] == (
        "She worked with Babbage.",
        f"By bob, approved by bob, {day(hidden)} · revision {hidden.pk} (text hidden)",
    )

    client.force_login(mod)  # as on the history page, moderators get the diff
    assert diff in client.get(attribution_url(ada)).content.decode()


def test_the_page_links_to_its_attribution_and_back(client, mod):
    ada, _ = person_with_history("Ada wrote the first program.", authors=[mod])
    page = client.get(ada.get_absolute_url()).content.decode()
    assert f'href="{attribution_url(ada)}">Who wrote this?</a>' in page
    html = client.get(attribution_url(ada)).content.decode()
    assert f'href="{ada.get_absolute_url()}">Hide paragraph authors</a>' in html
    assert "<title>Who wrote Ada Lovelace · Lineage</title>" in html


def test_anyone_reads_attribution_but_not_of_a_deleted_page(client, mod):
    ada, _ = person_with_history("Ada wrote the first program.", authors=[mod])
    assert client.get(attribution_url(ada)).status_code == 200
    history.page_delete(page=ada, user=mod, reason="Duplicate")
    assert client.get(attribution_url(ada)).status_code == 410
    client.force_login(mod)
    assert client.get(attribution_url(ada)).status_code == 200


def test_citations_and_links_render_as_on_the_page(client, mod):
    ada, _ = person_with_history(
        "Ada met [[Charles Babbage]].\n\n[Notes][notes] survive.\n\n"
        "[notes]: https://example.org/notes",
        authors=[mod],
    )
    html = client.get(attribution_url(ada)).content.decode()
    assert 'href="https://example.org/notes"' in html
    assert "Charles Babbage</a>" in html


def test_citation_markers_lead_to_the_articles_references(client, mod):
    source_publish(
        source=Source(key="menabrea1843", title="Sketch of the Analytical Engine"),
        user=mod,
        summary="Add",
    )
    ada, _ = person_with_history("Ada wrote notes.[@menabrea1843]", authors=[mod])
    html = client.get(attribution_url(ada)).content.decode()
    assert 'href="/people/ada-lovelace/#ref-menabrea1843"' in html
    assert 'href="#ref-' not in html


def test_a_paragraph_from_an_import_with_no_author_says_so(client):
    person = PersonFactory.build(
        title="Ada Lovelace", slug="ada-lovelace", body="Imported text."
    )
    first = page_publish(
        page=person, user=None, summary="Seed", action=RevisionMeta.Action.IMPORT
    )
    assert notes(client, person) == [
        (
            "Imported text.",
            f"Import, by no one named, {day(first)} · Revision {first.pk}, the first",
        ),
    ]


def _walked_versions(queries) -> int:
    return sum(
        1 for q in queries if "serialized_data" in q["sql"] and "LIMIT" in q["sql"]
    )


@pytest.mark.parametrize("length", [3, 30])
def test_a_cached_attribution_costs_the_same_queries_however_long_the_history(
    client, mod, django_assert_num_queries, length
):
    bodies = [
        "\n\n".join(f"Paragraph {n}." for n in range(count + 1))
        for count in range(length)
    ]
    ada, revisions = person_with_history(*bodies, authors=[mod])
    with CaptureQueriesContext(connection) as first:
        assert len(notes(client, ada)) == length
    assert _walked_versions(first) == 1  # in chunks of 100 revisions
    assert PageAttribution.objects.filter(page=ada).count() == 1
    assert ParagraphOrigin.objects.filter(page=ada).count() == length

    # The page, its attribution and the revisions it names.
    with django_assert_num_queries(3) as cached:
        assert len(notes(client, ada)) == length
    assert _walked_versions(cached) == 0


def test_a_new_revision_is_attributed_from_the_last_one_attributed(client, mod):
    bob = UserFactory(username="bob")
    bodies = [
        "\n\n".join(f"Paragraph {n}." for n in range(count + 1)) for count in range(250)
    ]
    ada, revisions = person_with_history(*bodies, authors=[mod])
    notes(client, ada)
    added = publish(ada, bob, body=bodies[-1] + "\n\nBob wrote this.")

    with CaptureQueriesContext(connection) as queries:
        shown = notes_of(client.get(attribution_url(ada) + "?page=2"))
    assert shown[-1] == ("Bob wrote this.", note(added, "bob", "bob"))
    assert shown[0] == ("Paragraph 200.", note(revisions[200], "mod", "mod"))
    # Only the new revision is read.
    versions_read = [q for q in queries if "serialized_data" in q["sql"]]
    assert len(versions_read) == 1
    after = re.search(r'"revision_id" > (\d+)', versions_read[0]["sql"])
    assert int(after.group(1)) == revisions[-1].pk
    assert PageAttribution.objects.filter(page=ada).count() == 2


def test_a_signed_in_reader_gets_the_attributed_text_from_the_fragment_cache(
    client, mod, settings, django_assert_num_queries
):
    settings.LINEAGE_FRAGMENT_CACHE = True
    caches["default"].clear()
    bob = UserFactory(username="bob")
    ada, (first,) = person_with_history("Ada wrote the first program.", authors=[mod])
    client.force_login(bob)
    notes(client, ada)
    # The page, the session, the user, their permissions (2), the generation
    # and their unread notifications: nothing of the attribution is read.
    with django_assert_num_queries(7):
        assert notes(client, ada) == [
            ("Ada wrote the first program.", note(first, "mod", "mod", first=True))
        ]
    added = publish(ada, bob, body="Ada wrote the first program.\n\nBob wrote this.")
    assert notes(client, ada)[1] == ("Bob wrote this.", note(added, "bob", "bob"))
    revisions_set_visibility(
        page=ada,
        revision_ids=[added.pk],
        changes={"author": True},
        reason="Offensive username",
        by=mod,
    )
    assert notes(client, ada)[1][1].startswith("By (hidden), approved by (hidden),")
    caches["default"].clear()


def test_a_long_text_is_shown_a_page_of_paragraphs_at_a_time(client, mod, monkeypatch):
    monkeypatch.setattr(attribution, "PER_PAGE", 2)
    bob = UserFactory(username="bob")
    ada, (first, second) = person_with_history(
        "One.\n\nTwo.\n\nThree.", "One.\n\nTwo.\n\nThree.\n\nFour.", authors=[mod, bob]
    )
    response = client.get(attribution_url(ada) + "?page=2")
    assert "4 paragraphs; 3–4 shown." in response.content.decode()
    assert notes_of(response) == [
        ("Three.", note(first, "mod", "mod", first=True)),
        ("Four.", note(second, "bob", "bob")),
    ]


# Text built to be slow: cutting it into paragraphs must cost time linear in
# its length (4 times the text, under 8 times the time; quadratic is 16).
HOSTILE = {
    "unclosed fences": "```x\n",
    "fences of every length": "```\n~~~~x\n`````\n",
    "[ run": "[",
    "{ run": "{",
    "@ run": "@",
    "[@ run": "[@",
    "short paragraphs": "a\n\n",
    "list items apart": "- a\n\n",
    "quotes apart": "> a\n\n",
    "indented apart": "    a\n\n",
}


def _cpu_seconds(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        gc.collect()
        start = time.process_time()
        paragraph_digests(text)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("family", HOSTILE)
def test_cutting_hostile_text_into_paragraphs_costs_linear_time(family, settings):
    size = settings.LINEAGE_MAX_BODY_CHARS // 20
    unit = HOSTILE[family]
    small = unit * (size // len(unit))
    large = unit * (4 * size // len(unit))
    base = _cpu_seconds(small)
    grown = _cpu_seconds(large)
    assert grown / base < 8, f"{family}: {base * 1000:.1f} ms, then {grown * 1000:.1f}"
