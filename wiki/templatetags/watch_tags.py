from django import template

from wiki.watchlist.services import is_watching

register = template.Library()


@register.simple_tag(takes_context=True)
def watching(context, page) -> bool:
    """Whether the signed-in user watches ``page`` (one query; none for readers)."""
    request = context.get("request")
    if request is None:
        return False
    return is_watching(request.user, page)
