"""A kind declared in one module of a test-only app (tests/toykind/kinds.py)
gets the whole site through its real URLs, with nothing in wiki/ naming it."""

import re
import uuid

import pytest
from django.urls import reverse
from reversion.models import Revision

from tests.forms import form_data
from tests.toykind.models import Dataset
from tests.wiki.moderation_helpers import create_url
from wiki import history
from wiki.models import Page, Proposal, RevisionMeta
from wiki.services import latest_revision

pytestmark = pytest.mark.django_db


def url(name, page, **kwargs):
    return reverse(
        f"wiki:{name}", kwargs={"section": page.section, "slug": page.slug, **kwargs}
    )


def edit_form(client, address: str, **changes) -> dict:
    response = client.get(address)
    assert response.status_code == 200
    data = form_data(response.content.decode(), "edit-form")
    data["edit-token"] = str(uuid.uuid4())
    return {**data, **changes}


def review_form(client, proposal, form_id: str, **values) -> dict:
    html = client.get(reverse("moderation:review_detail", args=[proposal.pk]))
    return {**form_data(html.content.decode(), form_id), **values}


@pytest.fixture
def webtext(client, contributor, moderator):
    """WebText, proposed by a contributor and approved by a moderator."""
    client.force_login(contributor)
    address = create_url("datasets") + "?title=WebText"
    data = edit_form(
        client,
        address,
        summary="Outbound links from Reddit.",
        licence="Unreleased",
        **{"edit-summary": "New dataset"},
    )
    client.post(create_url("datasets"), data)
    proposal = Proposal.objects.get(kind="dataset")
    client.force_login(moderator)
    approve = review_form(client, proposal, "approve-form", note="Fine")
    client.post(reverse("moderation:review_approve", args=[proposal.pk]), approve)
    client.logout()
    return Dataset.objects.get(slug="webtext")


def publish_edit(client, moderator, dataset, summary: str, **changes) -> None:
    client.force_login(moderator)
    address = reverse(
        "moderation:page_edit", kwargs={"section": "datasets", "slug": dataset.slug}
    )
    data = edit_form(client, address, **changes, **{"edit-summary": summary})
    response = client.post(address, data)
    assert response.status_code == 302
    client.logout()


def test_a_contributor_proposes_a_dataset_and_a_moderator_approves_it(
    client, webtext, contributor, moderator
):
    response = client.get("/datasets/webtext/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 id="page-title">WebText</h1>' in html
    assert "<dt>Licence</dt><dd>Unreleased</dd>" in html
    assert '"@type": "Dataset"' in html
    assert (webtext.kind, webtext.licence) == ("dataset", "Unreleased")
    revision = latest_revision(webtext)
    assert (revision.user, revision.meta.approved_by) == (contributor, moderator)


def test_a_moderator_edits_a_dataset_and_it_publishes_at_once(
    client, webtext, moderator
):
    publish_edit(client, moderator, webtext, "Licence known", licence="MIT")

    assert Dataset.objects.get(pk=webtext.pk).licence == "MIT"
    assert history.latest_entry(webtext).summary == "Licence known"
    assert Revision.objects.count() == 2


def test_the_review_page_shows_a_proposed_change_to_a_dataset_as_a_diff(
    client, webtext, contributor, moderator
):
    client.force_login(contributor)
    address = reverse(
        "moderation:page_edit", kwargs={"section": "datasets", "slug": "webtext"}
    )
    data = edit_form(
        client, address, summary="Links from Reddit.", **{"edit-summary": "Shorter"}
    )
    client.post(address, data)
    proposal = Proposal.objects.get(kind="dataset", status="pending")
    client.force_login(moderator)

    html = client.get(
        reverse("moderation:review_detail", args=[proposal.pk])
    ).content.decode()

    assert "<del>Outbound links</del><ins>Links</ins>" in html


def test_history_diff_and_revert_of_a_dataset(client, webtext, moderator):
    publish_edit(client, moderator, webtext, "Licence known", licence="MIT")
    first, second = Revision.objects.order_by("pk").values_list("pk", flat=True)

    history_html = client.get(url("page_history", webtext)).content.decode()
    diff_html = client.get(
        f"{url('page_diff', webtext)}?from={first}&to={second}"
    ).content.decode()

    assert re.findall(r'id="revision-(\d+)"', history_html) == [
        str(second),
        str(first),
    ]
    assert "Licence known" in history_html
    assert "<h3>Licence</h3>" in diff_html
    assert "<del>Unreleased</del> → <ins>MIT</ins>" in diff_html
    client.force_login(moderator)
    address = url("revision_revert", webtext, revision_id=first)
    data = form_data(client.get(address).content.decode())
    data["summary"] = "Not known after all"
    response = client.post(address, data)
    assert response["Location"] == url("page_history", webtext)
    assert Dataset.objects.get(pk=webtext.pk).licence == "Unreleased"
    assert history.latest_entry(webtext).action == RevisionMeta.Action.REVERT


def test_the_datasets_index_lists_it_and_offers_to_create_one(client, webtext):
    html = client.get("/datasets/").content.decode()

    assert '<li><a href="/datasets/webtext/">WebText</a> <span class="note">' in html
    assert '<a class="button" href="/datasets/new/">Create a page</a>' in html


def test_the_header_and_the_home_page_link_to_the_datasets(client, webtext):
    html = client.get("/").content.decode()

    header = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    assert '<a href="/datasets/">Datasets</a>' in header
    assert (
        '<li><a href="/datasets/">Datasets</a> <span class="count">1</span></li>'
        in html
    )


def test_the_sitemap_lists_the_dataset(client, webtext):
    index = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/sitemap-datasets.xml</loc>" in index
    xml = client.get("/sitemap-datasets.xml").content.decode()
    assert "<loc>http://testserver/datasets/webtext/</loc>" in xml


def test_a_wikilink_to_the_dataset_is_blue(client, webtext, moderator):
    client.force_login(moderator)
    data = edit_form(
        client,
        create_url("themes") + "?title=Scaling",
        body="Trained on [[WebText]].",
        **{"edit-summary": "New theme"},
    )
    assert client.post(create_url("themes"), data).status_code == 302

    html = client.get("/themes/scaling/").content.decode()

    assert '<a class="wikilink" href="/datasets/webtext/">WebText</a>' in html


def test_a_missing_title_offers_to_create_it_as_a_dataset(client):
    html = client.get("/go/?title=The Pile").content.decode()

    assert (
        '<a href="/datasets/new/?title=The%20Pile" rel="nofollow">dataset</a>' in html
    )


def test_an_unknown_kind_is_a_validation_error():
    page = Page(kind="spreadsheet", title="Sheet", slug="sheet")

    with pytest.raises(Exception, match="not a registered kind"):
        page.full_clean()
