"""Builders for the editing and moderation tests: form data as a browser posts it."""

import uuid

from django.urls import reverse

from tests.forms import form_data
from wiki import limits, moderation
from wiki.editing import Editor
from wiki.services import latest_revision


def edit_url(page) -> str:
    return reverse(
        "moderation:page_edit", kwargs={"section": page.section, "slug": page.slug}
    )


def create_url(section: str) -> str:
    return reverse("moderation:page_create", kwargs={"section": section})


def form_of(client, url: str) -> dict:
    """The edit form at ``url`` as a browser would post it, unchanged."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return form_data(response.content.decode(), "edit-form")


def edit(page, *, summary: str = "An edit", minor: bool = False, **changes) -> dict:
    """POST data editing ``page`` (its current form data with ``changes``)."""
    data = page_data(page, **changes)
    revision = latest_revision(page)
    data["edit-summary"] = [summary]
    data["edit-base_revision"] = [str(revision.pk) if revision else ""]
    data["edit-token"] = [str(uuid.uuid4())]
    if minor:
        data["edit-minor"] = ["on"]
    return data


def page_data(page, **changes) -> dict:
    """The page's form data with ``changes`` (for the services)."""
    data = Editor(page.kind, page=type(page).objects.get(pk=page.pk)).initial_data()
    for name, value in changes.items():
        data[name] = value if isinstance(value, list) else [value]
    return data


def submit(page, author, *, summary="Improve", token=None, **changes):
    """Propose ``changes`` to ``page`` as ``author``, through the services."""
    prepared = moderation.edit_prepare(
        kind=page.kind,
        page=page,
        data=page_data(page, **changes),
        base_revision_id=latest_revision(page).pk,
    )
    return moderation.proposal_submit(
        kind=page.kind,
        page=page,
        data=prepared.data,
        base_revision=prepared.base_revision,
        base_data=prepared.base_data,
        summary=summary,
        minor=False,
        author=author,
        token=token,
    )


def lift_proposal_limits(user, *, by) -> None:
    """What a moderator does for a trusted contributor: no limit on how many
    proposals they file (for tests that need more than a new account may)."""
    limits.proposal_limits_set(user=user, lifted=True, by=by)
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)
