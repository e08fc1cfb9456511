"""Every list on a page is bounded: its first entries, chosen and ranked by the
database, the total, and a "see all" page listing every entry once."""

import re

import pytest

from people.models import Person
from sources.models import Citation
from tests.corpus import generate
from tests.factories import (
    AffiliationFactory,
    AuthorshipFactory,
    OrganizationFactory,
    PersonFactory,
    SourceFactory,
    ThemeFactory,
    WorkFactory,
)
from tests.rows import count_rows
from tests.wiki.bounded_corpus import build_hub
from wiki import registry
from wiki.models import Page, PageLink, PageRedirect, Theme

pytestmark = pytest.mark.django_db

SIZE = 150  # entries in each hub list: far more than a page shows (24)


@pytest.fixture
def hub():
    return build_hub(SIZE)


def groups_of(page):
    page = type(page).objects.for_page_view().get(pk=page.pk)
    return {g.key: g for g in registry.navigation_for(page)}


def titles(group):
    return [item.page.title for item in group.items]


def notes(group):
    return {item.page.title: item.note for item in group.items}


def members(n):
    return [f"Member {i:04d}" for i in range(n)]


def test_count_rows_counts_every_row_a_query_reads():
    for n in range(7):
        ThemeFactory(title=f"T{n}")
    with count_rows() as rows:
        assert len(list(Theme.objects.all())) == 7
        assert Theme.objects.count() == 7
        assert len(list(Theme.objects.values_list("pk", flat=True).iterator())) == 7
    assert rows.total == 7 + 1 + 7
    assert [n for _, n in rows.queries] == [7, 1, 7]


def test_each_hub_list_shows_its_first_24_entries_and_counts_them_all(hub):
    person = groups_of(hub.person)
    for key in ("coauthors", "colleagues", "people-sharing-themes", "links-here"):
        assert titles(person[key]) == members(24), key
        assert person[key].has_more
    for key in ("coauthors", "colleagues", "people-sharing-themes"):
        assert person[key].count == SIZE
    # Every member links to the hub; half the works list it as related.
    assert person["links-here"].count == SIZE + SIZE // 2
    assert person["works"].count == SIZE
    assert len(person["works"].items) == 24
    assert titles(groups_of(hub.organization)["members"]) == [
        "Hub Person",
        *members(23),
    ]
    assert groups_of(hub.organization)["members"].count == SIZE + 1
    theme = groups_of(hub.theme)
    assert titles(theme["people"]) == ["Hub Person", *members(23)]
    assert theme["people"].count == SIZE + 1
    assert theme["works"].count == SIZE
    work = groups_of(hub.work)
    assert titles(work["cited-by"]) == members(24)
    assert work["cited-by"].count == SIZE
    assert work["works-sharing-themes"].count == SIZE - 1


def test_the_page_links_to_each_full_list_naming_its_size(client, hub):
    html = client.get("/people/hub-person/").content.decode()
    assert f'Co-authors <span class="count">({SIZE})</span>' in html
    assert (
        f'<a href="/people/hub-person/coauthors/">See all {SIZE} co-authors</a>' in html
    )
    assert (
        f'<a href="/people/hub-person/links-here/">See all {SIZE + SIZE // 2} pages '
        "linking here</a>" in html
    )
    # Five lists, and the career timeline naming its share of the works.
    assert html.count('class="see-all"') == 6
    assert "The timeline shows the 24 newest works" in html


def test_a_list_that_fits_has_no_see_all_link(client):
    person = PersonFactory(title="Ada", slug="ada")
    AuthorshipFactory(person=person, work=WorkFactory(title="Only Paper"))
    html = client.get("/people/ada/").content.decode()
    assert "Only Paper" in html
    assert "See all" not in html


def test_coauthors_rank_by_shared_works_and_name_the_newest(settings):
    settings.LINEAGE_NAV_LIST_SIZE = 3
    ada = PersonFactory(title="Ada")
    bob, cy, dee, eve = (PersonFactory(title=n) for n in ("Bob", "Cy", "Dee", "Eve"))
    shared = {bob: 5, dee: 2, cy: 2, eve: 1}
    year = 2000
    for other, count in shared.items():
        for _ in range(count):
            year += 1
            work = WorkFactory(title=f"W{year}", year=year)
            AuthorshipFactory(work=work, person=ada, position=0)
            AuthorshipFactory(work=work, person=other, position=1)
    coauthors = groups_of(ada)["coauthors"]
    assert titles(coauthors) == ["Bob", "Cy", "Dee"]
    assert coauthors.count == 4
    assert notes(coauthors) == {
        "Bob": "W2005, W2004, W2003 and 2 more",
        "Cy": "W2009, W2008",
        "Dee": "W2007, W2006",
    }


def test_people_and_works_sharing_themes_rank_by_themes_shared(settings):
    settings.LINEAGE_NAV_LIST_SIZE = 2
    a, b, c = (ThemeFactory(title=t) for t in ("Alpha", "Beta", "Gamma"))
    ada = PersonFactory(title="Ada")
    ada.themes.add(a, b, c)
    for title, themes in [("Zed", [a, b, c]), ("Bob", [a]), ("Cy", [b, c])]:
        PersonFactory(title=title).themes.add(*themes)
    people = groups_of(ada)["people-sharing-themes"]
    assert titles(people) == ["Zed", "Cy"]
    assert notes(people) == {"Zed": "Alpha, Beta, Gamma", "Cy": "Beta, Gamma"}
    assert people.count == 3
    own = WorkFactory(title="Own Work")
    own.themes.add(a, b, c)
    AuthorshipFactory(work=own, person=ada)
    for title, themes in [("One", [c]), ("Two", [a, c]), ("Also One", [b])]:
        WorkFactory(title=title).themes.add(*themes)
    works = groups_of(ada)["works-sharing-themes"]
    assert titles(works) == ["Two", "Also One"]
    assert notes(works) == {"Two": "Alpha, Gamma", "Also One": "Beta"}
    assert works.count == 3  # the person's own work is listed under Works


def test_colleagues_rank_by_organizations_shared():
    one, two = OrganizationFactory(title="Lab One"), OrganizationFactory(title="Two")
    ada, bob, cy = (PersonFactory(title=n) for n in ("Ada", "Bob", "Cy"))
    for person, organizations in [(ada, [one, two]), (bob, [one]), (cy, [two, one])]:
        for organization in organizations:
            AffiliationFactory(person=person, organization=organization)
    AffiliationFactory(person=cy, organization=one, role="again")
    colleagues = groups_of(ada)["colleagues"]
    assert titles(colleagues) == ["Cy", "Bob"]
    assert notes(colleagues) == {"Cy": "Lab One, Two", "Bob": "Lab One"}


def test_members_are_listed_once_with_each_role_and_period():
    lab = OrganizationFactory(title="Lab")
    bob, ada = PersonFactory(title="Bob"), PersonFactory(title="Ada")
    AffiliationFactory(person=bob, organization=lab, role="intern", start_year=2014,
                       end_year=2015, position=0)  # fmt: skip
    AffiliationFactory(person=bob, organization=lab, role="researcher",
                       start_year=2016, position=1)  # fmt: skip
    AffiliationFactory(person=ada, organization=lab, role="")
    PersonFactory(title="Gone", is_deleted=True)
    AffiliationFactory(person=Person.objects.get(title="Gone"), organization=lab)
    group = groups_of(lab)["members"]
    assert titles(group) == ["Ada", "Bob"]
    assert notes(group) == {
        "Ada": "",
        "Bob": "intern, 2014 – 2015; researcher, since 2016",
    }
    assert group.count == 2


def test_works_are_newest_first_with_undated_last(settings):
    settings.LINEAGE_NAV_LIST_SIZE = 3
    ada = PersonFactory(title="Ada")
    theme = ThemeFactory(title="Topic")
    for title, year in [("Old", 1999), ("Undated", None), ("New", 2024),
                        ("Mid B", 2010), ("Mid A", 2010)]:  # fmt: skip
        work = WorkFactory(title=title, year=year)
        AuthorshipFactory(work=work, person=ada)
        work.themes.add(theme)
    for group in (groups_of(ada)["works"], groups_of(theme)["works"]):
        assert titles(group) == ["New", "Mid A", "Mid B"]
        assert notes(group) == {"New": "2024", "Mid A": "2010", "Mid B": "2010"}
        assert group.count == 5


def _see_all(client, url):
    """Titles and notes on every page of a "see all" list, in order."""
    entries, page, pages = [], 1, None
    while pages is None or page <= pages:
        html = client.get(f"{url}?page={page}").content.decode()
        listed = html[html.index('<ol class="nav-list') : html.index("</ol>")]
        entries += re.findall(
            r'<li><a href="[^"]+">([^<]+)</a>(?: <span class="note">([^<]*)</span>)?',
            listed,
        )
        found = re.search(r"Page \d+ of (\d+)", html)
        pages = int(found.group(1)) if found else 1
        page += 1
    return entries


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/people/hub-person/coauthors/", members(SIZE)),
        ("/people/hub-person/colleagues/", members(SIZE)),
        ("/people/hub-person/people-sharing-themes/", members(SIZE)),
        (
            "/people/hub-person/links-here/",
            [*members(SIZE), *(f"Paper {n:04d}" for n in range(SIZE // 2))],
        ),
        ("/organizations/big-lab/members/", ["Hub Person", *members(SIZE)]),
        ("/themes/big-theme/people/", ["Hub Person", *members(SIZE)]),
        ("/works/paper-0000/cited-by/", members(SIZE)),
        ("/sources/hubsource/cited-by/", members(SIZE)),
    ],
)
def test_see_all_lists_every_entry_exactly_once_across_pages(
    client, settings, hub, url, expected
):
    settings.LINEAGE_NAV_PAGE_SIZE = 40
    first = client.get(url).content.decode()
    assert f"Page 1 of {-(-len(expected) // 40)}" in first
    assert [title for title, _ in _see_all(client, url)] == expected


def test_see_all_works_are_every_work_newest_first(client, settings, hub):
    settings.LINEAGE_NAV_PAGE_SIZE = 40
    expected = sorted(hub.works, key=lambda w: (-w.year, w.title))
    for url in ("/people/hub-person/works/", "/themes/big-theme/works/"):
        listed = _see_all(client, url)
        assert listed == [(w.title, str(w.year)) for w in expected]


def test_see_all_shows_the_notes_the_list_shows(client, hub):
    person = Person.objects.get(slug="member-0003")
    lab = hub.organization
    AffiliationFactory(person=person, organization=lab, role="fellow", start_year=2020)
    shown = notes(groups_of(lab)["members"])
    listed = dict(_see_all(client, "/organizations/big-lab/members/"))
    assert listed["Member 0003"] == "researcher; fellow, since 2020"
    assert {title: listed[title] for title in shown} == shown
    coauthors = notes(groups_of(hub.person)["coauthors"])
    listed = dict(_see_all(client, "/people/hub-person/coauthors/"))
    assert {title: listed[title] for title in coauthors} == coauthors
    assert listed["Member 0149"] == "Paper 0149"


def test_see_all_of_an_unknown_list_or_page_is_a_404(client, hub):
    for url in (
        "/people/hub-person/nothing/",
        "/people/nobody/coauthors/",
        "/themes/big-theme/coauthors/",
        "/sources/nokey/cited-by/",
    ):
        assert client.get(url).status_code == 404, url


def test_an_unknown_list_of_a_live_page_names_the_lists_it_has(client, hub):
    response = client.get("/themes/big-theme/coauthors/")
    assert response.status_code == 404
    html = response.content.decode()
    assert _h1(html) == "No such list"
    assert "Big Theme has no list called “coauthors”." in html
    assert '<a href="/themes/big-theme/">Back to Big Theme</a>' in html
    listed = re.findall(r'<li><a href="(/themes/big-theme/[^"]+)">([^<]+)</a>', html)
    assert listed == [
        ("/themes/big-theme/people/", "People"),
        ("/themes/big-theme/works/", "Works"),
        ("/themes/big-theme/links-here/", "What links here"),
    ]


def test_see_all_of_a_deleted_page_is_gone_and_of_a_renamed_one_moves(client, hub):
    Page.objects.filter(pk=hub.person.pk).update(is_deleted=True)
    assert client.get("/people/hub-person/coauthors/").status_code == 410
    PageRedirect.objects.create(
        kind="organization", slug="old-lab", page=hub.organization
    )
    response = client.get("/organizations/old-lab/members/")
    assert response.status_code == 301
    assert response["Location"] == "/organizations/big-lab/members/"
    assert client.get("/organizations/old-lab/nothing/").status_code == 404


def test_a_see_all_page_past_the_end_shows_the_last_page(client, settings, hub):
    settings.LINEAGE_NAV_PAGE_SIZE = 100
    html = client.get("/people/hub-person/coauthors/?page=99").content.decode()
    assert "Page 2 of 2" in html
    assert client.get("/people/hub-person/coauthors/?page=x").status_code == 200


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _h1(html: str) -> str:
    return _text(html[html.index("<h1") : html.index("</h1>")]).replace(" :", ":")


@pytest.mark.parametrize(
    ("url", "heading", "title"),
    [
        (
            "/people/hub-person/links-here/",
            "What links here: Hub Person",
            "What links here · Hub Person · Lineage",
        ),
        (
            "/people/hub-person/colleagues/",
            "People in the same organizations: Hub Person",
            "People in the same organizations · Hub Person · Lineage",
        ),
        (
            "/organizations/big-lab/members/",
            "People: Big Lab",
            "People · Big Lab · Lineage",
        ),
        ("/works/paper-0000/cited-by/", "Cited by: Paper 0000", None),
        ("/sources/hubsource/cited-by/", "Cited by: {source}", None),
    ],
)
def test_a_see_all_heading_names_the_list_then_the_page(
    client, hub, url, heading, title
):
    heading = heading.format(source=hub.source.title)
    html = client.get(url).content.decode()
    assert _h1(html) == heading
    assert "<h1>" + heading.split(":")[0] + '<span class="of-page">: <a href="' in html
    if title:
        assert f"<title>{title}</title>" in html
        page_title = heading.split(": ")[1]
        assert f'<meta name="description" content="{page_title}: all ' in html


def test_a_later_see_all_page_says_its_number_in_the_title(client, settings, hub):
    settings.LINEAGE_NAV_PAGE_SIZE = 100
    html = client.get("/people/hub-person/coauthors/?page=2").content.decode()
    assert "<title>Co-authors · Hub Person · page 2 · Lineage</title>" in html
    html = client.get("/sources/hubsource/cited-by/?page=2").content.decode()
    assert f"<title>Pages citing {hub.source.title} · page 2 · Lineage</title>" in html


def _page_numbers(html: str) -> list[str]:
    listed = html[html.index('<ul class="page-numbers">') :]
    return _text(listed[: listed.index("</ul>")]).split()


@pytest.mark.parametrize(
    "url", ["/people/hub-person/coauthors/", "/sources/hubsource/cited-by/"]
)
def test_see_all_pages_link_to_pages_by_number(client, settings, hub, url):
    settings.LINEAGE_NAV_PAGE_SIZE = 10  # 150 entries: 15 pages
    first = client.get(url).content.decode()
    assert _page_numbers(first) == ["1", "2", "3", "…", "15"]
    assert '<span aria-current="page">1</span>' in first
    assert '<a href="?page=15" aria-label="Page 15">15</a>' in first
    middle = client.get(f"{url}?page=8").content.decode()
    assert _page_numbers(middle) == ["1", "…", "6", "7", "8", "9", "10", "…", "15"]
    assert '<span aria-current="page">8</span>' in middle
    assert '<a href="?page=8"' not in middle
    assert '<a href="?page=6" aria-label="Page 6">6</a>' in middle
    # The links are above the list as well as below it, each set named.
    above = middle.index('<nav class="pagination" aria-label="Pages, above the list">')
    below = middle.index('<nav class="pagination" aria-label="Pages, below the list">')
    assert above < middle.index('class="nav-list') < below
    # A list on one page has no page links at all.
    settings.LINEAGE_NAV_PAGE_SIZE = 200
    assert "page-numbers" not in client.get(url).content.decode()


def test_counts_of_a_thousand_or_more_have_thousands_separators(client, settings):
    """What a reader of a large site sees: "1,201", never "1201"."""
    settings.LINEAGE_NAV_PAGE_SIZE = 100
    target = PersonFactory(title="Famous", slug="famous")
    # Plain pages (no revisions needed to be linked from), linking to one person.
    linking = Page.objects.bulk_create(
        Page(kind="theme", title=f"Linker {n:04d}", slug=f"linker-{n:04d}")
        for n in range(1201)
    )
    PageLink.objects.bulk_create(
        PageLink(source=page, target=target, target_title="Famous") for page in linking
    )
    profile = client.get("/people/famous/").content.decode()
    assert 'What links here <span class="count">(1,201)</span>' in profile
    assert "See all 1,201 pages linking here</a>" in profile
    first = client.get("/people/famous/links-here/").content.decode()
    assert "1,201 pages linking here; 1–100 shown." in first
    assert "Page 1 of 13" in first
    last = client.get("/people/famous/links-here/?page=13").content.decode()
    assert "1,201 pages linking here; 1,201–1,201 shown." in last
    assert "<title>What links here · Famous · page 13 · Lineage</title>" in last


def test_a_source_cited_by_a_thousand_pages_counts_with_separators(client):
    source = SourceFactory(key="famous2020", title="Famous paper")
    citing = Page.objects.bulk_create(
        Page(kind="theme", title=f"Citer {n:04d}", slug=f"citer-{n:04d}")
        for n in range(1000)
    )
    Citation.objects.bulk_create(Citation(page=page, source=source) for page in citing)
    detail = client.get("/sources/famous2020/").content.decode()
    assert '<span class="count">(1,000)</span>' in detail
    assert "See all 1,000 citing pages</a>" in detail
    listed = client.get("/sources/famous2020/cited-by/").content.decode()
    assert "1,000 citing pages; 1–100 shown." in listed


def _sitemap_urls(client, url):
    xml = client.get(url).content.decode()
    return re.findall(r"<loc>http://testserver([^<]+)</loc>", xml)


def test_the_sitemap_index_covers_every_live_page_and_source_once(
    client, settings, hub
):
    settings.LINEAGE_SITEMAP_PAGE_SIZE = 40
    Page.objects.filter(slug="member-0007").update(is_deleted=True)
    sitemaps = _sitemap_urls(client, "/sitemap.xml")
    assert "/sitemap-people.xml?p=4" in sitemaps
    assert "/sitemap-people.xml?p=5" not in sitemaps
    listed = [url for sitemap in sitemaps for url in _sitemap_urls(client, sitemap)]
    live = [page.get_absolute_url() for page in Page.objects.published().specific()] + [
        "/sources/hubsource/"
    ]
    assert sorted(listed) == sorted(live)
    assert "/people/member-0007/" not in listed


def test_a_sitemap_page_past_the_end_or_unknown_is_a_404(client, hub):
    assert client.get("/sitemap-people.xml?p=2").status_code == 404
    assert client.get("/sitemap-people.xml?p=x").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_robots_txt_points_to_the_sitemap_index(client):
    assert (
        "Sitemap: http://testserver/sitemap.xml\n"
        in client.get("/robots.txt").content.decode()
    )


# Rows a view may read, whatever the size of the site: the hub lists hold 150
# entries each, so a list read whole would break these bounds.
@pytest.mark.parametrize(
    ("url", "rows", "queries"),
    [
        ("/people/hub-person/", 200, 14),
        ("/organizations/big-lab/", 55, 6),
        ("/themes/big-theme/", 55, 6),
        ("/works/paper-0000/", 85, 10),
        ("/sources/hubsource/", 30, 2),
        ("/people/hub-person/coauthors/", 210, 4),
        ("/people/hub-person/links-here/", 110, 3),
        ("/organizations/big-lab/members/", 210, 4),
        ("/themes/big-theme/works/", 110, 3),
        ("/works/paper-0000/cited-by/", 110, 3),
        ("/sources/hubsource/cited-by/", 110, 3),
        ("/sitemap.xml", 20, 12),
        ("/sitemap-people.xml", 110, 2),
    ],
)
def test_a_view_reads_a_bounded_number_of_rows(
    client, settings, hub, django_assert_num_queries, url, rows, queries
):
    settings.LINEAGE_SITEMAP_PAGE_SIZE = 100
    client.get(url)  # warm up: content types, the site
    with count_rows() as read, django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    assert read.total <= rows, read.report()


def test_page_views_on_a_generated_corpus_read_a_bounded_number_of_rows(client):
    """The biggest entity of each list of a generated corpus (tests/corpus.py):
    each view reads at most its fixed number of rows, beside its queries."""
    corpus = generate(people=300, works=600, seed=1)
    person = corpus.most_coauthors
    colleague = corpus.most_colleagues
    linked = corpus.most_linked
    source = corpus.most_cited
    views = {
        person.get_absolute_url(): 300,
        colleague.get_absolute_url(): 300,
        corpus.largest_theme.get_absolute_url(): 150,
        linked.get_absolute_url(): 300,
        corpus.largest_organization.get_absolute_url(): 150,
        corpus.most_authors.get_absolute_url(): 300,
        source.get_absolute_url(): 30,
        # 100 entries, and notes: at most 3 shared works per co-author, at
        # most the person's own organizations per colleague.
        f"{person.get_absolute_url()}coauthors/": 410,
        f"{colleague.get_absolute_url()}colleagues/": 410,
        f"{corpus.largest_theme.get_absolute_url()}people/": 110,
        f"{linked.get_absolute_url()}links-here/": 110,
        f"{corpus.largest_organization.get_absolute_url()}members/": 210,
        f"{source.get_absolute_url()}cited-by/": 110,
        "/sitemap.xml": 30,
        "/sitemap-works.xml": 1010,
    }
    assert corpus.coauthors > 24 and corpus.largest_theme_members > 100
    read = {}
    for url in views:
        client.get(url)
        with count_rows() as rows:
            assert client.get(url).status_code == 200, url
        read[url] = rows.total
    assert {url: n for url, n in read.items() if n > views[url]} == {}
