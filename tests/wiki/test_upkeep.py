"""Derived data (pages linking to or citing what changed) is brought up to date
only once a publish commits: never in a rolled-back preview, never twice."""

import pytest
from django.db import transaction

from sources.models import Citation, Source
from sources.services import source_publish
from tests.factories import UserFactory
from wiki import services
from wiki.models import Page, Theme
from wiki.services import page_publish

pytestmark = pytest.mark.django_db

MISSING = 'class="wikilink wikilink-missing"'


@pytest.fixture
def user():
    return UserFactory(username="editor")


def theme(title: str, body: str = "", user=None) -> Theme:
    page = Theme(title=title, slug=title.lower().replace(" ", "-"), body=body)
    page_publish(page=page, user=user, summary="create")
    return page


def html_of(page) -> str:
    return Page.objects.get(pk=page.pk).body_html


def test_a_publish_turns_the_red_links_to_it_blue(user):
    linking = theme("Linking", "See [[Fresh Theme]].", user)
    assert MISSING in html_of(linking)
    fresh = theme("Fresh Theme", "", user)
    assert html_of(linking).count(f'href="{fresh.get_absolute_url()}"') == 1
    assert MISSING not in html_of(linking)


def test_a_rolled_back_publish_refreshes_nothing(user):
    linking = theme("Linking", "See [[Fresh Theme]].", user)
    with transaction.atomic():
        theme("Fresh Theme", "", user)
        transaction.set_rollback(True)  # what a preview does
    assert not Page.objects.filter(title="Fresh Theme").exists()
    assert MISSING in html_of(linking)


def test_upkeep_waits_for_the_outermost_block_and_runs_once(user, monkeypatch):
    linking = theme("Linking", "See [[Fresh Theme]].", user)
    calls = []
    real = services.rerender_pages_linking_to

    def counted(**kwargs):
        calls.append(kwargs["names"])
        return real(**kwargs)

    monkeypatch.setattr(services, "rerender_pages_linking_to", counted)
    with transaction.atomic():
        theme("Fresh Theme", "", user)
        assert calls == []
        assert MISSING in html_of(linking)
    assert len(calls) == 1
    assert MISSING not in html_of(linking)


def test_linking_pages_are_rendered_again_in_batches(user, monkeypatch):
    monkeypatch.setattr(services, "RERENDER_BATCH", 2)
    linking = [theme(f"Linking {n}", "See [[Fresh Theme]].", user) for n in range(5)]
    batches = []
    real = services.pages_rerender

    def counted(pages):
        batches.append(len(pages))
        return real(pages)

    monkeypatch.setattr(services, "pages_rerender", counted)
    theme("Fresh Theme", "", user)
    assert batches == [2, 2, 1]
    assert [MISSING in html_of(page) for page in linking] == [False] * 5


def test_a_source_edit_refreshes_citing_pages_after_commit(user):
    source = Source(key="smith2020", title="Old title")
    source_publish(source=source, user=user, summary="create")
    citing = theme("Citing", "A claim.[@smith2020]", user)
    assert Citation.objects.filter(page=citing, source=source).exists()
    assert 'title="Old title"' in html_of(citing)
    with transaction.atomic():
        source.title = "Previewed title"
        source_publish(source=source, user=user, summary="try")
        transaction.set_rollback(True)
    assert 'title="Old title"' in html_of(citing)
    source.title = "New title"
    source_publish(source=source, user=user, summary="retitle")
    assert 'title="New title"' in html_of(citing)
