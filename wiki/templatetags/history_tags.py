"""Template helpers of the history pages."""

from django import template

from wiki import revision_visibility
from wiki.models import RevisionVisibilityChange

register = template.Library()


@register.filter
def signed(number) -> str:
    """A size change as readers expect it: +1,024, −56 (a real minus sign) or 0."""
    if number is None or number == "":
        return ""
    number = int(number)
    if number > 0:
        return f"+{number:,}"
    if number < 0:
        return f"\N{MINUS SIGN}{-number:,}"
    return "0"


@register.filter
def size_class(number) -> str:
    if not number:
        return "size-same"
    return "size-up" if int(number) > 0 else "size-down"


# Revision deletion: the parts of a revision as the viewer may see them.


def _sees_hidden(context) -> bool:
    request = context.get("request")
    return revision_visibility.sees_hidden(getattr(request, "user", None))


@register.inclusion_tag("wiki/history/revision_parts.html#author", takes_context=True)
def revision_author(context, entry):
    """The author's link, "(hidden)", or for moderators the link marked hidden."""
    return {
        "user": entry.revision.user,
        "hidden": entry.author_hidden,
        "sees": entry.author_hidden and _sees_hidden(context),
    }


@register.inclusion_tag("wiki/history/revision_parts.html#summary", takes_context=True)
def revision_summary(context, entry, before="", after="", empty=""):
    """The edit summary between ``before`` and ``after`` (``empty`` if there is
    none), "(hidden)", or for moderators the summary marked hidden."""
    return {
        "summary": entry.summary,
        "hidden": entry.summary_hidden,
        "sees": entry.summary_hidden and _sees_hidden(context),
        "before": before,
        "after": after,
        "empty": empty,
    }


@register.inclusion_tag("wiki/history/revision_parts.html#note", takes_context=True)
def revision_hidden_note(context, entry):
    """For moderators, what is hidden and why; for others, whether the text is."""
    return {
        "parts": RevisionVisibilityChange.parts_in_words(entry.hidden_parts),
        "reason": entry.hidden_reason,
        "text": entry.text_hidden,
        "sees": bool(entry.hidden_parts) and _sees_hidden(context),
    }
