import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from people.models import Affiliation
from tests.factories import (
    AffiliationFactory,
    AuthorshipFactory,
    OrganizationFactory,
    PersonFactory,
    SourceFactory,
    ThemeFactory,
    WorkFactory,
)
from wiki.models import Page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "end"),
    [((2020, None), (2019, None)), ((2020, 6), (2020, 5))],
)
def test_affiliation_cannot_end_before_it_starts(start, end):
    affiliation = AffiliationFactory.build(
        person=PersonFactory(),
        organization=OrganizationFactory(),
        start_year=start[0],
        start_month=start[1],
        end_year=end[0],
        end_month=end[1],
    )
    with pytest.raises(ValidationError, match="The end date is before the start date"):
        affiliation.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        affiliation.save()


@pytest.mark.parametrize(
    ("start", "end"),
    [((2020, None), (2020, 3)), ((2020, 6), (2020, None)), ((None, None), (2024, 12))],
)
def test_affiliation_dates_that_make_sense_are_accepted(start, end):
    AffiliationFactory(
        start_year=start[0], start_month=start[1], end_year=end[0], end_month=end[1]
    )


def test_affiliation_month_needs_a_year():
    affiliation = AffiliationFactory.build(
        person=PersonFactory(), organization=OrganizationFactory(), end_month=12
    )
    with pytest.raises(ValidationError, match="Give an end year with the end month"):
        affiliation.full_clean()


def test_affiliation_periods_read_naturally():
    assert Affiliation(start_year=2016, end_year=2024, end_month=12).period_display == (
        "2016 – December 2024"
    )
    assert Affiliation(start_year=2016).period_display == "since 2016"
    assert Affiliation().period_display == ""


def test_slug_is_unique_per_kind_but_kinds_may_share_one():
    PersonFactory(slug="clip")
    WorkFactory(slug="clip")  # another kind: allowed
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(slug="clip")


def test_slug_must_be_readable():
    person = PersonFactory.build(slug="Not A Slug!")
    with pytest.raises(ValidationError) as error:
        person.full_clean(exclude=["kind"])
    assert "slug" in error.value.message_dict


def test_citation_keys_are_unique_and_well_formed():
    SourceFactory(key="radford2019language")
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceFactory(key="radford2019language")
    bad = SourceFactory.build(key="2019 has spaces")
    with pytest.raises(ValidationError, match="citation key starts with a letter"):
        bad.full_clean()


def test_one_author_per_position_in_a_work():
    work = WorkFactory()
    AuthorshipFactory(work=work, position=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        AuthorshipFactory(work=work, position=0)


def test_every_page_kind_has_a_readable_url_and_name():
    pages = {
        "/people/ada/": PersonFactory(title="Ada", slug="ada"),
        "/organizations/lab/": OrganizationFactory(title="Lab", slug="lab"),
        "/works/paper/": WorkFactory(title="Paper", slug="paper"),
        "/themes/scaling/": ThemeFactory(title="Scaling", slug="scaling"),
    }
    for url, page in pages.items():
        assert page.get_absolute_url() == url
        assert str(page) == page.title
        base = Page.objects.get(pk=page.pk)
        assert base.get_absolute_url() == url
        assert type(base.specific) is type(page)
    source = SourceFactory(key="k2020", title="T")
    assert source.get_absolute_url() == "/sources/k2020/"
    assert str(source) == "k2020: T"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "https://upload.wikimedia.org/ada.jpg",
            "https://upload.wikimedia.org/ada.jpg",
        ),
        ("//upload.wikimedia.org/ada.jpg", "https://upload.wikimedia.org/ada.jpg"),
        ("https://tracker.example/ada.jpg", None),
        ("", None),
    ],
)
def test_a_portrait_is_shown_only_from_an_allowed_host(url, shown):
    assert PersonFactory.build(portrait_url=url).portrait_src == shown


def test_a_profile_leaves_out_a_portrait_from_another_host(client):
    person = PersonFactory(portrait_url="https://tracker.example/ada.jpg")
    response = client.get(person.get_absolute_url())
    assert response.status_code == 200
    assert "tracker.example" not in response.content.decode()
