"""``{% fragment "name" %}…{% endfragment %}``: a part of a page that is the
same for every reader, served from the fragment cache (wiki/cache.py) when the
view looked it up (``fragments`` in the context), rendered and kept otherwise.

Never put anything of the reader's own inside one: their name, permissions,
pending proposals, messages or a CSRF token.
"""

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, name: str, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context) -> SafeString:
        fragments = context.get("fragments")
        if fragments is None:
            return self.nodelist.render(context)
        html = fragments.html(self.name)
        if html is None:
            html = self.nodelist.render(context)
            if "csrfmiddlewaretoken" in html:
                raise template.TemplateSyntaxError(
                    f"A form with a CSRF token (someone's own) inside "
                    f'{{% fragment "{self.name}" %}}'
                )
            fragments.store(self.name, str(html))
        # Our own template's output, rendered with autoescaping: kept as is.
        return mark_safe(html)  # noqa: S308


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(
            '{% fragment %} takes one quoted name: {% fragment "article" %}'
        )
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(bits[1][1:-1], nodelist)
