"""A small generated corpus for tests that need a site with some size to it
(row-count guards, bounded lists, "see all" pages).

    from tests.corpus import generate

    def test_theme_page_reads_a_bounded_number_of_rows(client, db):
        corpus = generate(people=300, works=600, seed=1)
        response = client.get(corpus.largest_theme.get_absolute_url())

or use the ``small_corpus`` fixture (import it into a test module or a
conftest).  The corpus is what ``manage.py generate_pages`` makes (see
``sources/generate.py``), on top of whatever the test made before.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

import pytest

from people.models import Affiliation, Organization, Person
from sources.generate import Generator, Report
from sources.models import Authorship, Citation, Source, Work
from wiki.models import Page, PageLink, Theme


@dataclass(frozen=True)
class Corpus:
    """What a test needs to find the big cases of a generated corpus."""

    report: Report  # counts of what was made
    largest_theme: Theme
    largest_theme_members: int  # people and works
    most_linked: Page  # the page most pages link to
    most_linked_count: int
    most_colleagues: Person  # the person sharing organizations with most people
    colleagues: int
    most_coauthors: Person
    coauthors: int
    largest_organization: Organization
    organization_members: int  # distinct people
    most_authors: Work
    authors: int
    most_cited: Source
    citing_pages: int


def generate(*, people: int = 300, works: int = 600, seed: int = 1) -> Corpus:
    """Generate a corpus (in the test's database) and find its big cases."""
    report = Generator(people=people, works=works, seed=seed).run()
    return summarize(report)


def _top(counter: Counter) -> tuple[int, int]:
    # The largest count; the lowest id among equals, so that it is stable.
    return min(counter.items(), key=lambda item: (-item[1], item[0]))


def summarize(report: Report) -> Corpus:
    members: Counter = Counter()
    for model in (Person, Work):
        through = model.themes.through
        members.update(through.objects.values_list("theme_id", flat=True))
    theme_id, theme_members = _top(members)

    linked = Counter(
        PageLink.objects.filter(target__isnull=False).values_list(
            "target_id", flat=True
        )
    )
    linked_id, linked_count = _top(linked)

    people_at = defaultdict(set)
    for person_id, org_id in Affiliation.objects.values_list(
        "person_id", "organization_id"
    ):
        people_at[org_id].add(person_id)
    colleagues: dict[int, set] = defaultdict(set)
    for group in people_at.values():
        for person_id in group:
            colleagues[person_id] |= group
    colleague_counts = Counter({pk: len(c) - 1 for pk, c in colleagues.items()})
    colleague_id, colleague_count = _top(colleague_counts)
    org_id, org_members = _top(Counter({k: len(v) for k, v in people_at.items()}))

    authors_of = defaultdict(set)
    for work_id, person_id in Authorship.objects.values_list("work_id", "person_id"):
        authors_of[work_id].add(person_id)
    coauthors: dict[int, set] = defaultdict(set)
    for group in authors_of.values():
        for person_id in group:
            coauthors[person_id] |= group - {person_id}
    coauthor_id, coauthor_count = _top(
        Counter({pk: len(c) for pk, c in coauthors.items()})
    )
    work_id, author_count = _top(Counter({k: len(v) for k, v in authors_of.items()}))
    cited_id, cited_count = _top(
        Counter(Citation.objects.values_list("source_id", flat=True))
    )
    return Corpus(
        report=report,
        largest_theme=Theme.objects.get(pk=theme_id),
        largest_theme_members=theme_members,
        most_linked=Page.objects.get(pk=linked_id).specific,
        most_linked_count=linked_count,
        most_colleagues=Person.objects.get(pk=colleague_id),
        colleagues=colleague_count,
        most_coauthors=Person.objects.get(pk=coauthor_id),
        coauthors=coauthor_count,
        largest_organization=Organization.objects.get(pk=org_id),
        organization_members=org_members,
        most_authors=Work.objects.get(pk=work_id),
        authors=author_count,
        most_cited=Source.objects.get(pk=cited_id),
        citing_pages=cited_count,
    )


@pytest.fixture
def small_corpus(db) -> Corpus:
    """300 people and 600 works (about 925 pages), seed 1."""
    return generate(people=300, works=600, seed=1)
