"""One diff for review and history: field by field, words for text.

A *snapshot* is what a revision says a page was: its own fields and the rows it
owns (affiliations, authorships, citations, related pages...), each as text a
person can read.  ``diff_snapshots`` compares two snapshots.
"""

import difflib
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from enum import IntEnum
from itertools import accumulate

from django.core.exceptions import ValidationError
from django.core.serializers.base import DeserializationError
from django.db import models
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from reversion.errors import RevertError
from reversion.models import Version

from wiki import registry
from wiki.models import Page
from wiki.versioning import followed_objects, stored_object, version_model

# Unchanged lines a diff keeps around each change, in review and history alike
# (a Markdown paragraph is a line, and a blank line separates paragraphs).
DIFF_CONTEXT = 3
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
# A sentence ends at a full stop, question or exclamation mark (with the spaces
# after it) or at a line's end; the pieces join back into the text.
_SENTENCE = re.compile(r"[^.!?\n]*[.!?]+[^\S\n]*|[^.!?\n]*\n|[^.!?\n]+")
HIDDEN_FIELDS = {
    "id",
    "page_ptr",
    "kind",
    "body_html",
    "toc_html",
    "reading_html",
    "fields_html",
    "render_data",
    "created_at",
    "updated_at",
    "is_deleted",
    "position",
}


@dataclass
class Snapshot:
    fields: dict[str, "FieldValue"] = field(default_factory=dict)
    # What it takes to restore a field (undo): the stored values of the page's
    # own fields by name (ids for many-to-many), and the versions of the rows it
    # owns with, per row name, their model and the foreign key to the page.
    values: dict[str, object] = field(default_factory=dict)
    row_versions: dict[str, list] = field(default_factory=dict)
    row_models: dict[str, tuple] = field(default_factory=dict)


@dataclass
class FieldValue:
    label: str
    kind: str  # "text", "short" or "items"
    value: object


@dataclass
class FieldChange:
    name: str
    label: str
    kind: str
    old: object
    new: object
    diff_html: SafeString | None = None
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


# The cost of a diff --------------------------------------------------------
#
# difflib's SequenceMatcher finds the longest common block, then recurses on
# both sides.  Each search looks at every place where each element of one side
# occurs in the other, so repeated words or lines ("a a a ...") make it cubic:
# 1,200 characters took 10 s.  Here that work is counted in *steps* (a place
# looked at, about 0.1 µs) and charged to a budget before it is done; a
# comparison that would overspend gives up and a coarser one is tried.  Most
# edits are cheap and compared exactly as difflib does; an expensive one is
# first cut at the elements found once on each side (the anchors of "patience
# diff"), so that only the short stretches between them are matched.  Each
# granularity may spend a share that grows with its size, so the cost of a
# diff grows linearly with the texts, up to the budget.

# Unchanged lines a diff keeps around each change (a Markdown paragraph is a
# line, and a blank line separates paragraphs): history and review alike.
DIFF_CONTEXT = 3
DIFF_STEPS = 2_000_000  # a comparison of two versions, all fields: ~0.2 s at most
FIELD_STEPS = 100_000  # what each field may spend, whatever others spent
ATTEMPT_STEPS = 200_000  # what one granularity may spend, plus...
ATTEMPT_STEPS_PER_ITEM = 20  # ...this much per word, sentence or line compared
# On ordinary edits difflib's searches all together cost up to about ten times
# its first one; far more means that it is stuck on ties.
STEPS_PER_SEARCH = 16


class _Granularity(IntEnum):
    WORDS = 0
    SENTENCES = 1
    LINES = 2
    WHOLE = 3


_NOTES = {
    _Granularity.SENTENCES: (
        "Compared sentence by sentence: the change is too large to compare word "
        "by word."
    ),
    _Granularity.LINES: (
        "Compared line by line: the change is too large to compare word by word."
    ),
    _Granularity.WHOLE: (
        "Shown as one replacement: the change is too large to compare line by line."
    ),
}


class _OverBudget(Exception):
    """The comparison would cost more than the budget left."""


class DiffBudget:
    """Steps a comparison may still take; shared by the fields of one diff."""

    def __init__(self, steps: int | None = None, *, within: "DiffBudget | None" = None):
        self.left = DIFF_STEPS if steps is None else steps
        self.within = within
        if within:
            self.left = min(self.left, within.left)

    def spend(self, steps: int) -> None:
        if steps > self.left:
            raise _OverBudget
        self.left -= steps
        if self.within:
            self.within.spend(steps)

    def at_least(self, steps: int) -> None:
        """Let ``steps`` more be spent, if fewer are left (each field its turn)."""
        self.left = max(self.left, steps)

    def part(self, steps: int) -> "DiffBudget":
        """At most ``steps`` of this budget: what the part spends, this one spends."""
        return DiffBudget(steps, within=self)


def diff_text(
    old: str,
    new: str,
    *,
    context: int | None = None,
    budget: DiffBudget | None = None,
) -> SafeString:
    """Word-level inline diff of two texts: removals in <del>, additions in <ins>.

    Lines are matched first and only changed runs of lines are compared word by
    word, so long texts with small edits stay fast.  With ``context``, runs of
    unchanged lines keep only that many lines next to a change; the rest is
    summed up in a ``diff-skip`` line.

    The work is bounded by ``budget`` (a fresh one when not given): a run that
    would cost more to compare word by word is compared sentence by sentence,
    or else shown as replaced lines; lines too many alike to match are
    compared as one run, or else shown as one replacement.  A note at the top
    says when the diff is coarser than words.
    """
    budget = budget or DiffBudget()
    old_lines = (old or "").splitlines(keepends=True)
    new_lines = (new or "").splitlines(keepends=True)
    try:
        blocks = _attempt(old_lines, new_lines, budget)
        lines_matched = True
    except _OverBudget:
        # Too many lines alike to match them (all the blank lines between
        # paragraphs that all changed): compare all between the unchanged
        # start and end as one run.
        blocks = _common_ends(old_lines, new_lines)
        lines_matched = False
    out: list[str] = []
    coarsest = _Granularity.WORDS
    opcodes = _opcodes(blocks, len(old_lines), len(new_lines))
    for index, (equal, i1, i2, j1, j2) in enumerate(opcodes):
        if equal:
            out.extend(
                _unchanged(
                    old_lines[i1:i2],
                    context,
                    first=index == 0,
                    last=index == len(opcodes) - 1,
                )
            )
            continue
        old_run, new_run = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        pieces, granularity = _diff_run(old_run, new_run, budget)
        if granularity is _Granularity.LINES and not lines_matched:
            granularity = _Granularity.WHOLE
        out.extend(pieces)
        coarsest = max(coarsest, granularity)
    if coarsest is not _Granularity.WORDS:
        out.insert(0, f'<span class="diff-note">{_NOTES[coarsest]}</span>')
    return mark_safe("".join(out))  # noqa: S308 (every piece is escaped above)


def _unchanged(lines: list[str], context: int | None, *, first, last) -> list[str]:
    """Unchanged lines, escaped, cut down to ``context`` lines beside changes."""
    keep_before = 0 if first else context or 0
    keep_after = 0 if last else context or 0
    if context is None or len(lines) <= keep_before + keep_after + 1:
        return [escape("".join(lines))]
    skipped = len(lines) - keep_before - keep_after
    marker = (
        f'<span class="diff-skip">… {skipped} unchanged '
        f"line{'s' if skipped != 1 else ''} …</span>"
    )
    head = escape("".join(lines[:keep_before]))
    tail = escape("".join(lines[len(lines) - keep_after :]))
    return [head, marker, tail]


def _replaced(old: str, new: str) -> list[str]:
    out = []
    if old:
        out.append(f"<del>{escape(old)}</del>")
    if new:
        out.append(f"<ins>{escape(new)}</ins>")
    return out


def _diff_run(old: str, new: str, budget: DiffBudget) -> tuple[list[str], _Granularity]:
    """A run of changed lines, compared as finely as the budget allows.

    Word by word if that is affordable; else sentences are matched first and
    only the changed ones compared word by word; else the lines are replaced.
    """
    try:
        return _diff_words(old, new, budget), _Granularity.WORDS
    except _OverBudget:
        pass
    a, b = _SENTENCE.findall(old), _SENTENCE.findall(new)
    try:
        blocks = _attempt(a, b, budget)
    except _OverBudget:
        return _replaced(old, new), _Granularity.LINES
    if not blocks:  # no sentence in common: words were just tried on the same
        return _replaced(old, new), _Granularity.SENTENCES
    out = []
    coarsest = _Granularity.WORDS
    for equal, i1, i2, j1, j2 in _opcodes(blocks, len(a), len(b)):
        old_part, new_part = "".join(a[i1:i2]), "".join(b[j1:j2])
        if equal:
            out.append(escape(old_part))
            continue
        try:
            out.extend(_diff_words(old_part, new_part, budget))
        except _OverBudget:
            out.extend(_replaced(old_part, new_part))
            coarsest = _Granularity.SENTENCES
    return out, coarsest


def _diff_words(old: str, new: str, budget: DiffBudget) -> list[str]:
    """``old`` and ``new`` compared word by word; raise _OverBudget if too dear."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    out = []
    for equal, i1, i2, j1, j2 in _opcodes(_attempt(a, b, budget), len(a), len(b)):
        if equal:
            out.append(escape("".join(a[i1:i2])))
        else:
            out.extend(_replaced("".join(a[i1:i2]), "".join(b[j1:j2])))
    return out


def _attempt(a: list[str], b: list[str], budget: DiffBudget) -> list[tuple]:
    """The matching blocks of ``a`` and ``b``, at a cost that grows with their size.

    Raise _OverBudget when matching would cost more than the budget left or
    than this attempt's share of it, so that a coarser attempt can follow.
    """
    share = ATTEMPT_STEPS + ATTEMPT_STEPS_PER_ITEM * (len(a) + len(b))
    return _matching_blocks(a, b, budget.part(share))


class _CountingMatcher(difflib.SequenceMatcher):
    """difflib's matcher, charging each search for a longest block to a budget.

    A search through ``a[alo:ahi]`` looks at every place in ``b`` where each of
    those elements occurs, so its cost is known before it runs.
    """

    def __init__(self, a, b, budget: DiffBudget):
        budget.spend(len(a) + len(b))
        super().__init__(None, a, b, autojunk=False)
        self.budget = budget
        self.work = list(
            accumulate((1 + len(self.b2j.get(x, ())) for x in a), initial=0)
        )

    def find_longest_match(self, alo=0, ahi=None, blo=0, bhi=None):
        ahi = len(self.a) if ahi is None else ahi
        self.budget.spend(self.work[ahi] - self.work[alo])
        return super().find_longest_match(alo, ahi, blo, bhi)


def _common_ends(a, b) -> list[tuple[int, int, int]]:
    """The blocks ``a`` and ``b`` share at their start and end."""
    start, end = _common_lengths(a, 0, len(a), b, 0, len(b))
    blocks = [(0, 0, start), (len(a) - end, len(b) - end, end)]
    return [block for block in blocks if block[2]]


def _common_lengths(a, alo, ahi, b, blo, bhi) -> tuple[int, int]:
    start = 0
    while alo + start < ahi and blo + start < bhi and a[alo + start] == b[blo + start]:
        start += 1
    end = 0
    limit = min(ahi - alo, bhi - blo) - start
    while end < limit and a[ahi - 1 - end] == b[bhi - 1 - end]:
        end += 1
    return start, end


def _matching_blocks(a, b, budget: DiffBudget) -> list[tuple[int, int, int]]:
    """Blocks ``(i, j, size)`` with ``a[i:i+size] == b[j:j+size]``, in order."""
    blocks = []
    todo = [(0, len(a), 0, len(b))]
    while todo:
        alo, ahi, blo, bhi = todo.pop()
        # Most edits touch a few words of a paragraph: match the common start
        # and end first, so that the matcher only sees what changed.
        start, end = _common_lengths(a, alo, ahi, b, blo, bhi)
        blocks += [(alo, blo, start), (ahi - end, bhi - end, end)]
        alo, blo, ahi, bhi = alo + start, blo + start, ahi - end, bhi - end
        if alo == ahi or blo == bhi:
            continue
        budget.spend(ahi - alo + bhi - blo)
        in_b = Counter(b[blo:bhi])
        direct = ahi - alo + sum(in_b[x] for x in a[alo:ahi])
        if direct * 4 <= budget.left:
            # Cheap enough to match as difflib does, unless it gets stuck on
            # ties (many equally long blocks): then anchors may do better.
            stuck = STEPS_PER_SEARCH * (direct + bhi - blo)
            try:
                part = budget.part(min(budget.left // 2, stuck))
                blocks += _difflib_blocks(a, alo, ahi, b, blo, bhi, direct, part)
                continue
            except _OverBudget:
                pass
        budget.spend(ahi - alo + bhi - blo)
        anchors = _anchors(a, alo, ahi, b, blo, bhi, in_b)
        if not anchors:  # difflib or nothing: with all that is left
            blocks += _difflib_blocks(a, alo, ahi, b, blo, bhi, direct, budget)
            continue
        for i, j in anchors:
            blocks.append((i, j, 1))
            todo.append((alo, i, blo, j))
            alo, blo = i + 1, j + 1
        todo.append((alo, ahi, blo, bhi))
    merged: list[list[int]] = []
    for i, j, size in sorted(block for block in blocks if block[2]):
        if (
            merged
            and merged[-1][0] + merged[-1][2] == i
            and merged[-1][1] + merged[-1][2] == j
        ):
            merged[-1][2] += size
        else:
            merged.append([i, j, size])
    return [tuple(block) for block in merged]


def _difflib_blocks(a, alo, ahi, b, blo, bhi, direct: int, budget: DiffBudget):
    """difflib's matching blocks of ``a[alo:ahi]`` and ``b[blo:bhi]``.

    ``direct`` is the cost of its first search, which covers both whole ranges.
    """
    if direct > budget.left:
        raise _OverBudget
    matcher = _CountingMatcher(a[alo:ahi], b[blo:bhi], budget)
    return [(alo + i, blo + j, size) for i, j, size in matcher.get_matching_blocks()]


def _anchors(a, alo, ahi, b, blo, bhi, in_b) -> list[tuple[int, int]]:
    """Pairs ``(i, j)`` of elements found once in each range, in the order of both.

    The longest such chain (Bram Cohen's patience diff): what lies between two
    anchors is compared on its own.
    """
    in_a = Counter(a[alo:ahi])
    once_in_b = {b[j]: j for j in range(blo, bhi) if in_b[b[j]] == 1}
    pairs = [
        (i, once_in_b[a[i]])
        for i in range(alo, ahi)
        if a[i] in once_in_b and in_a[a[i]] == 1
    ]
    # Longest increasing run of j (patience sorting): ends[n] is the pair that
    # ends the best run of length n + 1 found so far.
    ends: list[int] = []
    end_js: list[int] = []
    before: list[int | None] = []
    for index, (_, j) in enumerate(pairs):
        length = bisect_left(end_js, j)
        before.append(ends[length - 1] if length else None)
        if length == len(ends):
            ends.append(index)
            end_js.append(j)
        else:
            ends[length] = index
            end_js[length] = j
    chain = []
    index = ends[-1] if ends else None
    while index is not None:
        chain.append(pairs[index])
        index = before[index]
    return chain[::-1]


def _opcodes(blocks, la: int, lb: int) -> list[tuple[bool, int, int, int, int]]:
    """``(equal, i1, i2, j1, j2)`` for each stretch, equal or not, in order."""
    out = []
    i = j = 0
    for bi, bj, size in [*blocks, (la, lb, 0)]:
        if i < bi or j < bj:
            out.append((False, i, bi, j, bj))
        if size:
            out.append((True, bi, bi + size, bj, bj + size))
        i, j = bi + size, bj + size
    return out


def _field_kind(model_field) -> str:
    if isinstance(model_field, models.TextField):
        return "text"
    return "short"


def _display(model_field, value) -> str:
    if value in (None, ""):
        return ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return "yes" if value else "no"
    return str(value)


class RevisionDataError(Exception):
    """A revision's stored data no longer fits the models (it predates a migration)."""


def deserialized(version):
    """The object ``version`` stored (reversion's DeserializedObject).

    Raise RevisionDataError when the data cannot be read any more: its model is
    gone, or a field changed type since it was recorded.
    """
    if version_model(version) is None:
        raise RevisionDataError(
            f"Revision {version.revision_id} holds data of a model that no longer "
            "exists."
        )
    try:
        return stored_object(version)
    except (RevertError, DeserializationError, ValidationError, ValueError) as error:
        raise RevisionDataError(
            f"Revision {version.revision_id} was recorded in an older data format "
            f"and can no longer be read ({version.object_repr})."
        ) from error


class _Names:
    """What related rows are called, fetched in one query per model.

    Snapshots name the organizations, sources, pages... their rows point to;
    collecting every wanted id first keeps a snapshot (or several) at a fixed
    number of queries, however many rows a page owns.
    """

    def __init__(self):
        self.wanted: dict[type, set] = defaultdict(set)
        self.names: dict[type, dict] = {}

    def want(self, model, pk) -> None:
        if pk is not None:
            self.wanted[model].add(pk)

    def fetch(self) -> None:
        for model, pks in self.wanted.items():
            rows = model._base_manager.filter(pk__in=pks)
            self.names[model] = {row.pk: str(row) for row in rows}

    def name(self, model, pk) -> str:
        return self.names.get(model, {}).get(pk, f"#{pk} (deleted)")


@dataclass
class _PendingSnapshot:
    """A snapshot read from versions, waiting for the names of related rows."""

    snapshot: Snapshot
    relations: dict[str, tuple] = field(default_factory=dict)  # name -> (f, value)
    m2m: dict[str, tuple] = field(default_factory=dict)  # name -> (f, ids)
    rows: dict[str, list] = field(default_factory=dict)  # name -> [(pos, parts)]

    def finish(self, names: _Names) -> Snapshot:
        fields = self.snapshot.fields
        for name, (f, value) in self.relations.items():
            label = names.name(f.related_model, value) if value is not None else ""
            fields[name] = FieldValue(str(f.verbose_name), "short", label)
        for name, (f, ids) in self.m2m.items():
            items = sorted(names.name(f.related_model, pk) for pk in ids)
            fields[name] = FieldValue(str(f.verbose_name), "items", items)
        for name, rows in self.rows.items():
            texts = []
            for position, parts in rows:
                shown = []
                for label, model, value in parts:
                    text = names.name(model, value) if model else value
                    if text:
                        shown.append(f"{label}: {text}")
                texts.append((position, " · ".join(shown)))
            model = self.snapshot.row_models[name][0]
            label = str(model._meta.verbose_name_plural)
            fields[name] = FieldValue(label, "items", [t for _, t in sorted(texts)])
        return self.snapshot


def _read_object(
    pending: _PendingSnapshot, names: _Names, obj, *, page: Page, page_model, m2m_ids
) -> str | None:
    """Add one recorded object (the page's row or a row it owns) to a snapshot.

    ``m2m_ids(field)`` gives the ids a many-to-many field held.  Returns the
    model name when ``obj`` is a row the page owns, else None.
    """
    model = type(obj)
    if model in (Page, page_model) and obj.pk == page.pk:
        _read_page_row(pending, names, obj, m2m_ids)
        return None
    owner = _owner_field(model, obj, page_model, page.pk)
    if owner is None:
        return None
    return _read_owned_row(pending, names, obj, owner)


def _read_page_row(pending: _PendingSnapshot, names: _Names, obj, m2m_ids) -> None:
    """The page's own fields (of Page, or of its kind's table)."""
    snapshot = pending.snapshot
    opts = type(obj)._meta
    for f in opts.local_fields + opts.local_many_to_many:
        if f.name in HIDDEN_FIELDS or not f.editable:
            continue
        if f.many_to_many:
            if not f.remote_field.through._meta.auto_created:
                continue  # a through model's rows are versioned as rows
            ids = list(m2m_ids(f))
            snapshot.values[f.name] = ids
            for pk in ids:
                names.want(f.related_model, pk)
            pending.m2m[f.name] = (f, ids)
            continue
        value = getattr(obj, f.attname)
        snapshot.values[f.name] = value
        if f.is_relation:
            names.want(f.related_model, value)
            pending.relations[f.name] = (f, value)
        else:
            snapshot.fields[f.name] = FieldValue(
                str(f.verbose_name), _field_kind(f), _display(f, value)
            )


def _read_owned_row(pending: _PendingSnapshot, names: _Names, obj, owner: str) -> str:
    """A row the page owns (through its ``owner`` field); return its model name."""
    model = type(obj)
    name = model._meta.model_name
    pending.snapshot.row_models[name] = (model, owner)
    parts = []
    for f in model._meta.concrete_fields:
        if f.name in HIDDEN_FIELDS or f.name == owner:
            continue
        value = getattr(obj, f.attname)
        if f.is_relation:
            if value is None:
                continue
            names.want(f.related_model, value)
            parts.append((f.verbose_name, f.related_model, value))
        else:
            parts.append((f.verbose_name, None, _display(f, value)))
    pending.rows.setdefault(name, []).append((getattr(obj, "position", 0), parts))
    return name


def _read_versions(versions, page: Page, names: _Names) -> _PendingSnapshot:
    page_model = registry.page_type(page.kind).model
    pending = _PendingSnapshot(Snapshot())
    for version in versions:
        stored = deserialized(version)
        m2m_data = stored.m2m_data or {}
        row = _read_object(
            pending,
            names,
            stored.object,
            page=page,
            page_model=page_model,
            m2m_ids=lambda f, data=m2m_data: data.get(f.name, []),
        )
        if row:
            pending.snapshot.row_versions.setdefault(row, []).append(version)
    return pending


def snapshots_from_versions(versions_by_key: dict, page: Page) -> dict:
    """Snapshots of ``page``, one per list of versions, in one query per model."""
    names = _Names()
    pending = {
        key: _read_versions(versions, page, names)
        for key, versions in versions_by_key.items()
    }
    names.fetch()
    return {key: item.finish(names) for key, item in pending.items()}


def snapshot_from_versions(versions, page: Page) -> Snapshot:
    """Build the snapshot of ``page`` from the versions of one revision."""
    return snapshots_from_versions({None: list(versions)}, page)[None]


def _owner_field(model, obj, page_model, page_pk) -> str | None:
    """The name of the foreign key by which a row belongs to the page, if any."""
    for f in model._meta.concrete_fields:
        if (
            f.many_to_one
            and issubclass(page_model, f.related_model)
            and getattr(obj, f.attname) == page_pk
            and f.remote_field.on_delete is models.CASCADE
        ):
            return f.name
    return None


def diff_snapshots(
    old: Snapshot, new: Snapshot, *, context: int | None = None
) -> list[FieldChange]:
    """The fields that differ between two snapshots, in a stable order.

    ``context`` trims long unchanged stretches of text (see ``diff_text``).
    """
    changes = []
    budget = DiffBudget()
    names = list(dict.fromkeys([*old.fields, *new.fields]))
    for name in names:
        before, after = old.fields.get(name), new.fields.get(name)
        ref = after or before
        empty = [] if ref.kind == "items" else ""
        old_value = before.value if before else empty
        new_value = after.value if after else empty
        if old_value == new_value:
            continue
        change = FieldChange(name, ref.label, ref.kind, old_value, new_value)
        if ref.kind == "text":
            budget.at_least(FIELD_STEPS)
            change.diff_html = diff_text(
                old_value, new_value, context=context, budget=budget
            )
        elif ref.kind == "items":
            old_items, new_items = set(old_value), set(new_value)
            change.added = [item for item in new_value if item not in old_items]
            change.removed = [item for item in old_value if item not in new_items]
        changes.append(change)
    return changes


def revision_snapshots(revisions, page: Page) -> dict[int, Snapshot]:
    """Snapshots of ``page`` at each of ``revisions`` (or revision ids), by id.

    One query reads every version; related rows are named in one query per model.
    """
    ids = [getattr(revision, "pk", revision) for revision in revisions]
    by_revision: dict[int, list] = {pk: [] for pk in ids}
    for version in Version.objects.filter(revision_id__in=ids).order_by("pk"):
        by_revision[version.revision_id].append(version)
    return snapshots_from_versions(by_revision, page)


def revision_snapshot(revision, page: Page) -> Snapshot:
    return revision_snapshots([revision], page)[revision.pk]


def diff_revisions(old_revision, new_revision, page: Page) -> list[FieldChange]:
    snapshots = revision_snapshots([old_revision, new_revision], page)
    return diff_snapshots(snapshots[old_revision.pk], snapshots[new_revision.pk])


def snapshot_from_page(page: Page) -> Snapshot:
    """The snapshot of ``page`` as its live rows are now.

    It equals the snapshot of a revision recorded in the same state: it reads
    the objects django-reversion records in a revision of the page (the
    page's follow relations), the way ``_read_versions`` reads their versions.
    """
    names = _Names()
    pending = _PendingSnapshot(Snapshot())
    page_model = registry.page_type(page.kind).model
    for obj in followed_objects(page):
        _read_object(
            pending,
            names,
            obj,
            page=page,
            page_model=page_model,
            m2m_ids=lambda f, obj=obj: [r.pk for r in getattr(obj, f.name).all()],
        )
    names.fetch()
    return pending.finish(names)
