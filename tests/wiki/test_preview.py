import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

PREVIEW = "/preview/markdown/"


def test_markdownx_uses_our_sanitising_renderer():
    assert settings.MARKDOWNX_MARKDOWNIFY_FUNCTION == "wiki.markdown.markdownify"
    assert settings.MARKDOWNX_URLS_PATH == PREVIEW == reverse("wiki:markdown_preview")


@pytest.mark.django_db
def test_anonymous_users_cannot_preview(client):
    response = client.post(PREVIEW, {"content": "hi"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_preview_without_content_is_a_400_not_a_500(client):
    client.force_login(UserFactory())
    response = client.post(PREVIEW, {})
    assert response.status_code == 400
    assert b"content" in response.content


@pytest.mark.django_db
def test_preview_only_answers_post(client):
    client.force_login(UserFactory())
    assert client.get(PREVIEW).status_code == 405


@pytest.mark.django_db
def test_preview_renders_sanitised_html(client):
    client.force_login(UserFactory())
    response = client.post(
        PREVIEW,
        {
            "content": "## Title\n\n"
            '<img src=x onerror="alert(1)"> <script>bad()</script>'
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert '<h2 id="title">Title</h2>' in body
    assert "onerror" not in body
    assert "<script" not in body


@pytest.mark.django_db
def test_preview_refuses_huge_text_with_a_message(client, settings):
    settings.LINEAGE_MAX_BODY_CHARS = 100
    client.force_login(UserFactory())
    response = client.post(PREVIEW, {"content": "x" * 101})
    assert response.status_code == 400
    assert b"too long" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/markdownx/upload/", "/markdownx/markdownify/"])
def test_markdownx_own_views_are_not_mounted(client, path):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.post(path, {"content": "x"}).status_code == 404


@pytest.mark.django_db
def test_preview_refuses_too_many_links_with_a_400_that_says_so(client, settings):
    settings.LINEAGE_MARKDOWN_MAX_LINKS = 2
    client.force_login(UserFactory())
    response = client.post(PREVIEW, {"content": "[[A]] [[B]] [@c]"})
    assert response.status_code == 400
    assert response.content.decode() == (
        "This text has 3 [[links]] and [@citations]; a field may have at most 2. "
        "Link a page once where it matters, or split the text."
    )


@pytest.mark.django_db
def test_preview_of_five_hundred_nested_list_items_renders_them_flat(client):
    client.force_login(UserFactory())
    response = client.post(PREVIEW, {"content": "- " * 500 + "x"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<ul>") == 16
    assert "<li>" + "- " * 484 + "x</li>" in body


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["[[" * 3000, "[" * 4000, "[@" * 3000])
def test_preview_of_bracket_runs_renders_them_as_text(client, text):
    client.force_login(UserFactory())
    response = client.post(PREVIEW, {"content": text})
    assert response.status_code == 200
    assert response.content.decode() == f"<p>{text}</p>"
