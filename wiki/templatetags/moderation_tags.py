from django import template

from wiki.models import Proposal

register = template.Library()


@register.simple_tag(takes_context=True)
def pending_changes(context, page) -> int:
    """How many proposals wait for review on ``page`` (for signed-in users only)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated or page.pk is None:
        return 0
    return Proposal.objects.pending().for_page(page).count()


@register.simple_tag
def page_kinds() -> list:
    """The page kinds, for "create this page as..." links."""
    from wiki import registry

    return registry.page_types()


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
