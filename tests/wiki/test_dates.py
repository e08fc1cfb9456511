"""Partial dates: a day must be one its month has, in every form and in the database."""

import pytest
from django.db import IntegrityError, transaction

from sources.models import Source, Work
from tests.factories import SourceFactory, UserFactory, WorkFactory
from tests.forms import form_data
from tests.wiki.moderation_helpers import edit, edit_url
from wiki.models import Proposal
from wiki.services import page_publish

pytestmark = pytest.mark.django_db

NO_SUCH_DAY = "That month has no such day"


@pytest.fixture
def work(db):
    work = WorkFactory.build(title="A Paper", slug="a-paper", year=2019)
    page_publish(page=work, user=UserFactory(username="author"), summary="Create")
    return work


@pytest.mark.parametrize(
    ("year", "month", "day"),
    [(2019, 2, 29), (2019, 2, 30), (2024, 2, 30), (1900, 2, 29), (2019, 4, 31)],
)
def test_the_edit_form_refuses_a_day_the_month_does_not_have(
    client, contributor, work, year, month, day
):
    client.force_login(contributor)
    data = edit(work, body="Kept text.", year=str(year), month=str(month), day=str(day))
    response = client.post(edit_url(work), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert NO_SUCH_DAY in html
    assert form_data(html, "edit-form")["body"] == "Kept text."
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("year", "month", "day"),
    [(2024, 2, 29), (2000, 2, 29), (2019, 1, 31), (2019, 4, 30), (2019, 12, 31)],
)
def test_the_edit_form_accepts_every_day_the_month_has(
    client, contributor, work, year, month, day
):
    client.force_login(contributor)
    data = edit(work, year=str(year), month=str(month), day=str(day))
    assert client.post(edit_url(work), data).status_code == 302
    assert Proposal.objects.get().title == "A Paper"


def test_the_admin_refuses_a_sources_impossible_day(admin_client):
    url = "/admin/sources/source/add/"
    data = form_data(admin_client.get(url).content.decode(), "source_form")
    data.update(
        {
            "key": "paper2019",
            "title": "A Paper",
            "year": "2019",
            "month": "4",
            "day": "31",
            "_save": "Save",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert NO_SUCH_DAY in response.content.decode()
    assert not Source.objects.filter(key="paper2019").exists()


@pytest.mark.parametrize("model", [Work, Source])
def test_the_database_refuses_an_impossible_day(model):
    row = WorkFactory.build() if model is Work else SourceFactory.build()
    row.year, row.month, row.day = 2023, 2, 29
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()
