from django import template

from wiki import registry

register = template.Library()


@register.simple_tag
def menu_kinds() -> list:
    """The kinds the header links to, in their order."""
    return registry.menu()
