"""Template helpers of the history pages."""

from django import template

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
