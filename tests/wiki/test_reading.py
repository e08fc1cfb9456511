"""What readers see: navigation between pages, indexes, and what machines read."""

import json
import re

import pytest

from people.models import Person
from sources.models import Work
from sources.seed import load_seed
from tests.factories import (
    AffiliationFactory,
    AuthorshipFactory,
    OrganizationFactory,
    PersonFactory,
    ThemeFactory,
    UserFactory,
    WorkFactory,
)
from wiki import registry, tallies
from wiki.models import Page
from wiki.services import latest_revision, page_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    load_seed()


def groups_of(slug, model=Person):
    page = model.objects.for_page_view().get(slug=slug)
    return {g.key: g for g in registry.navigation_for(page)}


def titles(group):
    return [item.page.title for item in group.items]


def test_coauthors_come_from_shared_works_with_the_works_they_share(seeded):
    coauthors = groups_of("alec-radford")["coauthors"]
    notes = {item.page.title: item.note for item in coauthors.items}
    assert notes["Luke Metz"] == "DCGAN"
    assert notes["Ilya Sutskever"] == "GPT"
    assert notes["John Schulman"] == "PPO"
    assert "Alec Radford" not in notes
    assert coauthors.count == 9


def test_works_are_listed_newest_first(seeded):
    works = groups_of("alec-radford")["works"]
    assert [item.page.short_title for item in works.items] == [
        "CLIP", "GPT-2", "GPT", "PPO", "DCGAN"
    ]  # fmt: skip


def test_curated_related_pages_are_grouped_by_kind_in_their_order(seeded):
    groups = groups_of("alec-radford")
    assert titles(groups["related-person"]) == ["Ilya Sutskever", "John Schulman"]
    assert titles(groups["related-organization"]) == ["OpenAI"]
    assert titles(groups["related-theme"])[:2] == [
        "Transformer Architecture", "Foundation Models"
    ]  # fmt: skip


def test_empty_groups_are_not_shown(seeded):
    groups = groups_of("luke-metz")
    assert "related-person" not in groups
    assert titles(groups["works"]) == [
        "Unsupervised Representation Learning with Deep Convolutional Generative "
        "Adversarial Networks"
    ]


def test_people_in_the_same_organization_and_sharing_themes():
    lab = OrganizationFactory(title="Lab")
    theme = ThemeFactory(title="Scaling")
    ada, bob, cy = (PersonFactory(title=n) for n in ("Ada", "Bob", "Cy"))
    AffiliationFactory(person=ada, organization=lab)
    AffiliationFactory(person=bob, organization=lab, role="engineer")
    ada.themes.add(theme)
    cy.themes.add(theme)
    groups = groups_of(ada.slug)
    assert titles(groups["colleagues"]) == ["Bob"]
    assert groups["colleagues"].items[0].note == "Lab"
    assert titles(groups["people-sharing-themes"]) == ["Cy"]
    assert groups["people-sharing-themes"].items[0].note == "Scaling"
    org_groups = {g.key: g for g in registry.navigation_for(lab)}
    assert titles(org_groups["members"]) == ["Ada", "Bob"]


def test_themes_list_their_people_and_works(seeded):
    from wiki.models import Theme

    groups = groups_of("release-governance", Theme)
    assert titles(groups["people"]) == ["Alec Radford"]
    assert [i.page.short_title for i in groups["works"].items] == ["GPT-2"]


def test_a_work_shows_the_pages_citing_it_and_linking_to_it(seeded):
    from sources.models import Work

    groups = groups_of("clip", Work)
    assert titles(groups["cited-by"]) == ["Alec Radford"]
    assert titles(groups["links-here"]) == ["Alec Radford"]


def test_deleted_pages_drop_out_of_navigation():
    ada, bob = PersonFactory(title="Ada"), PersonFactory(title="Bob", is_deleted=True)
    work = WorkFactory()
    AuthorshipFactory(work=work, person=ada, position=0)
    AuthorshipFactory(work=work, person=bob, position=1)
    assert "coauthors" not in groups_of(ada.slug)


def test_references_link_back_to_every_place_they_are_cited(client, seeded):
    html = client.get("/people/alec-radford/").content.decode()
    reference = re.search(r'<li id="ref-radford2015unsupervised">.*?</li>', html, re.S)
    assert 'href="#cite-radford2015unsupervised-1"' in reference.group(0)
    assert 'href="/sources/radford2015unsupervised/"' in reference.group(0)
    assert 'id="cite-radford2015unsupervised-1"' in html
    # A source attached but never cited inline is still listed, without backlinks.
    uncited = re.search(r'<li id="ref-theinformation2024radford">.*?</li>', html, re.S)
    assert "#cite-" not in uncited.group(0)


def test_a_citation_cited_twice_gets_lettered_backlinks(client):
    from tests.factories import SourceFactory

    SourceFactory(key="twice2020")
    page = PersonFactory.build(
        title="Ada", slug="ada", body="A.[@twice2020] B.[@twice2020]"
    )
    page_publish(page=page, user=UserFactory(), summary="cite")
    html = client.get("/people/ada/").content.decode()
    assert 'href="#cite-twice2020-1" aria-label="Back to citation a">a</a>' in html
    assert 'href="#cite-twice2020-2" aria-label="Back to citation b">b</a>' in html


def test_person_index_filters_by_theme_and_organization_and_jumps_by_letter(
    client, seeded
):
    html = client.get("/people/?theme=release-governance").content.decode()
    assert "Alec Radford" in html and "Luke Metz" not in html
    html = client.get("/people/?organization=openai").content.decode()
    assert "Alec Radford" in html and "Luke Metz" not in html
    html = client.get("/people/?letter=L").content.decode()
    assert "Luke Metz" in html and "Alec Radford" not in html
    assert 'href="?letter=A"' in html


def test_indexes_paginate(client):
    for n in range(55):
        PersonFactory(title=f"Person {n:02d}", slug=f"person-{n:02d}")
    tallies.refresh_all()  # the factory's pages bypassed the write path
    first = client.get("/people/").content.decode()
    assert "Page 1 of 2" in first and "Person 49" in first and "Person 50" not in first
    second = client.get("/people/?page=2").content.decode()
    assert "Person 50" in second
    assert client.get("/people/?page=999").status_code == 200  # the last page


def test_works_index_groups_by_year_and_filters_by_type(client, seeded):
    WorkFactory(title="A Model", work_type="model", year=2022)
    html = client.get("/works/").content.decode()
    years = re.findall(r'<h2 id="year-(\d+)">', html)
    assert years == sorted(years, reverse=True)
    assert "Alec Radford, Luke Metz, Soumith Chintala" in html
    html = client.get("/works/?type=model").content.decode()
    assert "A Model" in html and "DCGAN" not in html


@pytest.mark.parametrize(
    ("url", "queries"),
    [("/", 3), ("/people/", 5), ("/works/", 3), ("/themes/", 2),
     ("/organizations/", 2), ("/sources/", 3), ("/wanted/", 1),
     ("/works/clip/", 10), ("/themes/scaling/", 6), ("/organizations/openai/", 6),
     ("/sources/radford2021learning/", 2), ("/people/luke-metz/", 9)],
)  # fmt: skip
def test_public_pages_cost_a_fixed_number_of_queries(
    client, seeded, django_assert_num_queries, url, queries
):
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_wanted_pages_lists_missing_titles_most_linked_first(client):
    user = UserFactory()
    for n, body in enumerate(["[[Gone]] [[Lost]]", "[[gone]]", "[[Gone]]"]):
        page_publish(page=PersonFactory.build(title=f"P{n}", slug=f"p{n}", body=body),
                     user=user, summary="links")  # fmt: skip
    html = client.get("/wanted/").content.decode()
    assert html.index(">Gone</a>") < html.index(">Lost</a>")
    assert "3 linking pages" in html and "1 linking page<" in html


def test_profile_has_title_description_canonical_and_open_graph(client, seeded):
    html = client.get("/people/alec-radford/").content.decode()
    assert "<title>Alec Radford · Lineage</title>" in html
    assert '<meta name="description" content="Alec Radford is an AI researcher' in html
    assert (
        '<link rel="canonical" href="http://testserver/people/alec-radford/">' in html
    )
    assert '<meta property="og:type" content="profile">' in html
    assert '<meta property="og:title" content="Alec Radford">' in html


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_person_json_ld_has_affiliation_and_knows_about(client, seeded):
    data = json_ld(client.get("/people/alec-radford/").content.decode())
    assert data["@type"] == "Person"
    assert data["name"] == "Alec Radford"
    assert data["affiliation"][0]["name"] == "OpenAI"
    assert "Release governance" in data["knowsAbout"]


def test_paper_json_ld_is_a_scholarly_article_with_authors_in_order(client, seeded):
    data = json_ld(client.get("/works/ppo/").content.decode())
    assert data["@type"] == "ScholarlyArticle"
    assert [a["name"] for a in data["author"]][:2] == ["John Schulman", "Filip Wolski"]
    assert data["datePublished"] == "2017"


def test_json_ld_cannot_break_out_of_its_script_element(client):
    page = PersonFactory.build(title="</script><script>alert(1)</script>", slug="evil",
                               summary="a & b <i>")  # fmt: skip
    page_publish(page=page, user=UserFactory(), summary="evil")
    html = client.get("/people/evil/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert "<" not in block.group(1)
    assert json_ld(html)["name"] == "</script><script>alert(1)</script>"


def test_sitemap_lists_every_published_page_and_source(client, seeded):
    Page.objects.filter(slug="luke-metz").update(is_deleted=True)
    index = client.get("/sitemap.xml").content.decode()
    sections = re.findall(r"<loc>http://testserver(/sitemap-[a-z]+\.xml)</loc>", index)
    assert sections == [
        "/sitemap-themes.xml", "/sitemap-people.xml", "/sitemap-organizations.xml",
        "/sitemap-works.xml", "/sitemap-datasets.xml", "/sitemap-sources.xml",
    ]  # fmt: skip
    xml = "".join(client.get(url).content.decode() for url in sections)
    assert "http://testserver/people/alec-radford/" in xml
    assert "http://testserver/sources/radford2019language/" in xml
    assert "luke-metz" not in xml


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def test_very_long_titles_and_any_unicode_render(client):
    title = "Ünïcödé 中文 🙂 " + "x" * 240
    page_publish(page=PersonFactory.build(title=title, slug="long", body="[[" + title),
                 user=UserFactory(), summary="long")  # fmt: skip
    assert client.get("/people/long/").status_code == 200


def test_a_deleted_author_is_named_but_not_linked(client):
    work = WorkFactory(title="Paper", slug="paper")
    gone = PersonFactory(title="Gone Author", slug="gone-author", is_deleted=True)
    AuthorshipFactory(work=work, person=gone, position=0)
    html = client.get("/works/paper/").content.decode()
    assert "Gone Author" in html
    assert 'href="/people/gone-author/"' not in html


def _contents(html: str) -> list[str]:
    nav = html[
        html.index('<nav class="toc"') : html.index(
            "</nav>", html.index('<nav class="toc"')
        )
    ]
    return re.findall(r'<a href="#[^"]+">([^<]+)</a>', nav)


def test_contents_list_every_section_of_the_profile(client, seeded):
    html = client.get("/people/alec-radford/").content.decode()
    assert _contents(html) == [
        "DCGAN and Representation Learning",
        "GPT and Unsupervised Pretraining",
        "GPT-2 and Release Governance",
        "CLIP and Multimodal Learning",
        "Research Style and Influence",
        "Career timeline",
        "Spiralist Reading",
        "Open questions",
        "Network",
        "Related pages",
        "References",
    ]
    for anchor in (
        "timeline-heading",
        "reading-heading",
        "questions-heading",
        "graph-heading",
        "navigation-heading",
    ):
        assert f'id="{anchor}"' in html
    assert 'id="references-heading"' in html


def test_an_infobox_with_nothing_to_show_is_not_shown(client):
    author = UserFactory()
    bare_person = PersonFactory.build(title="Bare Person", slug="bare-person")
    bare_org = OrganizationFactory.build(title="Bare Lab", slug="bare-lab")
    bare_work = WorkFactory.build(
        title="Bare Work", slug="bare-work", year=None, venue="", url=""
    )
    for page in (bare_person, bare_org, bare_work):
        for name in ("known_for", "why_they_matter", "portrait_url"):
            if hasattr(page, name):
                setattr(page, name, "")
        if hasattr(page, "org_type"):
            page.org_type, page.founded_year, page.website = "", None, ""
        page_publish(page=page, user=author, summary="Create")
        html = client.get(page.get_absolute_url()).content.decode()
        assert 'class="infobox"' not in html, page.title
    filled = OrganizationFactory.build(title="Full Lab", slug="full-lab", website="")
    filled.founded_year = 2015
    page_publish(page=filled, user=author, summary="Create")
    html = client.get(filled.get_absolute_url()).content.decode()
    assert "<dt>Founded</dt><dd>2015</dd>" in html


def test_an_organization_listed_twice_on_a_person_is_shown_once(client):
    author = UserFactory()
    lab = OrganizationFactory(title="Deep Lab", slug="deep-lab")
    person = PersonFactory(title="Jo Twice", slug="jo-twice")
    AffiliationFactory(
        person=person,
        organization=lab,
        role="intern",
        start_year=2014,
        end_year=2015,
        position=0,
    )
    AffiliationFactory(
        person=person, organization=lab, role="researcher", start_year=2016, position=1
    )
    page_publish(page=person, user=author, summary="Roles")
    html = client.get("/people/jo-twice/").content.decode()
    infobox = html[html.index('class="infobox"') : html.index("</aside>")]
    assert infobox.count(">Deep Lab</a>") == 1
    assert ">Deep Lab</a>, intern, 2014 – 2015; researcher, since 2016</li>" in infobox
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )
    assert [org["name"] for org in data["affiliation"]] == ["Deep Lab"]


def test_what_links_here_counts_pages_listing_it_as_related(seeded):
    links_here = groups_of("clip", model=Work)["links-here"]
    notes = {item.page.title: item.note for item in links_here.items}
    assert notes["Alec Radford"] == ""  # links in its text (and lists it)
    assert links_here.count == len(links_here.items)
    page = PersonFactory(title="Only Related", slug="only-related")
    page_publish(page=page, user=UserFactory(), summary="Create")
    clip = Work.objects.get(slug="clip")
    page.related_links.create(target=clip, position=0)
    links_here = groups_of("clip", model=Work)["links-here"]
    notes = {item.page.title: item.note for item in links_here.items}
    assert notes["Only Related"] == "as a related page"


def test_the_username_in_the_header_leads_to_the_users_page(client):
    user = UserFactory(username="reader1")
    client.force_login(user)
    html = client.get("/").content.decode()
    assert (
        '<a href="/users/reader1/" title="Your page: your edits and contributions">'
        "reader1</a>" in html
    )


def test_printing_shows_the_permanent_link_and_hides_edit_controls(client, seeded):
    person = Person.objects.get(slug="alec-radford")
    html = client.get("/people/alec-radford/").content.decode()
    revision = latest_revision(person)
    assert (
        '<p class="print-only permalink">Permanent link: '
        f"http://testserver/people/alec-radford/revisions/{revision.pk}/</p>"
    ) in html
