from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from wiki import sections
from wiki.models import Proposal

register = template.Library()


PENDING_LINKS = 5


@dataclass
class PendingChanges:
    """The proposals waiting for review on a page, as a signed-in reader sees
    them: how many, and links to those they may open (a moderator's review
    entries, or else the reader's own proposals), oldest first."""

    count: int
    shown: list[Proposal]
    reviewer: bool

    @property
    def more(self) -> int:
        return self.count - len(self.shown) if self.reviewer else 0

    def __bool__(self) -> bool:
        return self.count > 0


@register.simple_tag(takes_context=True)
def pending_changes(context, page) -> PendingChanges | None:
    """The proposals waiting on ``page``, for signed-in users only (one query
    when there are none, two otherwise)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated or page.pk is None:
        return None
    pending = Proposal.objects.pending().for_page(page)
    count = pending.count()
    if not count:
        return None
    reviewer = request.user.has_perm("wiki.review_proposal")
    if not reviewer:
        pending = pending.by(request.user)
    shown = pending.select_related("author").order_by("created_at", "pk")
    return PendingChanges(count, list(shown[:PENDING_LINKS]), reviewer)


@register.simple_tag
def page_kinds() -> list:
    """The page kinds, for "create this page as..." links."""
    from wiki import registry

    return registry.page_types()


@register.simple_tag
def body_with_section_links(page) -> SafeString:
    """The page's rendered body with an edit link beside each section heading."""
    url = reverse(
        "moderation:page_edit", kwargs={"section": page.section, "slug": page.slug}
    )
    html = sections.edit_links(page.body_html, text=page.body, url=url)
    return mark_safe(html)  # noqa: S308 (the sanitised body, and our links)


@register.simple_tag
def proposal_record(proposal) -> dict | None:
    """For a proposal of a record kind (a source): its ``kind`` (label), the
    ``record`` it changes (None while a new one is proposed) and that record's
    ``history_url``; None for a page's proposal."""
    from wiki import registry

    record_kind = registry.record_kind(proposal.kind)
    if record_kind is None:
        return None
    record = record_kind.record_of(proposal)
    return {
        "kind": record_kind.label,
        "record": record,
        "history_url": record_kind.history_url(record) if record else "",
    }
