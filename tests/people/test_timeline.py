"""A person's career timeline (people/timeline.py): affiliations as spans and
works as points, oldest first, years in text, from what the page reads already."""

import re
from html import unescape

import pytest
from django.test import override_settings

from sources.seed import load_seed
from tests.factories import (
    AffiliationFactory,
    AuthorshipFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
    WorkFactory,
)
from wiki.services import page_publish

pytestmark = pytest.mark.django_db

ENTRY = re.compile(
    r'<li class="timeline-entry timeline-(span|point)">\s*'
    r'<span class="timeline-years">([^<]*)</span>\s*'
    r"<span>(?:<a href=\"([^\"]*)\">)?([^<]*)(?:</a>)?\s*"
    r'<span class="timeline-what">([^<]*)</span>'
)


def timeline_of(client, url: str) -> list[tuple[str, ...]]:
    html = client.get(url).content.decode()
    section = re.search(r'<section class="career-timeline".*?</section>', html, re.S)
    assert section, "no timeline"
    return [
        tuple(unescape(part) for part in entry)
        for entry in ENTRY.findall(section.group(0))
    ]


def test_the_seed_profile_lists_its_works_by_year_and_its_undated_role_last(client):
    load_seed()
    assert timeline_of(client, "/people/alec-radford/") == [
        ("point", "2015", "/works/dcgan/", "DCGAN", "work"),
        ("point", "2017", "/works/ppo/", "PPO", "work"),
        ("point", "2018", "/works/gpt/", "GPT", "work"),
        ("point", "2019", "/works/gpt-2/", "GPT-2", "work"),
        ("point", "2021", "/works/clip/", "CLIP", "work"),
        (
            "span",
            "Undated",
            "/organizations/openai/",
            "OpenAI",
            "senior researcher, affiliation",
        ),
    ]


def _career(person, *, works):
    """Publish ``person`` with three affiliations and ``works`` works by year."""
    lab = OrganizationFactory(title="Lab", slug="lab")
    startup = OrganizationFactory(title="Startup", slug="startup")
    society = OrganizationFactory(title="Society", slug="society")

    def related():
        AffiliationFactory(
            person=person,
            organization=startup,
            role="founder",
            start_year=2016,
            position=0,
        )
        AffiliationFactory(
            person=person,
            organization=lab,
            role="student",
            start_year=2010,
            end_year=2014,
            position=1,
        )
        AffiliationFactory(person=person, organization=society, role="", position=2)
        for year, title in works:
            work = WorkFactory(title=title, slug=title.lower(), year=year)
            AuthorshipFactory(person=person, work=work, position=0)

    page_publish(
        page=person, user=UserFactory(), summary="create", save_related=related
    )


def test_spans_and_points_go_by_year_open_spans_run_to_the_present(client):
    person = PersonFactory.build(title="Grace", slug="grace")
    _career(person, works=[(2016, "Compiler"), (2012, "Thesis"), (None, "Notes")])
    assert timeline_of(client, "/people/grace/") == [
        ("span", "2010–2014", "/organizations/lab/", "Lab", "student, affiliation"),
        ("point", "2012", "/works/thesis/", "Thesis", "work"),
        (
            "span",
            "2016–present",
            "/organizations/startup/",
            "Startup",
            "founder, affiliation",
        ),
        ("point", "2016", "/works/compiler/", "Compiler", "work"),
        ("span", "Undated", "/organizations/society/", "Society", "affiliation"),
        ("point", "Undated", "/works/notes/", "Notes", "work"),
    ]


@override_settings(LINEAGE_NAV_LIST_SIZE=2)
def test_the_timeline_shows_the_bounded_works_list_and_links_to_all(client):
    person = PersonFactory.build(title="Grace", slug="grace")
    _career(person, works=[(2001, "One"), (2002, "Two"), (2003, "Three")])
    entries = timeline_of(client, "/people/grace/")
    assert [e[3] for e in entries if e[0] == "point"] == ["Two", "Three"]
    html = client.get("/people/grace/").content.decode()
    assert (
        'The timeline shows the 2 newest works: <a href="/people/grace/works/">'
        "see all 3 works</a>." in html
    )


def test_a_person_with_neither_roles_nor_works_has_no_timeline(client):
    person = PersonFactory.build(title="Quiet", slug="quiet")
    page_publish(page=person, user=UserFactory(), summary="create")
    html = client.get("/people/quiet/").content.decode()
    assert "Career timeline" not in html
