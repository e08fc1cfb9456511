"""The site's content and its whole history, out to a file and back in.

``manage.py export_content`` writes, and ``manage.py import_content`` reads, a
*lineage-export* file: JSON Lines (UTF-8, one JSON object per line, so it
streams, greps and diffs line by line).  The first line is the header::

    {"format": "lineage-export", "version": 1, "counts": {...}, "note": "..."}

then one line per record, in the order an import needs them:

- ``{"type": "user", "username": ..., "first_name": ..., "groups": [...]}``:
  every account, by username.  Passwords and e-mail addresses are *not*
  exported: an imported account has no usable password (its owner resets it,
  or an administrator sets one); an account that already exists under that
  username is used as it is.
- ``{"type": "page", "kind": "person", "id": 7, "fields": {...}}``: every
  page, deleted ones too, with every field of its kind's model (its themes as
  page ids) except the HTML rendered from its Markdown, which the import
  renders again; ``old_titles`` are the titles search still finds it by.
- ``{"type": "row", "model": "sources.source", "id": 3, "fields": {...}}``:
  every other versioned row (sources, affiliations, authorships, citations,
  related pages: whatever the apps register with django-reversion), the
  redirects of renamed pages (``wiki.pageredirect``) and the record of purged
  pages (``wiki.purgerecord``).
- ``{"type": "revision", "id": 42, "date_created": ..., "user": "alice",
  "comment": ..., "meta": {...}, "visibility_log": [...], "versions": [...]}``:
  every revision in id order with its metadata (action, approver, minor, size,
  the approver's note, hidden parts) and each of its versions' data as
  django-reversion stores it (already JSON, so written as JSON).

Pages, rows and revisions keep their database ids: a revision's stored data
names rows by id, and a revision's id is in its permanent address, which
readers cite.  So an import goes into a database with no content (no page,
source or revision; accounts may exist), in one transaction, and then rebuilds
what is derived: rendered HTML, the link graph, tallies and wanted pages, the
search index, and the cache generation.  Accounts and content types, whose ids
differ from one database to another, are named by username and by
``app_label.model``.

Not exported: proposals (pending or decided) with their versions and
notifications, so an imported revision no longer names the proposal it
published; accounts' passwords, e-mail addresses, permissions given one by
one, sessions and abuse-limit settings; derived data (rebuilt instead).

A file whose ``version`` is newer than ``FORMAT_VERSION``, or that is not a
lineage export, is refused with ``ExportError`` before anything is written;
a record that cannot be read, or fewer or more records than the header
counts (a file cut short), rolls the whole import back.
"""

import datetime
import decimal
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import (
    FieldDoesNotExist,
    ObjectDoesNotExist,
    ValidationError,
)
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import (
    DatabaseError,
    IntegrityError,
    connections,
    models,
    router,
    transaction,
)
from reversion.models import Revision, Version

from wiki import registry, search, tallies
from wiki.cache import bump
from wiki.models import (
    Page,
    PageRedirect,
    PurgeRecord,
    RevisionMeta,
    RevisionVisibilityChange,
    SearchEntry,
)
from wiki.roles import ensure_roles

FORMAT = "lineage-export"
FORMAT_VERSION = 1
# Rendered from the Markdown fields: rendered again on import, not exported.
RENDERED_FIELDS = (
    "body_html",
    "toc_html",
    "reading_html",
    "fields_html",
    "render_data",
)
# RevisionMeta's own fields that an export leaves out (the proposal is not
# exported; the revision and page are the record's own).
META_SKIPPED = ("id", "revision", "proposal")
USER_FIELDS = (
    "first_name",
    "last_name",
    "date_joined",
    "is_active",
    "is_staff",
    "is_superuser",
)
BATCH = 500


class ExportError(Exception):
    """The file cannot be imported (or the database cannot take it)."""


# -- values ----------------------------------------------------------------


def _encode(value):
    """JSON for what ``json`` does not write itself; datetimes keep their
    microseconds (Django's encoder drops them)."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, default=_encode) + "\n"


def _is_user_fk(field) -> bool:
    return field.is_relation and field.related_model is get_user_model()


def _values(obj, fields, users: dict[int, str]) -> dict:
    """``obj``'s ``fields`` as JSON values: a relation as the id it points to
    (a user as a username), a many-to-many relation as ids in id order."""
    values = {}
    for field in fields:
        if field.many_to_many:
            values[field.name] = sorted(o.pk for o in getattr(obj, field.name).all())
        elif _is_user_fk(field):
            values[field.name] = users.get(getattr(obj, field.attname))
        elif field.is_relation:
            values[field.name] = getattr(obj, field.attname)
        else:
            values[field.name] = field.value_from_object(obj)
    return values


def _attributes(model, values: dict, users: dict[str, int]) -> tuple[dict, dict]:
    """Model attributes from exported ``values``, and the many-to-many ones
    apart (set once the row exists)."""
    attributes, many = {}, {}
    for name, value in values.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist as error:
            raise ExportError(f"{model._meta.label} has no field “{name}”.") from error
        if field.many_to_many:
            many[name] = value
        elif _is_user_fk(field):
            attributes[field.attname] = _user_id(users, value)
        elif field.is_relation:
            attributes[field.attname] = value
        else:
            attributes[field.attname] = field.to_python(value)
    return attributes, many


def _user_id(users: dict[str, int], username: str | None) -> int | None:
    if username is None:
        return None
    if username not in users:
        raise ExportError(f"no account “{username}” comes before it in the file.")
    return users[username]


# -- what is exported ---------------------------------------------------------


def page_fields(model) -> tuple[list, list]:
    """The fields of a page of ``model``'s kind that an export writes: the
    Page table's and the kind's own (its many-to-many relations included)."""
    base = [
        f
        for f in Page._meta.local_concrete_fields
        if not f.primary_key and f.name not in RENDERED_FIELDS and f.name != "kind"
    ]
    own = []
    if model is not Page:
        own = [
            f
            for f in model._meta.local_concrete_fields
            if not f.primary_key and f.name not in RENDERED_FIELDS
        ]
    return base, own + list(model._meta.local_many_to_many)


def row_models() -> list:
    """The models of rows that are not pages: every model versioned with
    django-reversion but pages, page redirects and the record of purged pages;
    a model after those its relations point to."""
    models_ = [
        m
        for m in reversion.get_registered_models()
        if not issubclass(m, Page) and m._meta.concrete_model is m
    ]
    models_ += [PageRedirect, PurgeRecord]
    ordered: list = []

    def place(model, seen=()):
        if model in ordered or model in seen:
            return
        for field in model._meta.concrete_fields:
            target = field.related_model if field.is_relation else None
            if target in models_ and target is not model:
                place(target, (*seen, model))
        ordered.append(model)

    for model in sorted(models_, key=lambda m: m._meta.label):
        place(model)
    return ordered


def row_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if not f.primary_key] + list(
        model._meta.local_many_to_many
    )


def _page_types() -> list:
    return sorted(registry.page_types(), key=lambda t: t.kind)


# -- export ------------------------------------------------------------------


def export(stream: IO[str]) -> dict[str, int]:
    """Write the site's content and history to ``stream``; return the counts.

    Read as one snapshot, so that edits made meanwhile are in the file whole
    or not at all.
    """
    with _snapshot():
        user_model = get_user_model()
        users = dict(user_model.objects.values_list("pk", user_model.USERNAME_FIELD))
        counts = {
            "users": len(users),
            "pages": Page.objects.count(),
            "rows": sum(m.objects.count() for m in row_models()),
            "revisions": Revision.objects.count(),
        }
        header = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "counts": counts,
            "note": "Passwords and e-mail addresses are not exported.",
        }
        stream.write(_line(header))
        for records in (_users(), _pages(users), _rows(users), _revisions(users)):
            for record in records:
                stream.write(_line(record))
    return counts


@contextmanager
def _snapshot() -> Iterator[None]:
    """A read-only transaction that sees the database as it was when it began
    (PostgreSQL's default isolation sees each statement's commits; SQLite's
    read transaction is a snapshot already).  Inside a transaction already
    (a test's), that transaction."""
    db = router.db_for_write(Page)  # the primary: reads inside it go there too
    connection = connections[db]
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic(using=db):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                )
        yield


def _users() -> Iterator[dict]:
    user_model = get_user_model()
    name = user_model.USERNAME_FIELD
    accounts = user_model.objects.order_by(name).prefetch_related("groups")
    for user in accounts.iterator(chunk_size=BATCH):
        yield {
            "type": "user",
            "username": getattr(user, name),
            **{field: getattr(user, field) for field in USER_FIELDS},
            "groups": sorted(group.name for group in user.groups.all()),
        }


def _batches(queryset) -> Iterator[list]:
    """``queryset`` in id order, ``BATCH`` rows at a time."""
    last = None
    while True:
        batch = queryset.order_by("pk")
        if last is not None:
            batch = batch.filter(pk__gt=last)
        batch = list(batch[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def _pages(users: dict[int, str]) -> Iterator[dict]:
    for page_type in _page_types():
        model = page_type.model
        base, own = page_fields(model)
        queryset = model.objects.filter(kind=page_type.kind).defer(*RENDERED_FIELDS)
        for batch in _batches(
            queryset.prefetch_related(*(f.name for f in own if f.many_to_many))
        ):
            entries = dict(
                SearchEntry.objects.filter(
                    kind=page_type.kind, object_id__in=[p.pk for p in batch]
                ).values_list("object_id", "other_titles")
            )
            for page in batch:
                old_titles = entries.get(page.pk, "").split("\n")[1:]
                yield {
                    "type": "page",
                    "kind": page.kind,
                    "id": page.pk,
                    "fields": _values(page, base + own, users),
                    "old_titles": old_titles,
                }


def _rows(users: dict[int, str]) -> Iterator[dict]:
    for model in row_models():
        fields = row_fields(model)
        for batch in _batches(model.objects.all()):
            for row in batch:
                yield {
                    "type": "row",
                    "model": model._meta.label_lower,
                    "id": row.pk,
                    "fields": _values(row, fields, users),
                }


def django_json(objects: list) -> str:
    """``objects`` (deserialized versions' data) as Django's JSON serializer
    writes them, so that an import stores the very text it read."""
    return (
        "["
        + ", ".join(
            json.dumps(o, ensure_ascii=False, cls=DjangoJSONEncoder) for o in objects
        )
        + "]\n"
    )


def _version_record(version: Version) -> dict:
    content_type = version.content_type
    record = {
        "model": f"{content_type.app_label}.{content_type.model}",
        "object_id": version.object_id,
        "object_repr": version.object_repr,
        "format": version.format,
    }
    data = None
    if version.format == "json":
        try:
            data = json.loads(version.serialized_data)
        except ValueError:
            data = None
    if data is not None and django_json(data) == version.serialized_data:
        record["data"] = data
    else:  # kept as the text it is, to the character
        record["serialized_data"] = version.serialized_data
    return record


def _revisions(users: dict[int, str]) -> Iterator[dict]:
    meta_fields = [
        f for f in RevisionMeta._meta.concrete_fields if f.name not in META_SKIPPED
    ]
    log_fields = [
        f
        for f in RevisionVisibilityChange._meta.concrete_fields
        if f.name not in ("id", "revision")
    ]
    queryset = Revision.objects.select_related("meta").prefetch_related(
        models.Prefetch(
            "version_set",
            Version.objects.select_related("content_type").order_by("pk"),
        ),
        models.Prefetch(
            "visibility_changes", RevisionVisibilityChange.objects.order_by("pk")
        ),
    )
    for batch in _batches(queryset):
        for revision in batch:
            meta = getattr(revision, "meta", None)
            yield {
                "type": "revision",
                "id": revision.pk,
                "date_created": revision.date_created,
                "user": users.get(revision.user_id),
                "comment": revision.comment,
                "meta": _values(meta, meta_fields, users) if meta else None,
                "visibility_log": [
                    _values(change, log_fields, users)
                    for change in revision.visibility_changes.all()
                ],
                "versions": [_version_record(v) for v in revision.version_set.all()],
            }


# -- import ------------------------------------------------------------------


def read_header(stream: IO[str], *, name: str = "the file") -> dict:
    """The header of an export in ``stream``; ExportError if ``stream`` is not
    a lineage export this code can read."""
    first = stream.readline()
    try:
        header = json.loads(first)
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ExportError(
            f"{name} is not a Lineage export: its first line should be a header "
            f'such as {{"format": "{FORMAT}", "version": {FORMAT_VERSION}}}.'
        )
    version = header.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ExportError(f"{name} has no valid format version ({version!r}).")
    if version > FORMAT_VERSION:
        raise ExportError(
            f"{name} is in {FORMAT} format version {version}, newer than this "
            f"Lineage reads (version {FORMAT_VERSION} and older): import it with "
            "the Lineage that exported it, or a newer one."
        )
    return header


def content_counts() -> dict[str, int]:
    """How much content the database holds (what an import needs to be none)."""
    return {
        "pages": Page.objects.count(),
        "rows": sum(m.objects.count() for m in row_models()),
        "revisions": Revision.objects.count(),
    }


def import_(stream: IO[str], *, name: str = "the file") -> dict[str, int]:
    """Load an export from ``stream`` into a database with no content, in one
    transaction, and rebuild what is derived from it; return the counts."""
    header = read_header(stream, name=name)
    held = {k: n for k, n in content_counts().items() if n}
    if held:
        raise ExportError(
            f"The database already has content ({_said(held)}): import_content loads "
            "into a database without pages, rows or revisions (accounts may exist)."
        )
    try:
        with transaction.atomic():
            ensure_roles()  # the groups accounts are put in, with their permissions
            loader = _Loader(name)
            for number, line in enumerate(stream, start=2):
                if line.strip():
                    _load_line(loader, line, where=f"{name}, line {number}")
            expected = header.get("counts")
            if expected is not None and expected != loader.counts:
                raise ExportError(
                    f"{name} holds {_said(loader.counts)}, but its header counts "
                    f"{_said(expected)}: it is incomplete or was edited by hand."
                )
            loader.finish()
    except IntegrityError as error:  # e.g. a row naming a page the file lacks
        raise ExportError(f"{name} does not hold together: {error}") from error
    return loader.counts


def _load_line(loader: "_Loader", line: str, *, where: str) -> None:
    try:
        record = json.loads(line)
    except ValueError as error:
        raise ExportError(f"{where}: not JSON ({error}).") from error
    if not isinstance(record, dict):
        raise ExportError(f"{where}: not a record (a JSON object).")
    try:
        loader.load(record)
    except ExportError as error:
        raise ExportError(f"{where}: {error}") from error
    except (
        KeyError,
        TypeError,
        ValueError,
        ValidationError,
        ObjectDoesNotExist,
        DatabaseError,
    ) as error:
        raise ExportError(
            f"{where}: a {record.get('type', 'record')!r} record could not be "
            f"loaded ({error!r})."
        ) from error


def _said(counts: dict) -> str:
    return ", ".join(f"{n:,} {what}" for what, n in counts.items())


class _Loader:
    """Writes the records of one import, in file order, then the upkeep."""

    def __init__(self, name: str):
        self.name = name
        user_model = get_user_model()
        self.users = dict(
            user_model.objects.values_list(user_model.USERNAME_FIELD, "pk")
        )
        self.counts = {"users": 0, "pages": 0, "rows": 0, "revisions": 0}
        self.page_models: set = set()
        self.row_models: set = set()
        self.many: list[tuple[models.Model, dict]] = []
        self.old_titles: dict[int, list[str]] = {}
        self.content_types: dict[str, ContentType] = {}
        self.db = router.db_for_write(Page)
        self.row_models_by_label = {m._meta.label_lower: m for m in row_models()}

    def load(self, record: dict) -> None:
        kind = record.get("type")
        if kind == "user":
            self.user(record)
        elif kind == "page":
            self.page(record)
        elif kind == "row":
            self.row(record)
        elif kind == "revision":
            self.revision(record)
        else:
            raise ExportError(f"unknown record type {kind!r}.")

    def user(self, record: dict) -> None:
        self.counts["users"] += 1
        username = record["username"]
        if username in self.users:
            return
        user_model = get_user_model()
        user = user_model(
            **{user_model.USERNAME_FIELD: username},
            **{
                name: user_model._meta.get_field(name).to_python(record[name])
                for name in USER_FIELDS
            },
        )
        user.set_unusable_password()
        user.save()
        for group in record["groups"]:
            user.groups.add(Group.objects.get_or_create(name=group)[0])
        self.users[username] = user.pk

    def page(self, record: dict) -> None:
        declaration = registry.kind(record["kind"])
        if declaration is None or not declaration.is_page:
            raise ExportError(f"“{record['kind']}” is not a page kind of this site.")
        model = declaration.model
        values = dict(record["fields"])
        base, own = page_fields(model)
        base_names = {f.name for f in base}
        parent_values = {k: v for k, v in values.items() if k in base_names}
        attributes, _ = _attributes(Page, parent_values, self.users)
        parent = Page(pk=record["id"], kind=record["kind"], **attributes)
        parent.save_base(raw=True, force_insert=True)
        if model is not Page:
            own_values = {k: v for k, v in values.items() if k not in base_names}
            attributes, many = _attributes(model, own_values, self.users)
            child = model(page_ptr_id=record["id"], **attributes)
            # Raw: only the kind's own table is written, the page's just was.
            child.save_base(raw=True, force_insert=True)
            if many:
                self.many.append((child, many))
            self.page_models.add(model)
        if record.get("old_titles"):
            self.old_titles[record["id"]] = list(record["old_titles"])
        self.counts["pages"] += 1

    def row(self, record: dict) -> None:
        model = self.row_models_by_label.get(record["model"])
        if model is None:
            raise ExportError(f"“{record['model']}” is not a model this site exports.")
        attributes, many = _attributes(model, record["fields"], self.users)
        row = model(pk=record["id"], **attributes)
        row.save_base(raw=True, force_insert=True)
        if many:
            self.many.append((row, many))
        self.row_models.add(model)
        self.counts["rows"] += 1

    def content_type(self, label: str) -> ContentType:
        if label not in self.content_types:
            app_label, _, model = label.partition(".")
            # A model removed since keeps its content type, as at the source.
            self.content_types[label] = ContentType.objects.db_manager(
                self.db
            ).get_or_create(app_label=app_label, model=model)[0]
        return self.content_types[label]

    def revision(self, record: dict) -> None:
        user = record["user"]
        revision = Revision(
            pk=record["id"],
            date_created=Revision._meta.get_field("date_created").to_python(
                record["date_created"]
            ),
            user_id=_user_id(self.users, user),
            comment=record["comment"],
        )
        revision.save_base(raw=True, force_insert=True)
        versions = []
        for item in record["versions"]:
            content_type = self.content_type(item["model"])
            model = content_type.model_class()
            data = item.get("data")
            versions.append(
                Version(
                    revision=revision,
                    content_type=content_type,
                    object_id=item["object_id"],
                    db=router.db_for_write(model) if model else self.db,
                    format=item["format"],
                    serialized_data=(
                        item["serialized_data"] if data is None else django_json(data)
                    ),
                    object_repr=item["object_repr"],
                )
            )
        Version.objects.bulk_create(versions)
        if record["meta"] is not None:
            attributes, _ = _attributes(RevisionMeta, record["meta"], self.users)
            RevisionMeta(revision=revision, **attributes).save_base(
                raw=True, force_insert=True
            )
        for change in record["visibility_log"]:
            attributes, _ = _attributes(RevisionVisibilityChange, change, self.users)
            RevisionVisibilityChange(revision=revision, **attributes).save_base(
                raw=True, force_insert=True
            )
        self.counts["revisions"] += 1

    def finish(self) -> None:
        for obj, many in self.many:
            for name, ids in many.items():
                getattr(obj, name).set(ids)
        self.reset_sequences()
        rebuild_derived(old_titles=self.old_titles)

    def reset_sequences(self) -> None:
        """Rows were written with their ids: new ones must come after them
        (PostgreSQL's sequences do not follow; SQLite's do)."""
        connection = connections[self.db]
        statements = connection.ops.sequence_reset_sql(
            no_style(),
            [Page, Revision, *self.page_models, *self.row_models],
        )
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def rebuild_derived(*, old_titles: dict[int, list[str]] | None = None) -> None:
    """What the write path derives from content, for every page at once:
    rendered HTML and the links and citations found in it, tallies and wanted
    pages, the search index (with the old titles pages are found by), and a
    new cache generation."""
    from wiki.services import pages_rerender

    for batch in _batches(Page.objects.only("pk", "kind")):
        pages_rerender(Page.objects.filter(pk__in=[p.pk for p in batch]).specific())
    tallies.refresh_all()
    search.rebuild()
    for page in (
        Page.objects.published().filter(pk__in=list(old_titles or {})).specific()
    ):
        search.index(search.page_document(page, old_titles=old_titles[page.pk]))
    bump()
