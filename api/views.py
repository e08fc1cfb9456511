"""The read API: published pages, sources, citations and history, as JSON.

Read-only and anonymous: GET, HEAD and OPTIONS (anything else is a 405), no
session or account (so no CSRF and nothing per user), throttled per client
address (api/throttling.py).  Only what the public site shows: live pages,
never a proposal, never a deleted page's history, never a hidden revision
text, summary or author.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response

from api import serializers as s
from api.errors import Withheld, invalid
from api.pagination import Key, KeysetPagination, encode_cursor, with_cursor
from api.relations import BY_ID, PAGE_REF_FIELDS, Relation, relations, relations_of
from sources.models import Citation, Source
from wiki import history, registry, revision_visibility
from wiki.diff import (
    DIFF_CONTEXT,
    RevisionDataError,
    Snapshot,
    diff_snapshots,
    revision_snapshots,
)
from wiki.models import Page, latest_version_subquery

ERROR = s.ErrorSerializer
PAGE_SERIALIZERS = s.page_detail_serializers()
BAD_REQUEST = OpenApiResponse(ERROR, description="A query parameter was refused.")
NOT_FOUND = OpenApiResponse(ERROR, description="No such live page, source or revision.")
LIMITED = OpenApiResponse(
    ERROR, description="Too many requests: try again after Retry-After seconds."
)
LIST_ERRORS = {400: BAD_REQUEST, 429: LIMITED}
ITEM_ERRORS = {
    400: OpenApiResponse(
        ERROR,
        description="The address was refused (a NUL character in it, or a "
        "query parameter, which it takes none of).",
    ),
    404: NOT_FOUND,
    429: LIMITED,
}
ITEM_LIST_ERRORS = {400: BAD_REQUEST, 404: NOT_FOUND, 429: LIMITED}


class ReadOnlyAPIView(GenericAPIView):
    http_method_names = ["get", "head", "options"]
    # The query parameters the view reads besides its pagination's (those
    # its schema names): any other is refused with 400, so a misspelt filter
    # is not quietly ignored and every page of everything returned.
    filters: list[OpenApiParameter] = []
    strict_query = True

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # throttled first
        if self.strict_query:
            refuse_unknown_parameters(request, self.known_parameters())

    def known_parameters(self) -> list[str]:
        names = [parameter.name for parameter in self.filters]
        if self.pagination_class is not None:
            parameters = self.pagination_class().get_schema_operation_parameters(self)
            names += [parameter["name"] for parameter in parameters]
        return names


def refuse_unknown_parameters(request, known: list[str]) -> None:
    unknown = [name for name in request.query_params if name not in known]
    if not unknown:
        return
    if known:
        takes = f"this address takes {', '.join(known)}"
    else:
        takes = "this address takes no query parameters"
    raise invalid(unknown[0], f"Not a parameter of this address: {takes}.")


def live_page(page_id: int) -> Page:
    page = (
        Page.objects.published()
        .filter(pk=page_id)
        .only(*PAGE_REF_FIELDS, "is_deleted")
        .first()
    )
    if page is None:
        raise Http404(f"No live page has the id {page_id}.")
    return page


# Pages ------------------------------------------------------------------------


def modified_since_param(request) -> datetime | None:
    raw = request.query_params.get("modified_since")
    if raw is None:
        return None
    try:
        value = parse_datetime(raw.strip())
    except ValueError:
        value = None
    if value is None:
        raise invalid(
            "modified_since",
            "Give a date or a date and time in ISO 8601, e.g. 2026-01-31 or "
            "2026-01-31T12:00:00Z.",
        )
    return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)


def kind_param(request) -> str | None:
    kind = request.query_params.get("kind")
    if kind is None:
        return None
    names = [page_type.kind for page_type in registry.page_types()]
    if kind not in names:
        raise invalid("kind", f"Give one of: {', '.join(names)}.")
    return kind


PAGE_FILTERS = [
    OpenApiParameter(
        "kind",
        str,
        enum=[page_type.kind for page_type in registry.page_types()],
        description="Only pages of this kind.",
    ),
    OpenApiParameter(
        "modified_since",
        str,
        description="Only pages changed at or after this time (ISO 8601: a date, "
        "or a date and time; UTC unless it names a zone).",
    ),
]


@extend_schema(
    summary="Live pages of every kind, oldest change first",
    parameters=PAGE_FILTERS,
    responses={200: s.PageSummarySerializer(many=True), **LIST_ERRORS},
)
class PageList(ReadOnlyAPIView, ListAPIView):
    """Every live page, in the order of its last change (then its id): a page
    changed since you walked the list comes again at its end."""

    filters = PAGE_FILTERS

    serializer_class = s.PageSummarySerializer
    pagination_class = KeysetPagination.by(Key("updated_at", type=datetime), Key("id"))

    def get_queryset(self):
        pages = (
            Page.objects.published()
            .only(
                *PAGE_REF_FIELDS, "short_title", "summary", "created_at", "updated_at"
            )
            .annotate(revision_id=latest_version_subquery("revision_id"))
        )
        kind = kind_param(self.request)
        if kind is not None:
            pages = pages.filter(kind=kind)
        since = modified_since_param(self.request)
        if since is not None:
            pages = pages.filter(updated_at__gte=since)
        return pages


@extend_schema(
    summary="A live page with its kind's fields and its lists",
    responses={
        200: PolymorphicProxySerializer(
            component_name="PageDetail",
            serializers=PAGE_SERIALIZERS,
            resource_type_field_name="kind",
        ),
        **ITEM_ERRORS,
    },
)
class PageDetail(ReadOnlyAPIView):
    def get(self, request, page_id):
        kind = live_page(page_id).kind
        model = registry.page_type(kind).model
        page = (
            model.objects.filter(pk=page_id)
            .annotate(revision_id=latest_version_subquery("revision_id"))
            .get()
        )
        limit = settings.LINEAGE_API_EMBEDDED
        for relation in relations_of(kind):
            rows, total = relation.first(page, limit)
            path = relation_url(relation, page)
            more = total > len(rows)
            setattr(
                page,
                f"api_{relation.name}",
                {
                    "count": total,
                    "results": rows,
                    "url": request.build_absolute_uri(path),
                    "next": with_cursor(
                        request, path, encode_cursor(relation.keys, rows[-1])
                    )
                    if more
                    else None,
                },
            )
        serializer = PAGE_SERIALIZERS[kind](page, context={"request": request})
        return Response(serializer.data)


def relation_url(relation: Relation, page: Page) -> str:
    return reverse(f"api:page_{relation.name}", kwargs={"page_id": page.pk})


def relation_list_view(relation: Relation) -> type:
    """The paginated list ``relation`` of a page (404 for a page of a kind
    without it)."""

    @extend_schema(
        summary=relation.description,
        responses={200: s.ROWS[relation.row](many=True), **ITEM_LIST_ERRORS},
    )
    class RelationList(ReadOnlyAPIView, ListAPIView):
        serializer_class = s.ROWS[relation.row]
        pagination_class = KeysetPagination.by(*relation.keys)

        def get_queryset(self):
            page = live_page(self.kwargs["page_id"])
            if not relation.applies_to(page.kind):
                raise Http404(f"A {page.kind} has no {relation.name}.")
            return relation.rows(page)

    RelationList.__name__ = f"Page{relation.name.title()}List"
    return RelationList


RELATION_VIEWS = {
    relation.name: relation_list_view(relation) for relation in relations()
}


# History ----------------------------------------------------------------------


@extend_schema(
    summary="A live page's revisions, newest first",
    responses={200: s.RevisionSerializer(many=True), **ITEM_LIST_ERRORS},
)
class RevisionList(ReadOnlyAPIView, ListAPIView):
    serializer_class = s.RevisionSerializer
    pagination_class = KeysetPagination.by(Key("revision_id", descending=True))

    def get_queryset(self):
        return history.page_history(live_page(self.kwargs["page_id"]))

    def list(self, request, *args, **kwargs):
        rows = self.paginate_queryset(self.get_queryset())
        data = self.get_serializer(history.entries(rows), many=True).data
        return self.get_paginated_response(data)


class Unreadable(exceptions.APIException):
    status_code = 410
    default_code = "unreadable"


@extend_schema(
    summary="A revision with what it changed from its parent, field by field",
    responses={
        200: s.RevisionDetailSerializer,
        403: OpenApiResponse(
            ERROR, description="Its text, or its parent's, is hidden from the public."
        ),
        410: OpenApiResponse(ERROR, description="The revision can no longer be read."),
        **ITEM_ERRORS,
    },
)
class RevisionDetail(ReadOnlyAPIView):
    serializer_class = s.RevisionDetailSerializer

    def get(self, request, page_id, revision_id):
        page = live_page(page_id)
        found = history.page_entries(page, [revision_id])
        if revision_id not in found:
            raise Http404(f"Revision {revision_id} is not a revision of this page.")
        entry = found[revision_id]
        ids = [i for i in (entry.previous_id, entry.id) if i is not None]
        hidden = [entry.id] if entry.text_hidden else []
        parent = entry.previous_id
        if parent is not None and revision_visibility.text_hidden(parent):
            hidden.append(parent)
        if hidden:
            raise Withheld(
                f"The text of revision {hidden[0]} is hidden from the public, "
                "so this diff is not shown."
            )
        try:
            snapshots = revision_snapshots(ids, page)
        except RevisionDataError as error:
            raise Unreadable(str(error)) from error
        before = snapshots[entry.previous_id] if entry.previous_id else Snapshot()
        entry.changes = diff_snapshots(
            before, snapshots[entry.id], context=DIFF_CONTEXT
        )
        return Response(self.get_serializer(entry).data)


@extend_schema(
    summary="Every published change to pages and sources, newest first",
    responses={200: s.RecentChangeSerializer(many=True), **LIST_ERRORS},
)
class RecentChanges(ReadOnlyAPIView, ListAPIView):
    """What the site's recent changes list: revisions of live pages and of
    sources, without what is hidden from the public."""

    serializer_class = s.RecentChangeSerializer
    pagination_class = KeysetPagination.by(Key("revision_id", descending=True))

    def get_queryset(self):
        return revision_visibility.listable(history.change_versions(), None)

    def list(self, request, *args, **kwargs):
        rows = self.paginate_queryset(self.get_queryset())
        entries = history.entries(rows, with_pages=True)
        data = self.get_serializer(entries, many=True).data
        return self.get_paginated_response(data)


# Sources ----------------------------------------------------------------------


@extend_schema(
    summary="Every source, in the order they were added",
    responses={200: s.SourceSerializer(many=True), **LIST_ERRORS},
)
class SourceList(ReadOnlyAPIView, ListAPIView):
    serializer_class = s.SourceSerializer
    pagination_class = KeysetPagination.by(*BY_ID)

    def get_queryset(self):
        return Source.objects.select_related("work").only(
            *(f.attname for f in Source._meta.concrete_fields),
            *(f"work__{name}" for name in (*PAGE_REF_FIELDS, "is_deleted")),
        )


@extend_schema(
    summary="A source with its identifiers",
    responses={200: s.SourceSerializer, **ITEM_ERRORS},
)
class SourceDetail(ReadOnlyAPIView):
    serializer_class = s.SourceSerializer

    def get(self, request, source_id):
        source = SourceList().get_queryset().filter(pk=source_id).first()
        if source is None:
            raise Http404(f"No source has the id {source_id}.")
        return Response(self.get_serializer(source).data)


@extend_schema(
    summary="The live pages that cite a source",
    responses={200: s.CitingPageSerializer(many=True), **ITEM_LIST_ERRORS},
)
class SourceCitations(ReadOnlyAPIView, ListAPIView):
    serializer_class = s.CitingPageSerializer
    pagination_class = KeysetPagination.by(*BY_ID)

    def get_queryset(self):
        source_id = self.kwargs["source_id"]
        if not Source.objects.filter(pk=source_id).exists():
            raise Http404(f"No source has the id {source_id}.")
        return (
            Citation.objects.filter(source_id=source_id, page__is_deleted=False)
            .select_related("page")
            .only(
                "id", "position", "source_id", *(f"page__{n}" for n in PAGE_REF_FIELDS)
            )
        )


@extend_schema(exclude=True)
class NotFound(ReadOnlyAPIView):
    strict_query = False  # nothing is here, whatever the query

    def get(self, request, *args, **kwargs):
        raise Http404("Nothing is at this address of the API.")
