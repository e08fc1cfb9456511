"""The API shows what the public site shows: never a pending proposal, a
deleted page or a hidden revision's text, summary or author."""

import pytest

from tests.api.conftest import get_json, walk
from tests.factories import PersonFactory, RelatedPageFactory, ThemeFactory, UserFactory
from tests.wiki.moderation_helpers import submit
from wiki.history import page_delete
from wiki.revision_visibility import revisions_set_visibility
from wiki.services import latest_revision, page_publish

pytestmark = pytest.mark.django_db


def everything(client, page_ids: list[int]) -> str:
    """Every response the API gives about these pages and the site's lists."""
    bodies = []

    def get(url):
        response = client.get(url)
        bodies.append(response.content.decode())
        return response

    lists = ["/api/pages/", "/api/changes/", "/api/sources/"]
    for url in lists:
        while url:
            url = get(url).json()["next"]
    for page_id in page_ids:
        detail = get(f"/api/pages/{page_id}/")
        if detail.status_code != 200:
            continue
        for value in detail.json().values():
            if isinstance(value, dict) and "url" in value:
                get(value["url"])
        for revision in walk(client, f"/api/pages/{page_id}/revisions/"):
            get(revision["api_url"])
    return "\n".join(bodies)


def test_a_pending_proposal_shows_nowhere(client, contributor):
    author = UserFactory()
    ada = PersonFactory.build(title="Ada Lovelace", slug="ada-lovelace", body="Ada.\n")
    page_publish(page=ada, user=author, summary="Create")
    submit(
        ada,
        contributor,
        summary="PENDING-SUMMARY-MARKER",
        body="Ada. PENDING-BODY-MARKER\n",
        title="PENDING-TITLE-MARKER",
    )
    seen = everything(client, [ada.pk])
    assert "Ada." in seen
    assert "PENDING-" not in seen


def test_a_deleted_page_shows_nowhere(client, moderator):
    theme = ThemeFactory.build(title="GONE-TITLE-MARKER", slug="gone")
    page_publish(page=theme, user=moderator, summary="Create")
    kept = ThemeFactory.build(title="Kept", slug="kept")
    page_publish(page=kept, user=moderator, summary="Create")
    RelatedPageFactory(page=kept, target=theme)
    page_delete(page=theme, user=moderator, reason="Not notable")
    assert get_json(client, f"/api/pages/{theme.pk}/", status=404) == {
        "error": "not_found",
        "detail": f"No live page has the id {theme.pk}.",
    }
    get_json(client, f"/api/pages/{theme.pk}/revisions/", status=404)
    seen = everything(client, [theme.pk, kept.pk])
    assert "Kept" in seen
    assert "GONE-TITLE-MARKER" not in seen
    assert get_json(client, f"/api/pages/{kept.pk}/")["related"]["count"] == 0


def test_hidden_text_summary_and_author_show_nowhere(client, moderator):
    writer = UserFactory(username="HIDDEN-AUTHOR-MARKER")
    ada = PersonFactory.build(
        title="HIDDEN-TITLE-MARKER", slug="ada-lovelace", body="HIDDEN-TEXT-MARKER\n"
    )
    page_publish(page=ada, user=writer, summary="HIDDEN-SUMMARY-MARKER")
    hidden = latest_revision(ada)
    ada.title = "Ada Lovelace"
    ada.body = "Clean text.\n"
    page_publish(page=ada, user=moderator, summary="Clean")
    revisions_set_visibility(
        page=ada,
        revision_ids=[hidden.pk],
        changes={"text": True, "summary": True, "author": True},
        reason="Libel",
        by=moderator,
    )
    revisions = walk(client, f"/api/pages/{ada.pk}/revisions/")
    assert [
        (r["author"], r["summary"], r["title"], r["hidden"]) for r in revisions
    ] == [
        ("mod", "Clean", "Ada Lovelace", []),
        (None, None, None, ["text", "summary", "author"]),
    ]
    for revision in revisions:  # the hidden one, and the one whose parent it is
        data = get_json(client, revision["api_url"], status=403)
        assert data == {
            "error": "hidden",
            "detail": f"The text of revision {hidden.pk} is hidden from the "
            "public, so this diff is not shown.",
        }
    seen = everything(client, [ada.pk])
    assert "Clean text." in seen
    assert "HIDDEN-" not in seen
