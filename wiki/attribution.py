"""Paragraph attribution: which revision brought each paragraph of a page.

A paragraph is a top-level block of the body, as ``wiki.sections.blocks``
cuts it (a heading, a paragraph, a whole list, a table, a code block).  Each
paragraph of the current body is attributed to the **first revision of the
page whose body held exactly that text**:

- text that stays from one revision to the next keeps its revision;
- text that comes back (a revert, an undo, a rollback, or pasted back by
  hand) keeps the revision that first brought it, not the one that restored
  it;
- text changed in any way, if only by a comma, is new text: it belongs to the
  revision that changed it.  (Blame by words would credit light edits to the
  first author, but a paragraph changed is one the later editor vouches for.)
- the second copy of the same text is the copy first seen twice, and so on.

It is computed from history, oldest revision first, and kept as derived data
in two tables: ``ParagraphOrigin`` (page, a hash of a paragraph's text, the
first revision that held it: what the walk so far found) and
``PageAttribution`` (for a revision, the origin of each of its paragraphs:
the answer).  A new revision is attributed from where the last attributed one
left off: only the revisions since are read, in chunks of ``CHUNK`` (never
the whole history in memory).  The database rather than the cache holds them:
they survive restarts and evictions, every app server shares them, and a
revision's attribution never changes (what is hidden from the public is
applied when it is shown, not stored).
"""

import hashlib
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from reversion.models import Version

from wiki.diff import RevisionDataError, deserialized
from wiki.history import Entry, page_entries
from wiki.markdown import render
from wiki.models import Page, PageAttribution, ParagraphOrigin, page_versions_filter
from wiki.sections import blocks

CHUNK = 100  # revisions read at a time
# Paragraphs shown (and rendered) at a time: a view costs at most the render
# of that many, however the text is cut up.
PER_PAGE = 200
LOOKUP = 500  # paragraph hashes looked up in one query


@dataclass
class Paragraph:
    text: str
    html: SafeString
    entry: Entry | None  # None: a revision the page's history no longer lists


def paragraph_digests(body: str) -> tuple[list[str], list[str]]:
    """The paragraphs of ``body`` and, for each, the hash of its text and of
    how many copies of that text come before it."""
    paragraphs = blocks(body)
    copies: Counter = Counter()
    digests = []
    for text in paragraphs:
        copies[text] += 1
        key = f"{copies[text]}\n{text}".encode()
        digests.append(hashlib.blake2b(key, digest_size=16).hexdigest())
    return paragraphs, digests


def origins(page: Page, revision_id: int) -> list[int]:
    """For each paragraph of the body of ``page`` at ``revision_id`` (its
    latest revision), the id of the revision that brought it.

    Read from ``PageAttribution`` when it was attributed before (one query);
    otherwise worked out from the revisions since the last one attributed.
    """
    cached = (
        PageAttribution.objects.filter(revision_id=revision_id)
        .values_list("origins", flat=True)
        .first()
    )
    if cached is not None:
        return cached
    return _attribute(page, revision_id)


@transaction.atomic
def _attribute(page: Page, revision_id: int) -> list[int]:
    start = (
        PageAttribution.objects.filter(page=page, revision_id__lt=revision_id)
        .order_by("-revision_id")
        .values_list("revision_id", flat=True)
        .first()
    ) or 0
    versions = (
        Version.objects.filter(**page_versions_filter(), object_id=str(page.pk))
        .filter(revision_id__lte=revision_id)
        .order_by("revision_id")
    )
    known: dict[str, int] = {}
    last: list[str] | None = None
    while True:
        chunk = list(versions.filter(revision_id__gt=start)[:CHUNK])
        if not chunk:
            break
        start = chunk[-1].revision_id
        bodies = []
        for version in chunk:
            try:
                body = deserialized(version).object.body
            except RevisionDataError:
                continue  # its paragraphs go to the next revision that holds them
            digests = paragraph_digests(body)[1]
            bodies.append((version.revision_id, digests))
            if version.revision_id == revision_id:
                last = digests
        _learn(page, bodies, known)
        if len(chunk) < CHUNK:
            break
    if last is None:  # the revision itself cannot be read: the live text is it
        last = paragraph_digests(page.body)[1]
        _learn(page, [(revision_id, last)], known)
    found = [known[digest] for digest in last]
    PageAttribution.objects.bulk_create(
        [PageAttribution(revision_id=revision_id, page=page, origins=found)],
        ignore_conflicts=True,  # attributed meanwhile by another request: the same
    )
    return found


def _learn(page: Page, bodies: list[tuple[int, list[str]]], known: dict) -> None:
    """Put in ``known`` the first revision of each paragraph of ``bodies``
    (revision id, digests; oldest first), from earlier walks or from these, and
    store the paragraphs these revisions bring."""
    wanted = sorted({d for _, digests in bodies for d in digests} - known.keys())
    for at in range(0, len(wanted), LOOKUP):
        known.update(
            ParagraphOrigin.objects.filter(
                page=page, digest__in=wanted[at : at + LOOKUP]
            ).values_list("digest", "revision_id")
        )
    new: dict[str, int] = {}
    for revision_id, digests in bodies:
        for digest in digests:
            if digest not in known:
                known[digest] = new[digest] = revision_id
    ParagraphOrigin.objects.bulk_create(
        [
            ParagraphOrigin(page=page, digest=digest, revision_id=origin)
            for digest, origin in sorted(new.items())
        ],
        ignore_conflicts=True,  # found meanwhile by another request: the same
        batch_size=LOOKUP,
    )


def attributed(page: Page, texts: list[str], start: int, stop: int) -> list[Paragraph]:
    """Paragraphs ``start`` to ``stop`` of ``page``'s body (``texts``, as
    ``paragraph_digests`` cuts the body of its latest revision), each rendered,
    with the history entry of the revision that brought it.

    They render as one document (``wiki.markdown.render``), so citations are
    numbered and references resolved as on the page, within those paragraphs.
    """
    if start >= stop or page.last_revision_id is None:
        return []
    ids = origins(page, page.last_revision_id)
    if len(ids) != len(texts):  # the text changed under us: show what we know
        ids = [None] * len(texts)
    ids, texts = ids[start:stop], texts[start:stop]
    entries = page_entries(page, sorted({i for i in ids if i is not None}))
    rendered = render(*texts)
    # Citation markers and other links within the text lead to the article,
    # where the references are (this page shows the text alone).
    on_page = f'href="{page.get_absolute_url()}#'
    htmls = [
        html.replace('href="#', on_page)
        for html in (rendered.html, *rendered.more_html)
    ]
    return [
        Paragraph(
            text,
            mark_safe(html),  # noqa: S308 (sanitised by the one renderer)
            entries.get(origin),
        )
        for text, html, origin in zip(texts, htmls, ids, strict=True)
    ]
