"""History: every published revision of a page, readable, comparable and reversible.

A page's revisions are read from reversion's versions of its Page row: every
revision of a page holds one, whatever the page's kind, and these are the rows
the admin's history lists too.  What changes published content here (revert,
undo, rollback, delete, recover) publishes a new revision through
``page_publish``, like any edit.
"""

import functools
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import quote

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.db.models import CASCADE, OuterRef, Q, QuerySet, Subquery
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import RFC3986_SUBDELIMS
from reversion.errors import RevertError
from reversion.models import Revision, Version

from wiki import redirects, registry
from wiki.diff import (
    DIFF_CONTEXT,
    FieldChange,
    RevisionDataError,
    Snapshot,
    deserialized,
    diff_snapshots,
    revision_snapshots,
    snapshot_from_page,
)
from wiki.models import (
    Page,
    RevisionMeta,
    latest_version_subquery,
    page_versions_filter,
)
from wiki.services import page_publish
from wiki.versioning import version_model


class HistoryError(Exception):
    """A history action that cannot be done; the message says why."""


class UndoConflict(HistoryError):
    def __init__(self, revision: Revision, labels: list[str]):
        self.labels = labels
        super().__init__(
            f"Revision {revision.pk} cannot be undone: later revisions changed "
            f"the same {'field' if len(labels) == 1 else 'fields'} "
            f"({', '.join(labels)}). Revert to an earlier revision instead."
        )


class PageMovedOn(HistoryError):
    """The page has a newer revision than the confirmation page showed, so the
    plan shown there is no longer the plan that would run."""

    def __init__(self, page: Page, *, seen_revision_id: int, latest_id: int | None):
        self.seen_revision_id = seen_revision_id
        super().__init__(
            f"{page} changed after this confirmation was shown: it was at revision "
            f"{seen_revision_id} and is now at revision {latest_id}. Nothing was "
            "done; check what would happen now and confirm again."
        )


# Reads ------------------------------------------------------------------------


def page_versions() -> QuerySet:
    """One version per published revision of any page, newest first.

    Each row carries its revision (with author, and Lineage's meta with the
    approver) and the id of the page's revision before it.  The stored data is
    left out: lists never need it.
    """
    return _listed(Version.objects.filter(**page_versions_filter()))


def change_versions() -> QuerySet:
    """Like ``page_versions``, with the revisions of records (sources) too:
    every published change, for recent changes."""
    page_filter = page_versions_filter()
    wanted = Q(app_label="wiki", model="page")
    for record_kind in registry.record_kinds():
        opts = record_kind.model._meta
        wanted |= Q(app_label=opts.app_label, model=opts.model_name)
    content_types = ContentType.objects.filter(wanted).values("pk")
    return _listed(
        Version.objects.filter(db=page_filter["db"], content_type__in=content_types)
    )


def _listed(versions: QuerySet) -> QuerySet:
    previous = (
        Version.objects.filter(
            content_type=OuterRef("content_type"),
            db=OuterRef("db"),
            object_id=OuterRef("object_id"),
            revision_id__lt=OuterRef("revision_id"),
        )
        .order_by("-revision_id")
        .values("revision_id")[:1]
    )
    return (
        versions.select_related("revision__user", "revision__meta__approved_by")
        .defer("serialized_data")
        .annotate(previous_revision_id=Subquery(previous))
        .order_by("-revision_id")
    )


def page_history(page: Page) -> QuerySet:
    """The versions of ``page``, one per revision, newest first."""
    return page_versions().filter(object_id=str(page.pk))


def with_next(versions: QuerySet) -> QuerySet:
    """Annotate each version with the id of the page's revision after it."""
    following = (
        Version.objects.filter(
            content_type=OuterRef("content_type"),
            db=OuterRef("db"),
            object_id=OuterRef("object_id"),
            revision_id__gt=OuterRef("revision_id"),
        )
        .order_by("revision_id")
        .values("revision_id")[:1]
    )
    return versions.annotate(next_revision_id=Subquery(following))


# Stand-ins reverse() fills a page's URL patterns with, replaced after.
_SLUG, _REVISION = "sl4g", "987654321"


@functools.cache
def _pattern(name: str, section: str, prefix: str, with_revision: bool) -> str:
    kwargs = {"section": section, "slug": _SLUG}
    if with_revision:
        kwargs["revision_id"] = _REVISION
    return reverse(name, kwargs=kwargs)


def page_url(name: str, page: Page, revision_id: int | None = None) -> str:
    """``reverse(name)`` for ``page`` (and a revision): its pattern reversed
    once per section and script prefix, then filled in; a list of changes
    links each row three ways, and reverse() cost a tenth of the page."""
    pattern = _pattern(name, page.section, get_script_prefix(), revision_id is not None)
    if revision_id is not None:  # before the slug, which may hold those digits
        pattern = pattern.replace(_REVISION, str(revision_id))
    return pattern.replace(_SLUG, quote(page.slug, safe=RFC3986_SUBDELIMS + "/~:@"))


def meta_of(revision: Revision) -> RevisionMeta | None:
    try:
        return revision.meta
    except ObjectDoesNotExist:
        return None


@dataclass
class Entry:
    """One revision in a list (history, recent changes, a contributor's edits)."""

    version: Version
    page: Page | None = None  # the live page, where a list names several
    record: object = None  # or the live record (a source), in recent changes
    record_kind: object = None

    @property
    def revision(self) -> Revision:
        return self.version.revision

    @property
    def id(self) -> int:
        return self.version.revision_id

    @property
    def page_id(self) -> int:
        return int(self.version.object_id)

    @cached_property  # a list's template reads it some 25 times an entry
    def meta(self) -> RevisionMeta | None:
        return meta_of(self.revision)

    @property
    def previous_id(self) -> int | None:
        return getattr(self.version, "previous_revision_id", None)

    @property
    def next_id(self) -> int | None:
        return getattr(self.version, "next_revision_id", None)

    @cached_property
    def history_url(self) -> str:
        return page_url("wiki:page_history", self.page)

    @cached_property
    def revision_url(self) -> str:
        return page_url("wiki:revision_detail", self.page, self.id)

    @property
    def diff_url(self) -> str:
        """The diff from the revision before, or this revision if it is the first."""
        if self.previous_id is None:
            return self.revision_url
        diff = page_url("wiki:page_diff", self.page)
        return f"{diff}?from={self.previous_id}&to={self.id}"

    @property
    def title(self) -> str:
        """The page's title as it was at this revision."""
        return self.version.object_repr

    @property
    def action(self) -> str:
        meta = self.meta
        return meta.action if meta else RevisionMeta.Action.EDIT

    @property
    def action_label(self) -> str:
        return RevisionMeta.Action(self.action).label

    @property
    def is_edit(self) -> bool:
        return self.action == RevisionMeta.Action.EDIT

    @property
    def summary(self) -> str:
        return self.revision.get_comment()

    # What is hidden from the public (wiki/revision_visibility.py).

    @property
    def text_hidden(self) -> bool:
        return bool(self.meta and self.meta.text_hidden)

    @property
    def summary_hidden(self) -> bool:
        return bool(self.meta and self.meta.summary_hidden)

    @property
    def author_hidden(self) -> bool:
        return bool(self.meta and self.meta.author_hidden)

    @property
    def hidden_parts(self) -> list[str]:
        return self.meta.hidden_parts if self.meta else []

    @property
    def hidden_reason(self) -> str:
        return self.meta.hidden_reason if self.meta else ""

    @property
    def record_history_url(self) -> str:
        """The history of the record (a source) this revision changed."""
        if self.record is None:
            return ""
        return self.record_kind.history_url(self.record)


def entries(versions, *, with_pages: bool = False) -> list[Entry]:
    """Wrap versions for a template; ``with_pages`` fetches their live pages
    (and records, for ``change_versions``) at once."""
    versions = list(versions)
    if not with_pages:
        return [Entry(v) for v in versions]
    page_type = ContentType.objects.get_for_model(Page).pk
    ids = {int(v.object_id) for v in versions if v.content_type_id == page_type}
    pages = Page.objects.only("id", "kind", "slug", "title", "is_deleted")
    pages = {p.pk: p for p in pages.filter(pk__in=ids)} if ids else {}
    records = _records_of([v for v in versions if v.content_type_id != page_type])
    return [
        Entry(v, pages.get(int(v.object_id)))
        if v.content_type_id == page_type
        else Entry(v, None, *records.get((v.content_type_id, v.object_id), (None,)))
        for v in versions
    ]


def _records_of(versions) -> dict:
    """(content type id, object id) -> (live record, its kind), one query a kind."""
    found = {}
    for record_kind in registry.record_kinds():
        content_type = ContentType.objects.get_for_model(record_kind.model).pk
        ids = {v.object_id for v in versions if v.content_type_id == content_type}
        if not ids:
            continue
        for pk, record in record_kind.records_by_id(ids).items():
            found[(content_type, str(pk))] = (record, record_kind)
    return found


def page_entry(page: Page, revision_id: int) -> Entry:
    """The revision ``revision_id`` of ``page``, with its neighbours' ids.

    Raise Version.DoesNotExist when it is not a revision of this page.
    """
    return Entry(with_next(page_history(page)).get(revision_id=revision_id))


def page_entries(page: Page, revision_ids: list[int]) -> dict[int, Entry]:
    """The entries of those of ``revision_ids`` that are revisions of ``page``."""
    versions = with_next(page_history(page)).filter(revision_id__in=revision_ids)
    return {entry.id: entry for entry in entries(versions)}


def latest_entry(page: Page) -> Entry | None:
    version = page_history(page).first()
    return Entry(version) if version else None


def deletion_entry(page: Page) -> Entry | None:
    """The revision that deleted ``page``, if that is its latest."""
    entry = latest_entry(page)
    if entry and entry.action == RevisionMeta.Action.DELETE:
        return entry
    return None


def deleted_pages() -> QuerySet:
    return Page.objects.filter(is_deleted=True).annotate(
        deleted_at=latest_version_subquery("revision__date_created"),
        deleted_by=latest_version_subquery("revision__user__username"),
        deletion_reason=latest_version_subquery("revision__comment"),
    )


def compare(page: Page, old: Entry, new: Entry) -> list[FieldChange]:
    """What changed on ``page`` from revision ``old`` to ``new``, field by field."""
    snapshots = revision_snapshots([old.id, new.id], page)
    return diff_snapshots(snapshots[old.id], snapshots[new.id], context=DIFF_CONTEXT)


def changes_since(page: Page, revision_id: int | None) -> list[FieldChange]:
    """What the page's revisions after ``revision_id`` changed, field by field
    (everything, when that is not one of the page's revisions)."""
    before = Snapshot()
    if (
        revision_id is not None
        and page_history(page).filter(revision_id=revision_id).exists()
    ):
        before = revision_snapshots([revision_id], page)[revision_id]
    return diff_snapshots(
        before, snapshot_from_page(page.as_own_kind()), context=DIFF_CONTEXT
    )


def page_at_revision(page: Page, revision_id: int) -> Page:
    """``page`` as revision ``revision_id`` recorded it: an unsaved instance.

    Its fields (and rendered HTML) come from the revision; so do the rows it
    owns (affiliations, citations, related pages...) and its many-to-many
    relations, placed where a prefetch would put them.  Related objects those
    rows point to (organizations, sources...) are the live ones, fetched in one
    query per model.  Raise RevisionDataError if the data cannot be read.
    """
    model = registry.page_type(page.kind).model
    versions = list(Version.objects.filter(revision_id=revision_id).order_by("pk"))
    stored = {}
    for version in versions:
        row_model = version_model(version)
        if str(version.object_id) == str(page.pk) and row_model in (Page, model):
            stored[row_model] = deserialized(version)
    if Page not in stored:
        raise RevisionDataError(f"Revision {revision_id} holds no data of this page.")
    specific = stored.get(model)
    instance = specific.object if specific else model(pk=page.pk)
    for f in Page._meta.concrete_fields:
        setattr(instance, f.attname, getattr(stored[Page].object, f.attname))
    instance._prefetched_objects_cache = {}
    _restore_many_to_many(instance, specific)
    _restore_owned_rows(instance, model, versions)
    return instance


def _as_prefetched(instance, accessor: str, cache_name: str, objects: list) -> None:
    queryset = getattr(instance, accessor).all()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    instance._prefetched_objects_cache[cache_name] = queryset


def _restore_many_to_many(instance, stored) -> None:
    m2m_data = (stored.m2m_data or {}) if stored else {}
    for f in type(instance)._meta.many_to_many:
        if not f.remote_field.through._meta.auto_created or f.name not in m2m_data:
            continue
        objects = list(f.related_model._base_manager.filter(pk__in=m2m_data[f.name]))
        ordering = f.related_model._meta.ordering
        if not ordering:
            objects.sort(key=lambda obj: obj.pk)
        _as_prefetched(instance, f.name, f.name, objects)


def _restore_owned_rows(instance, model, versions) -> None:
    """Put the rows the revision holds for ``instance`` in its prefetch cache."""
    owned: dict = {}
    for version in versions:
        row_model = version_model(version)
        if row_model in (Page, model):
            continue
        row = deserialized(version).object
        for f in row_model._meta.concrete_fields:
            if (
                f.many_to_one
                and issubclass(model, f.related_model)
                and getattr(row, f.attname) == instance.pk
                and f.remote_field.on_delete is CASCADE
            ):
                owned.setdefault(f.remote_field, []).append(row)
                setattr(row, f.name, instance)
                break
    for rel, rows in owned.items():
        rows = _with_related_objects(rows, rel.field.name)
        rows.sort(key=lambda row: (getattr(row, "position", 0), row.pk))
        _as_prefetched(instance, rel.accessor_name, rel.cache_name, rows)


def _with_related_objects(rows: list, owner: str) -> list:
    """Attach the live objects ``rows`` point to; drop rows whose target is gone."""
    row_model = type(rows[0])
    wanted = [
        f for f in row_model._meta.concrete_fields if f.many_to_one and f.name != owner
    ]
    kept = rows
    for f in wanted:
        ids = {getattr(row, f.attname) for row in kept} - {None}
        found = {
            obj.pk: obj for obj in f.related_model._base_manager.filter(pk__in=ids)
        }
        still = []
        for row in kept:
            value = getattr(row, f.attname)
            if value is None:
                still.append(row)
            elif value in found:
                setattr(row, f.name, found[value])
                still.append(row)
        kept = still
    return kept


# Changes --------------------------------------------------------------------------


def _when(revision: Revision) -> str:
    return date_format(timezone.localtime(revision.date_created), "j F Y, H:i")


def _name(user) -> str:
    return user.get_username() if user else "an unknown user"


def _check_revision_of(page: Page, revision: Revision) -> None:
    if not page_history(page).filter(revision_id=revision.pk).exists():
        raise HistoryError(f"Revision {revision.pk} is not a revision of {page}.")


def _locked_at(page: Page, seen_revision_id: int | None) -> Page:
    """Lock ``page`` and return it fresh, as its own kind; raise PageMovedOn if
    a confirmation was shown at ``seen_revision_id`` and the page moved on.

    Call inside a transaction.  None means no confirmation was shown (a
    script or a test calls the service directly).
    """
    page = page.as_own_kind(lock=True)
    if seen_revision_id is not None:
        latest = latest_entry(page)
        latest_id = latest.id if latest else None
        if latest_id != seen_revision_id:
            raise PageMovedOn(
                page, seen_revision_id=seen_revision_id, latest_id=latest_id
            )
    return page


def _check_not_deleted(page: Page) -> None:
    if page.is_deleted:
        raise HistoryError(f"{page} is deleted. Recover it first.")


def check_text_shown(revision_id: int, doing: str, *, hidden=None) -> None:
    """Refuse to publish again a text hidden from the public (revision deletion).

    ``hidden`` is whether it is, when the caller knows already.
    """
    if hidden is None:
        hidden = RevisionMeta.objects.filter(
            revision_id=revision_id, text_hidden=True
        ).exists()
    if hidden:
        raise HistoryError(
            f"The text of revision {revision_id} is hidden from the public, so it "
            f"cannot be {doing}. Show it again first if it should be published."
        )


@transaction.atomic
def page_revert(
    *,
    page: Page,
    revision: Revision,
    user,
    summary: str = "",
    seen_revision_id: int | None = None,
) -> Revision:
    """Publish ``page`` as it was at ``revision``, as a new revision.

    Everything the revision holds comes back (text, infobox fields, affiliations,
    citations, related pages, themes); rows added since are removed.
    """
    page = _locked_at(page, seen_revision_id)
    _check_not_deleted(page)
    _check_revision_of(page, revision)
    latest = latest_entry(page)
    if latest and latest.id == revision.pk:
        raise HistoryError(f"Revision {revision.pk} is already the current one.")
    check_text_shown(revision.pk, "restored by a revert")
    comment = f"Reverted to revision {revision.pk} of {_when(revision)}"
    return _revert_to(
        page=page, revision=revision, user=user, comment=_with(comment, summary)
    )


def _with(comment: str, summary: str) -> str:
    summary = summary.strip()
    return f"{comment}: {summary}" if summary else comment


def _check_references(models) -> None:
    """Raise IntegrityError now if restored rows point at rows that are gone.

    Foreign keys are checked at commit otherwise, after the service returned.
    """
    tables = sorted({model._meta.db_table for model in models})
    transaction.get_connection().check_constraints(table_names=tables)


def _check_names_free(page: Page, *, title: str, slug: str, undoing: str) -> None:
    """Refuse, saying why, to give ``page`` back a title or address that
    another page (or another page's old address) holds now."""
    candidate = Page(pk=page.pk, kind=page.kind, title=title, slug=slug)
    clashes = candidate.clashes()
    if clashes:
        facts = "; ".join(clash.fact for clash in clashes)
        raise HistoryError(
            f"{undoing} would give this page back a title or address that is "
            f"taken: {facts}. Rename or move that page first."
        )


def _stored_names(page: Page, revision: Revision) -> tuple[str, str] | None:
    """The title and slug ``revision`` recorded for ``page``."""
    for version in revision.version_set.all():
        if version_model(version) is Page and str(version.object_id) == str(page.pk):
            data = version.field_dict
            return data["title"], data["slug"]
    return None


def _revert_to(*, page: Page, revision: Revision, user, comment: str) -> Revision:
    names = _stored_names(page, revision)
    if names is not None:
        _check_names_free(
            page,
            title=names[0],
            slug=names[1],
            undoing=f"Restoring revision {revision.pk}",
        )
    try:
        with transaction.atomic():
            previous_slug = redirects.stored_slug(page)
            try:
                revision.revert(delete=True)
            except (RevertError, RevisionDataError) as error:
                raise HistoryError(
                    f"Revision {revision.pk} can no longer be restored: {error}"
                ) from error
            _check_references(
                version_model(version) for version in revision.version_set.all()
            )
            restored = page.as_own_kind()
            restored.is_deleted = False
            published = page_publish(
                page=restored,
                user=user,
                summary=comment,
                action=RevisionMeta.Action.REVERT,
            )
            redirects.record_rename(page=restored, previous_slug=previous_slug)
    except IntegrityError as error:
        raise HistoryError(
            f"Revision {revision.pk} can no longer be restored: it refers to "
            "something deleted since."
        ) from error
    return published


@transaction.atomic
def check_undoable(entry: Entry) -> None:
    """Raise HistoryError if ``entry`` is no edit that can be undone."""
    if entry.previous_id is None:
        raise HistoryError(
            "The first revision of a page cannot be undone; delete the page instead."
        )
    if not entry.is_edit:
        raise HistoryError(
            f"Revision {entry.id} is a {entry.action_label.lower()}, not an edit; "
            "revert to an earlier revision instead."
        )


def page_undo(
    *,
    page: Page,
    revision: Revision,
    user,
    summary: str = "",
    seen_revision_id: int | None = None,
) -> Revision:
    """Take back what ``revision`` changed, keeping every change made after it.

    Only possible when no later revision changed the same fields; otherwise
    raise UndoConflict naming them.
    """
    page = _locked_at(page, seen_revision_id)
    _check_not_deleted(page)
    entry = page_entry(page, revision.pk)
    check_undoable(entry)
    _, restore = undo_plan(page, entry)
    comment = f"Undid revision {revision.pk} by {_name(revision.user)}"
    if {"title", "slug"} & set(restore.fields):
        _check_names_free(
            page,
            title=restore.fields.get("title", page.title),
            slug=restore.fields.get("slug", page.slug),
            undoing=f"Undoing revision {revision.pk}",
        )
    for name, value in restore.fields.items():
        setattr(page, name, value)

    try:
        return page_publish(
            page=page,
            user=user,
            summary=_with(comment, summary),
            action=RevisionMeta.Action.REVERT,
            save_related=lambda: restore.save_related(page),
        )
    except IntegrityError as error:
        raise HistoryError(
            f"Revision {revision.pk} cannot be undone cleanly: what it removed "
            "refers to something deleted since."
        ) from error


@dataclass
class _Restore:
    fields: dict  # attname -> value
    many_to_many: dict  # field name -> ids
    rows: list  # (model, owner field name, versions to restore)

    def save_related(self, page: Page) -> None:
        """Put back the rows and relations of ``page`` the undone revision
        changed (inside the undo's revision)."""
        for name, ids in self.many_to_many.items():
            getattr(page, name).set(ids)
        for model, owner, versions in self.rows:
            keep = {str(version.object_id) for version in versions}
            for row in model._base_manager.filter(**{owner: page.pk}):
                if str(row.pk) not in keep:
                    row.delete()
            for version in versions:
                deserialized(version).save()
        _check_references(
            [model for model, _, _ in self.rows]
            + [getattr(type(page), name).through for name in self.many_to_many]
        )


def undo_plan(page: Page, entry: Entry) -> tuple[list[FieldChange], _Restore]:
    """What undoing ``entry`` changes back, and how; raise if it cannot be undone."""
    latest = latest_entry(page)
    ids = [entry.previous_id, entry.id, latest.id]
    snapshots = revision_snapshots(ids, page)
    before, undone, now = (snapshots[i] for i in ids)
    changes = diff_snapshots(before, undone)
    if not changes:
        raise HistoryError(f"Revision {entry.id} changed nothing that can be undone.")
    check_text_shown(entry.previous_id, "restored by undoing the revision after it")
    later = {change.name for change in diff_snapshots(undone, now)}
    clashes = [change.label for change in changes if change.name in later]
    if clashes:
        raise UndoConflict(entry.revision, clashes)
    model = registry.page_type(page.kind).model
    restore = _Restore({}, {}, [])
    for change in changes:
        name = change.name
        if name in before.values or name in undone.values:
            f = model._meta.get_field(name)
            value = before.values.get(name)
            if f.many_to_many:
                restore.many_to_many[name] = value or []
            else:
                restore.fields[f.attname] = value
        else:
            row_model, owner = before.row_models.get(name) or undone.row_models[name]
            restore.rows.append((row_model, owner, before.row_versions.get(name, [])))
    return changes, restore


def rollback_plan(page: Page) -> tuple[list[Entry], Entry]:
    """The latest run of revisions by one author, and the revision before it.

    Raise HistoryError when there is nothing to roll back to.
    """
    run: list[Entry] = []
    for version in page_history(page).iterator(chunk_size=100):
        entry = Entry(version)
        if run and entry.revision.user_id != run[0].revision.user_id:
            check_text_shown(
                entry.id, "restored by a rollback", hidden=entry.text_hidden
            )
            return run, entry
        run.append(entry)
    if not run:
        raise HistoryError(f"{page} has no revisions.")
    raise HistoryError(
        f"Every revision of {page} is by {_name(run[0].revision.user)}; "
        "there is no earlier author's revision to roll back to."
    )


@transaction.atomic
def page_rollback(
    *, page: Page, user, summary: str = "", seen_revision_id: int | None = None
) -> Revision:
    """Revert all the latest consecutive revisions by their author, in one revision."""
    page = _locked_at(page, seen_revision_id)
    _check_not_deleted(page)
    run, target = rollback_plan(page)
    count = len(run)
    edits = "edit" if count == 1 else f"{count} edits"
    comment = (
        f"Rolled back {edits} by {_name(run[0].revision.user)} to revision "
        f"{target.id} by {_name(target.revision.user)}"
    )
    return _revert_to(
        page=page,
        revision=target.revision,
        user=user,
        comment=_with(comment, summary),
    )


@transaction.atomic
def page_delete(
    *, page: Page, user, reason: str, seen_revision_id: int | None = None
) -> Revision:
    """Delete ``page`` softly: it leaves every public list but keeps its history."""
    page = _locked_at(page, seen_revision_id)
    _check_not_deleted(page)
    if not reason.strip():
        raise HistoryError("Give a reason for deleting the page.")
    page.is_deleted = True
    return page_publish(
        page=page,
        user=user,
        summary=reason.strip(),
        action=RevisionMeta.Action.DELETE,
    )


@transaction.atomic
def page_recover(
    *, page: Page, user, summary: str = "", seen_revision_id: int | None = None
) -> Revision:
    """Bring a deleted page back, with its links, citations and relations."""
    page = _locked_at(page, seen_revision_id)
    if not page.is_deleted:
        raise HistoryError(f"{page} is not deleted.")
    page.is_deleted = False
    return page_publish(
        page=page,
        user=user,
        summary=_with("Recovered the page", summary),
        action=RevisionMeta.Action.RECOVER,
    )
