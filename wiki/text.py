"""Typed text made safe to store, show, mail and syndicate.

Every form cleans its text on input with one of three rules: a title (one line,
NFC, nothing invisible), a line (no line breaks or control characters) or a
block of text (newlines and tabs kept, other control characters dropped).  The
model fields below carry the rule, so the site's forms and the admin's apply it
alike.  Output that must never fail on older data (mail headers, XML feeds)
cleans again with ``clean_line`` and ``xml_safe``.
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

# Characters that end a line, or space one out, in a single line of text.
_LINE_SPACE = re.compile("[\t\n\v\f\r\x1c-\x1f\x85\u2028\u2029 ]+")
# C0 and C1 controls (but tab, newline and carriage return), lone surrogates
# and the noncharacters of the BMP: none of them is text.
_BLOCK_JUNK = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)
# In a line, also: tab, newline, carriage return (made spaces first), the bidi
# embeddings, overrides and isolates that reorder the text around a summary in
# a list, and the byte order mark.
_LINE_JUNK = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\u202a-\u202e\u2066-\u2069\ufeff]"
)
# What XML 1.0 cannot carry at all.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Letters that show as nothing: fillers that make a title look blank.
_BLANK_LETTERS = frozenset("\u034f\u115f\u1160\u3164\uffa0")


def clean_line(text: str) -> str:
    """One line: line breaks and tabs become spaces, runs of them one space;
    control characters, bidi overrides and byte order marks are dropped."""
    return _LINE_JUNK.sub("", _LINE_SPACE.sub(" ", text)).strip()


def clean_title(text: str) -> str:
    """A title: one line in NFC, without control or format characters (bidi
    controls, zero-width characters, the byte order mark) or blank fillers, its
    whitespace collapsed.  Empty if nothing visible is left."""
    text = unicodedata.normalize("NFC", clean_line(text))
    kept = "".join(
        char
        for char in text
        if unicodedata.category(char) not in ("Cc", "Cf", "Cs")
        and char not in _BLANK_LETTERS
    )
    return " ".join(kept.split())


def clean_block(text: str) -> str:
    """A block of text (Markdown, a lede): newlines as LF, tabs kept, other
    control characters dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _BLOCK_JUNK.sub("", text)


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry."""
    return _NOT_XML.sub("", text)


# -- form fields ---------------------------------------------------------------


class LineFormField(forms.CharField):
    """A single line of text, cleaned with ``clean_line``."""

    clean_text = staticmethod(clean_line)

    def to_python(self, value):
        value = super().to_python(value)
        return self.clean_text(value) if isinstance(value, str) else value


class TitleFormField(LineFormField):
    """A title, cleaned with ``clean_title``; refused if nothing visible is left."""

    clean_text = staticmethod(clean_title)

    def to_python(self, value):
        cleaned = super().to_python(value)
        if not cleaned and isinstance(value, str) and value.strip():
            raise ValidationError(
                "This title has no visible characters, only spaces or invisible "
                "ones; type it again.",
                code="invisible",
            )
        return cleaned


class UrlFormField(forms.URLField):
    """A web address, cleaned with ``clean_line`` before it is checked."""

    def to_python(self, value):
        return super().to_python(clean_line(value) if isinstance(value, str) else value)


class BlockFormField(forms.CharField):
    """A block of text, cleaned with ``clean_block``."""

    def to_python(self, value):
        value = super().to_python(value)
        return clean_block(value) if isinstance(value, str) else value


# -- model fields ----------------------------------------------------------------


class _CleanedOnInput:
    """A text column whose forms clean what is typed (``form_class``).

    The column is the plain Django field's (``column_path``), and migrations
    record that field: a cleaning rule needs no migration.
    """

    form_class: type[forms.Field]
    column_path: str

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": self.form_class, **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, self.column_path, args, kwargs


class LineField(_CleanedOnInput, models.CharField):
    form_class = LineFormField
    column_path = "django.db.models.CharField"


class TitleField(_CleanedOnInput, models.CharField):
    form_class = TitleFormField
    column_path = "django.db.models.CharField"


class UrlField(_CleanedOnInput, models.URLField):
    form_class = UrlFormField
    column_path = "django.db.models.URLField"


class BlockField(_CleanedOnInput, models.TextField):
    form_class = BlockFormField
    column_path = "django.db.models.TextField"
