"""Which stored text fields the hostile site must fill, found by walking the
models of the site's apps: every CharField and TextField, but those listed
here with the reason no user text reaches them (or none is shown)."""

from django.apps import apps
from django.db import models

APPS = {"wiki", "people", "sources", "toykind", "auth", "reversion"}

NOT_USER_TEXT = {
    "wiki.Page.kind": "a registered kind's name",
    "wiki.Page.toc_html": "rendered from the headings (its view is scanned)",
    "wiki.Page.slug": "validated: lowercase letters, digits and hyphens",
    "wiki.KindTally.kind": "a registered kind's name",
    "wiki.PageRedirect.kind": "a registered kind's name",
    "wiki.PageRedirect.slug": "a validated slug",
    "wiki.RevisionMeta.action": "a choice",
    "wiki.RevisionVisibilityChange.hidden": "part names chosen by checkboxes",
    "wiki.RevisionVisibilityChange.shown": "part names chosen by checkboxes",
    "wiki.Proposal.kind": "a registered kind's name",
    "wiki.Proposal.status": "a choice",
    "wiki.Proposal.flags": "flag names the site sets",
    "wiki.Notification.verb": "a choice",
    "wiki.Comment.token": "a random token the form carries, never shown",
    "wiki.CommentEvent.action": "a choice",
    "wiki.PurgeRecord.kind": "a registered kind's name",
    "wiki.PurgeRecord.slug": "a validated slug",
    "wiki.SearchEntry.kind": "a registered kind's name",
    "wiki.AccountSignup.address_hash": "a keyed hash of an address, never shown",
    "wiki.ParagraphOrigin.digest": "a hash of a paragraph's text, never shown",
    "wiki.SearchEntry.url": "built by reverse() from the slug",
    "people.Organization.org_type": "a choice",
    "sources.Work.work_type": "a choice",
    "sources.Source.key": "validated: letters, digits and :.-_ only",
    "sources.Source.source_type": "a choice",
    "sources.Source.doi": "validated: 10.<digits>/<no spaces>",
    "sources.Source.arxiv_id": "validated: digits and dots",
    "sources.Work.doi": "validated: 10.<digits>/<no spaces>",
    "sources.Work.arxiv_id": "validated: digits and dots",
    "people.Person.orcid": "validated: digits and hyphens, with a checksum",
    "people.Person.wikidata": "validated: Q and digits",
    "people.Organization.wikidata": "validated: Q and digits",
    "people.Organization.ror": "validated: base-32 characters, with a checksum",
    "sources.SourceProposal.key": "a validated citation key",
    "sources.CitationUse.key": "a key the renderer parsed from [@key]: letters, "
    "digits and :.-_ only (sources.citations)",
    "auth.Permission.name": "set by migrations",
    "auth.Permission.codename": "set by migrations",
    "auth.Group.name": "set by migrations (the roles)",
    "auth.User.password": "a hash, never shown",
    "auth.User.username": "validated: letters, digits and @.+-_ only",
    "auth.User.first_name": "no form of the site offers it; the admin only",
    "auth.User.last_name": "no form of the site offers it; the admin only",
    "auth.User.email": "validated as an address; shown to its owner only",
    "reversion.Version.object_id": "a primary key",
    "reversion.Version.db": "a database alias",
    "reversion.Version.format": "the serializer's name",
}


def text_fields() -> list[tuple[type, str]]:
    """(model, field name) of every stored text field of the site's apps."""
    found = []
    for model in apps.get_models():
        if model._meta.app_label not in APPS:
            continue
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.CharField | models.TextField)
                and field.model is model
            ):
                found.append((model, field.name))
    return found


def label(model, name: str) -> str:
    return f"{model._meta.label}.{name}"
