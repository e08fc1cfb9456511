"""The Markdown widget of the site's forms and of the admin.

django-markdownx's editor and live preview, plus ``js/markdown-field.js``,
which leaves Tab to the browser (markdownx would trap focus in the field),
offers indenting on an explicit key and labels the preview.
"""

from django.contrib.admin.widgets import AdminTextareaWidget
from markdownx.widgets import MarkdownxWidget, minified


class MarkdownWidget(MarkdownxWidget):
    class Media:
        js = ["js/markdown-field.js"]


class AdminMarkdownWidget(MarkdownWidget, AdminTextareaWidget):
    """The admin's: markdownx's admin styles, the same keyboard."""

    class Media:
        css = {"all": [f"markdownx/admin/css/markdownx{minified}.css"]}
