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
