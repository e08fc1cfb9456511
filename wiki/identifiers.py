"""External identifiers: DOI, arXiv, ORCID, Wikidata, ROR.

A kind declares its identifier fields with ``IdentifierField(scheme)``: what
is typed is cleaned (an identifier pasted as its address, ``https://orcid.org/
0000-…``, or with its prefix, ``arXiv:2103.00020``, keeps the identifier
alone), checked (format, and the checksum where the scheme has one: ORCID's
ISO 7064 11-2, ROR's ISO 7064 97-10), shown as a link, and written in JSON-LD
as ``sameAs`` and ``identifier``.  Uniqueness is each model's constraint.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from wiki.text import LineField, LineFormField

# A DOI is "10." and a registrant code of four or more digits (dot-separated
# sub-codes allowed), a slash, and a suffix of anything but spaces.
doi_validator = RegexValidator(
    r"^10\.\d{4,9}(?:\.\d+)*/\S+\Z",
    "A DOI looks like 10.1234/abc.5678: “10.”, four or more digits, a slash, "
    "then the rest (no spaces).",
)
# arXiv identifiers: since April 2007 YYMM.NNNN, from 2015 YYMM.NNNNN, with an
# optional version; before, archive(.SUBJECT)/YYMMNNN, e.g. hep-th/9901001.
_MONTH = r"(?:0[1-9]|1[0-2])"
ARXIV_NEW = (
    rf"(?:(?:0[7-9]|1[0-4]){_MONTH}\.\d{{4}}|(?:1[5-9]|[2-9]\d){_MONTH}\.\d{{5}})"
)
ARXIV_OLD = rf"[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{{2}})?/\d{{2}}{_MONTH}\d{{3}}"
arxiv_validator = RegexValidator(
    rf"^(?:{ARXIV_NEW}|{ARXIV_OLD})(?:v[1-9]\d*)?\Z",
    "An arXiv identifier looks like 2103.00020 (or 2103.00020v1), or in the "
    "old style hep-th/9901001.",
)

_ORCID = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]\Z")


def orcid_check_digit(digits: str) -> str:
    """ISO 7064 MOD 11-2 over the first 15 digits, as ORCID computes it."""
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def validate_orcid(value: str) -> None:
    if not _ORCID.match(value):
        raise ValidationError(
            "An ORCID iD is four groups of four digits, e.g. 0000-0002-1825-0097 "
            "(the last may be X).",
            code="invalid",
        )
    digits = value.replace("-", "")
    if orcid_check_digit(digits[:15]) != digits[15]:
        raise ValidationError(
            f"{value} is not an ORCID iD: its last character, the checksum, "
            "does not match the others. Check for a mistyped digit.",
            code="checksum",
        )


def validate_wikidata(value: str) -> None:
    if not re.match(r"^Q[1-9]\d{0,11}\Z", value):
        raise ValidationError(
            "A Wikidata item is Q and a number, e.g. Q42.", code="invalid"
        )


_ROR_DIGITS = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford's base 32
_ROR = re.compile(rf"^0[{_ROR_DIGITS}]{{6}}\d{{2}}\Z")


def validate_ror(value: str) -> None:
    if not _ROR.match(value):
        raise ValidationError(
            "A ROR id is 9 characters starting with 0, e.g. 00f54p054.",
            code="invalid",
        )
    number = 0
    for character in value[1:7]:
        number = number * 32 + _ROR_DIGITS.index(character)
    if f"{98 - (number * 100) % 97:02d}" != value[7:]:
        raise ValidationError(
            f"{value} is not a ROR id: its last two digits, the checksum, do not "
            "match the others. Check for a mistyped character.",
            code="checksum",
        )


@dataclass(frozen=True)
class Scheme:
    name: str  # e.g. "ORCID"
    url: str  # the identifier's address, with {} for the identifier
    prefixes: tuple[str, ...]  # what may come before it when pasted
    validator: object
    max_length: int
    lowercase: bool = False

    def clean(self, value: str) -> str:
        value = value.strip()
        for prefix in self.prefixes:
            if value.lower().startswith(prefix):
                value = value[len(prefix) :].strip()
                break
        return value.lower() if self.lowercase else value


SCHEMES = {
    "doi": Scheme(
        "DOI",
        "https://doi.org/{}",
        ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"),
        doi_validator,
        255,
    ),
    "arxiv": Scheme(
        "arXiv",
        "https://arxiv.org/abs/{}",
        ("https://arxiv.org/abs/", "http://arxiv.org/abs/", "arxiv:"),
        arxiv_validator,
        40,
    ),
    "orcid": Scheme(
        "ORCID",
        "https://orcid.org/{}",
        ("https://orcid.org/", "http://orcid.org/", "orcid.org/"),
        validate_orcid,
        19,
    ),
    "wikidata": Scheme(
        "Wikidata",
        "https://www.wikidata.org/wiki/{}",
        (
            "https://www.wikidata.org/wiki/",
            "http://www.wikidata.org/wiki/",
            "https://m.wikidata.org/wiki/",
            "wd:",
        ),
        validate_wikidata,
        20,
    ),
    "ror": Scheme(
        "ROR",
        "https://ror.org/{}",
        ("https://ror.org/", "http://ror.org/", "ror.org/"),
        validate_ror,
        9,
        lowercase=True,
    ),
}


class IdentifierFormField(LineFormField):
    """One line, with a pasted address or prefix taken off."""

    def __init__(self, *, scheme: str, **kwargs):
        self.scheme = SCHEMES[scheme]
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return self.scheme.clean(value) if isinstance(value, str) else value


class IdentifierField(LineField):
    """An identifier of ``scheme`` (a key of ``SCHEMES``): optional, checked.

    Migrations record it as the CharField it is stored in (with its
    validators); their copy of the field has no scheme and needs none.
    """

    def __init__(self, verbose_name=None, *, scheme: str | None = None, **kwargs):
        self.scheme = scheme
        if scheme is not None:
            kwargs.setdefault("max_length", SCHEMES[scheme].max_length)
            kwargs.setdefault("blank", True)
            kwargs.setdefault("validators", [SCHEMES[scheme].validator])
            verbose_name = verbose_name or SCHEMES[scheme].name
        super().__init__(verbose_name, **kwargs)

    def formfield(self, **kwargs):
        if self.scheme is None:
            return super().formfield(**kwargs)
        # Room in the box for the identifier's whole address, pasted (the
        # stored identifier's length is the model field's to check).
        return super().formfield(
            **{
                "form_class": IdentifierFormField,
                "scheme": self.scheme,
                "max_length": 255,
                **kwargs,
            }
        )


def unique_identifier(field: str, *, name: str, message: str):
    """The constraint that no two rows share ``field`` unless it is blank
    (a blank identifier is "not known", which many may share)."""
    return models.UniqueConstraint(
        fields=[field],
        condition=~models.Q(**{field: ""}),
        name=name,
        violation_error_message=message,
    )


@dataclass(frozen=True)
class Identifier:
    scheme: Scheme
    value: str

    @property
    def url(self) -> str:
        return self.scheme.url.format(self.value)

    @property
    def name(self) -> str:
        return self.scheme.name


def identifiers_of(obj) -> list[Identifier]:
    """``obj``'s identifiers that are set, in field order."""
    found = []
    for field in obj._meta.get_fields():
        if isinstance(field, IdentifierField) and field.scheme:
            value = getattr(obj, field.attname)
            if value:
                found.append(Identifier(SCHEMES[field.scheme], value))
    return found


def structured_identifiers(obj, *, also: tuple[str, ...] = ()) -> dict:
    """JSON-LD for ``obj``'s identifiers: ``sameAs`` (their addresses, and
    ``also``, e.g. a homepage) and ``identifier`` (PropertyValues)."""
    found = identifiers_of(obj)
    same_as = [identifier.url for identifier in found] + [url for url in also if url]
    data = {}
    if same_as:
        data["sameAs"] = same_as
    if found:
        data["identifier"] = [
            {
                "@type": "PropertyValue",
                "propertyID": identifier.name,
                "value": identifier.value,
            }
            for identifier in found
        ]
    return data
