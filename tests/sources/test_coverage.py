"""Citation coverage, the "citation needed" marker and the maintenance page."""

import gc
import io
import re
import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from sources.coverage import count
from sources.models import CitationUse, PageCoverage, Source, SourceUsage
from sources.seed import load_seed
from sources.services import source_publish
from tests.factories import PersonFactory, SourceFactory, ThemeFactory, UserFactory
from tests.markdown_families import family_text
from tests.rows import count_rows
from tests.wiki.conftest import contributor, moderator, person, roles  # noqa: F401
from tests.wiki.moderation_helpers import submit
from wiki import moderation, tallies
from wiki.markdown import render
from wiki.models import Page, PageInbound
from wiki.services import page_publish

pytestmark = pytest.mark.django_db

CRAFTED = """\
## A heading cites nothing[@a2019]

First paragraph, cited.[@a2019]

Second paragraph, no source.

Third paragraph needs one.[@?]

Fourth paragraph cites a key no source has.[@nosuchkey]

- An item cited.[@b2020]
- An item not cited
    - a nested item cited[@a2019] counts with its item

```
Code cites nothing [@a2019]
```

| cell |
| --- |
| a table cites nothing[@a2019] |

> A quotation is not counted.[@a2019]
"""


def publish(page, body, user=None):
    page.body = body
    page_publish(page=page, user=user or UserFactory(), summary="Edit")
    return PageCoverage.objects.get(page=page)


def add_source(key: str, title: str) -> Source:
    source = Source(key=key, title=title, year=2020)
    source_publish(source=source, user=UserFactory(), summary="Add")
    return source


def numbers(row) -> tuple[int, int, int]:
    return row.cited, row.paragraphs, row.needed


def test_coverage_counts_top_level_paragraphs_and_list_items_only():
    SourceFactory(key="a2019")
    SourceFactory(key="b2020")
    # Paragraphs 1–4 and the two top-level items: 1 and the 2 items cited
    # (the second item through its nested item).
    assert count(render(CRAFTED).html).as_data() == {
        "paragraphs": 6,
        "cited": 3,
        "needed": 1,
    }


def test_an_unknown_key_a_pending_source_and_citation_needed_are_not_citations():
    html = render("One.[@nosuchkey]\n\nTwo.[@?]\n\nThree.").html
    assert count(html).as_data() == {"paragraphs": 3, "cited": 0, "needed": 1}


def test_a_body_of_only_headings_and_code_has_no_paragraphs():
    html = render("## Heading\n\n```\ncode\n```\n").html
    assert count(html).as_data() == {"paragraphs": 0, "cited": 0, "needed": 0}


def test_publishing_stores_the_coverage_and_the_page_says_it():
    SourceFactory(key="a2019")
    SourceFactory(key="b2020")
    page = PersonFactory()
    row = publish(page, CRAFTED)
    assert numbers(row) == (3, 6, 1)
    assert row.share == 500
    text = " ".join(page_text(page).split())
    assert "3 of 6 paragraphs cite a source (50%); 1 claim marked citation needed" in (
        text
    )


def page_text(page) -> str:
    from django.test import Client

    html = Client().get(page.get_absolute_url()).content.decode()
    return re.sub(r"<[^>]+>", "", html)


def test_one_paragraph_reads_in_the_singular():
    SourceFactory(key="a2019")
    page = PersonFactory()
    publish(page, "Only one, cited.[@a2019]")
    assert "1 of 1 paragraph cites a source (100%)" in page_text(page)


def test_citation_needed_renders_a_visible_linked_marker():
    html = render("A claim.[@?]").html
    assert (
        '<sup class="cite-needed"><a href="/maintenance/#citation-needed" '
        'title="This claim needs a source. Add one with [@key].">'
        "[citation needed]</a></sup>"
    ) in html


def test_citation_needed_beside_a_source_in_one_group_marks_both():
    SourceFactory(key="a2019", title="A study")
    html = render("Half sourced.[@a2019; @?]\n\nNeeds one.[@?; @nosuchkey]").html
    assert (
        '<span class="cite-group"><sup class="cite" id="cite-a2019-1">'
        '<a href="#ref-a2019" title="A study">[1]</a></sup>'
        '<sup class="cite-needed"><a href="/maintenance/#citation-needed"'
    ) in html
    assert "@?" not in html and "@nosuchkey" not in html  # none left as typed
    assert "[unknown source: nosuchkey]" in html
    assert count(html).as_data() == {"paragraphs": 2, "cited": 1, "needed": 2}


def test_the_edit_form_says_how_to_mark_citation_needed(
    client,
    contributor,  # noqa: F811
    person,  # noqa: F811
):
    client.force_login(contributor)
    html = client.get(f"{person.get_absolute_url()}edit/").content.decode()
    assert "and mark a claim that needs one with [@?]." in html


def test_citation_needed_in_the_live_preview(client, contributor):  # noqa: F811
    client.force_login(contributor)
    response = client.post(reverse("wiki:markdown_preview"), {"content": "Hm.[@?]"})
    assert response.status_code == 200
    assert "[citation needed]</a></sup>" in response.content.decode()


def test_an_approved_edit_updates_the_coverage_a_pending_one_does_not(
    person,  # noqa: F811
    contributor,  # noqa: F811
    moderator,  # noqa: F811
):
    SourceFactory(key="a2019")
    before = numbers(publish(person, "Uncited.\n\nAlso uncited."))
    assert before == (0, 2, 0)
    proposal = submit(person, contributor, body="Cited.[@a2019]\n\nNeeds one.[@?]")
    assert numbers(PageCoverage.objects.get(page=person)) == before
    moderation.proposal_approve(
        proposal=proposal, by=moderator, seen=moderation.seen_now(proposal)
    )
    assert numbers(PageCoverage.objects.get(page=person)) == (1, 2, 1)


def test_creating_a_source_turns_an_unknown_key_into_a_citation():
    page = PersonFactory()
    publish(page, "Claim.[@later2024]")
    use = CitationUse.objects.get(page=page)
    assert (use.key, use.source_id) == ("later2024", None)
    source = Source(key="later2024", title="Later", year=2024)
    source_publish(source=source, user=UserFactory(), summary="Add")
    use.refresh_from_db()
    assert use.source_id == source.pk
    assert numbers(PageCoverage.objects.get(page=page)) == (1, 1, 0)


# -- the maintenance page ---------------------------------------------------------


def entries(html: str, key: str) -> list[str]:
    """The entries of the list ``key`` on a maintenance page, as text."""
    section = html.split(f'id="{key}"', 1)[1].split("</section>", 1)[0]
    items = re.findall(r"<li>(.*?)</li>", section, re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in items]


def test_the_maintenance_page_lists_the_seeds_uncited_source_and_an_orphan(client):
    load_seed()
    orphan = ThemeFactory(title="Lonely theme")
    page_publish(page=orphan, user=UserFactory(), summary="New")
    html = client.get(reverse("wiki:maintenance")).content.decode()
    uncited = entries(html, "uncited-sources")
    assert uncited == [
        "theinformation2024radford Senior OpenAI Researcher Radford Departs"
    ]
    url = reverse("wiki:maintenance_section", kwargs={"section": "orphans"})
    orphans = client.get(url).content.decode()
    assert ">Lonely theme</a>" in orphans
    assert ">Alec Radford</a>" in orphans  # no page links to the profile
    assert ">OpenAI</a>" not in orphans  # the profile links to it


def test_the_maintenance_lists_on_crafted_pages(client):
    SourceFactory(key="a2019")
    add_source("nowhere", "Cited nowhere")
    low = PersonFactory(title="Low")
    high = PersonFactory(title="High")
    publish(low, "One.[@?]\n\nTwo.[@?]\n\nThree.[@a2019]\n\nFour.[@ghost]")
    publish(high, "Cited.[@a2019] [[Low]] [[Missing page]]")
    html = client.get(reverse("wiki:maintenance")).content.decode()
    assert entries(html, "coverage") == [
        "Low 1 of 4 paragraphs cite a source (25%)",
        "High 1 of 1 paragraph cites a source (100%)",
    ]
    assert entries(html, "citation-needed") == ["Low 2 claims marked [citation needed]"]
    assert entries(html, "unknown-keys") == [
        "[@ghost] on Low · Create the source ghost"
    ]
    assert 'href="/sources/new/?key=ghost"' in html
    assert entries(html, "uncited-sources") == ["nowhere Cited nowhere"]
    assert entries(html, "red-links") == ["Missing page 1 linking page"]
    assert entries(html, "orphans") == ["High person"]


def test_a_deleted_page_leaves_the_lists(client, moderator):  # noqa: F811
    from wiki.history import page_delete

    page = PersonFactory(title="Gone")
    publish(page, "Needs one.[@?] [@ghost]")
    page_delete(page=page, user=moderator, reason="Spam")
    html = client.get(reverse("wiki:maintenance")).content.decode()
    for key in ("coverage", "citation-needed", "unknown-keys", "orphans"):
        assert "Gone" not in " ".join(entries(html, key)), key


def test_a_list_in_full_pages_in_a_stable_order(client):
    user = UserFactory()
    for i in range(105):
        page = PersonFactory(title=f"Page {i:03}", body=f"Uncited {i}.")
        page_publish(page=page, user=user, summary="New")
    url = reverse("wiki:maintenance_section", kwargs={"section": "coverage"})
    first = client.get(url).content.decode()
    second = client.get(url + "?page=2").content.decode()
    titles = re.findall(r">(Page \d{3})</a>", first) + re.findall(
        r">(Page \d{3})</a>", second
    )
    # All at 0 %, one paragraph each: then by page id, that is creation order.
    assert titles == [f"Page {i:03}" for i in range(105)]
    assert 'rel="next"' in first and 'rel="next"' not in second


def test_an_unknown_list_is_not_found(client):
    url = reverse("wiki:maintenance_section", kwargs={"section": "nothing"})
    assert client.get(url).status_code == 404
    url = reverse("wiki:maintenance_section", kwargs={"section": "red-links"})
    assert client.get(url).status_code == 404  # listed at /wanted/


def make_pages(n: int) -> None:
    user = UserFactory()
    for i in range(n):
        SourceFactory(key=f"s{i}")
        page = PersonFactory(title=f"P{i}")
        body = f"[[P{i + 1}]] cited[@s{i}].\n\nNeeds[@?]\n\nGhost[@g{i}] [[Red {i}]]"
        publish(page, body, user)


SECTIONS = ("coverage", "citation-needed", "unknown-keys", "orphans")


SECTION_URLS = [
    reverse("wiki:maintenance"),
    *(
        reverse("wiki:maintenance_section", kwargs={"section": section})
        for section in (*SECTIONS, "uncited-sources")
    ),
]


@pytest.mark.parametrize("n", [3, 150])
def test_the_lists_cost_a_fixed_number_of_queries_and_rows(
    client, django_assert_max_num_queries, n
):
    make_pages(n)
    add_source("lonely", "Lonely")
    with django_assert_max_num_queries(6), count_rows() as read:  # one per list
        response = client.get(reverse("wiki:maintenance"))
    assert response.status_code == 200
    assert read.total <= 6 * 11, read.report()  # 10 shown and one to know more
    for section in (*SECTIONS, "uncited-sources"):
        url = reverse("wiki:maintenance_section", kwargs={"section": section})
        with django_assert_max_num_queries(1), count_rows() as read:
            response = client.get(url)
        assert response.status_code == 200
        assert read.total <= 101, read.report()
        rows = len(re.findall(r"<li>", response.content.decode()))
        assert rows == (
            min(n, 100) if section not in ("orphans", "uncited-sources") else 1
        )


@pytest.mark.postgres
def test_the_lists_scan_a_bounded_number_of_rows_whatever_the_site(
    client, transactional_db
):
    """PostgreSQL's own count of the rows and index entries read, on 300 pages
    that all link on and cite their source: no list reads every page to find
    the few orphans or the one source cited nowhere.  Vacuumed first, as
    autovacuum would have: every new page was an orphan until the next one
    linked to it, and the index keeps those old entries until a vacuum."""
    from django.db import connection, transaction

    from tests.scans import rows_scanned

    make_pages(300)
    add_source("lonely", "Lonely")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    for url in SECTION_URLS:
        client.get(url)  # settle what a first request loads once
        with transaction.atomic(), rows_scanned() as scanned:
            # On 300 rows a scan of the table and a walk of an index cost
            # about the same, and the planner's pick flipped from one run of
            # the suite to the next; at 100,000 pages only the walk is cheap.
            # So it is told to choose as it would there: what this measures
            # is that an index serves each list, in its order.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_sort = off")
            assert client.get(url).status_code == 200
        assert scanned.read <= 250, (url, scanned.tables)
        assert scanned.tables.get("wiki_page", 0) <= 110, (url, scanned.tables)


COSTLY = ["[ run", "[@ run", "[@? run", "@ run", "citation needed paragraphs"]


def counting_seconds(html: str) -> float:
    best = float("inf")
    for _ in range(3):
        gc.collect()
        start = time.process_time()
        count(html)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("family", COSTLY)
def test_counting_paragraphs_is_linear_up_to_the_body_size_limit(family, settings):
    # 10 KB and 4 x 10 KB; then the whole size limit renders and counts.
    small = render(family_text(family, 10_000)).html
    large = render(family_text(family, 40_000)).html
    count(small)
    base, grown = counting_seconds(small), counting_seconds(large)
    assert grown / base < 8, f"{family}: {base * 1000:.1f} ms, {grown * 1000:.1f} ms"


def test_a_body_at_the_size_limit_of_citation_needed_markers_counts_each(settings):
    size = settings.LINEAGE_MAX_BODY_CHARS
    whole = family_text("citation needed paragraphs", size)  # "a[@?]\n\n" ...
    start = time.process_time()
    counted = count(render(whole).html)
    assert time.process_time() - start < 10
    # The last paragraph is cut short of its marker.
    assert counted.as_data() == {
        "paragraphs": -(-size // 7),
        "cited": 0,
        "needed": size // 7,
    }


# -- every path that rebuilds derived data ------------------------------------


def stored_coverage() -> dict[int, tuple[int, int, int]]:
    return {
        row.page_id: (row.cited, row.paragraphs, row.needed)
        for row in PageCoverage.objects.all()
    }


def counted_from_html() -> dict[int, tuple[int, int, int]]:
    found = {}
    for page in Page.objects.only("pk", "body_html"):
        coverage = count(page.body_html)
        found[page.pk] = (coverage.cited, coverage.paragraphs, coverage.needed)
    return found


def test_the_seed_and_a_generated_corpus_have_the_coverage_of_their_html():
    load_seed()
    call_command(
        "generate_pages",
        people=20,
        works=30,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert stored_coverage() == counted_from_html()
    radford = Page.objects.get(slug="alec-radford")
    # 14 paragraphs under its headings; 7 of them cite a source.
    assert stored_coverage()[radford.pk] == (7, 14, 0)
    cited = set(CitationUse.objects.filter(page=radford).values_list("key", flat=True))
    assert len(cited) == 8 and "theinformation2024radford" not in cited


def test_the_rebuild_restores_rows_lost_or_wrong():
    SourceFactory(key="a2019")
    page = PersonFactory()
    publish(page, "Cited.[@a2019]\n\nNot.[@ghost]")
    expected = (stored_coverage(), set(CitationUse.objects.values_list("key", "page")))
    PageCoverage.objects.all().delete()
    CitationUse.objects.filter(key="ghost").update(key="wrong")
    tallies.refresh_all()
    after = (stored_coverage(), set(CitationUse.objects.values_list("key", "page")))
    assert after == expected


def test_deleting_the_only_page_linking_or_citing_makes_an_orphan_and_an_uncited_source(
    client,
    moderator,  # noqa: F811
):
    from wiki.history import page_delete, page_recover

    add_source("only2020", "Cited once")
    target = PersonFactory(title="Target")
    publish(target, "A page.")
    linking = PersonFactory(title="Linking")
    publish(linking, "Links to [[Target]] and cites.[@only2020]")
    url = reverse("wiki:maintenance")

    def listed() -> tuple[list[str], list[str]]:
        html = client.get(url).content.decode()
        return entries(html, "orphans"), entries(html, "uncited-sources")

    assert listed() == (["Linking person"], [])
    page_delete(page=linking, user=moderator, reason="Spam")
    assert listed() == (["Target person"], ["only2020 Cited once"])
    page_recover(page=linking, user=moderator)
    assert listed() == (["Linking person"], [])


def derived_rows() -> dict:
    """The maintenance lists' rows, named by slugs and keys (never ids)."""
    return {
        "coverage": {
            (r.page.kind, r.page.slug): (r.cited, r.paragraphs, r.needed, r.share)
            for r in PageCoverage.objects.select_related("page")
        },
        "uses": {
            (u.page.slug, u.key, u.source.key if u.source else None)
            for u in CitationUse.objects.select_related("page", "source")
        },
        "usage": {u.source.key: u.pages for u in SourceUsage.objects.all()},
        "inbound": {
            (r.page.kind, r.page.slug): r.pages
            for r in PageInbound.objects.select_related("page")
        },
    }


def test_an_import_rebuilds_the_maintenance_rows_as_they_were(tmp_path):
    from tests.wiki.test_export import empty_the_site

    load_seed()
    orphan = ThemeFactory(title="Lonely theme", body="Needs one.[@?]")
    page_publish(page=orphan, user=UserFactory(), summary="New")
    before = derived_rows()
    assert before["coverage"][("theme", orphan.slug)] == (0, 1, 1, 0)
    assert before["usage"]["theinformation2024radford"] == 0
    assert before["inbound"][("theme", orphan.slug)] == 0
    path = tmp_path / "site.jsonl"
    call_command("export_content", output=str(path), stderr=io.StringIO())
    empty_the_site()
    assert not PageCoverage.objects.exists()
    call_command("import_content", str(path), stdout=io.StringIO())
    assert derived_rows() == before
