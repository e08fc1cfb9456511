"""What the API shows of pages, sources and revisions: published data only."""

import functools

from django.conf import settings
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from markdownx.models import MarkdownxField
from rest_framework import serializers

from api.relations import relations_of
from sources.models import Source
from wiki import registry
from wiki.identifiers import identifiers_of


def _absolute(context: dict, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField(help_text='What went wrong, e.g. "invalid".')
    detail = serializers.CharField(help_text="What went wrong, in words.")
    parameters = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        help_text="Each query parameter that was refused, with why.",
    )


class IdentifierSerializer(serializers.Serializer):
    scheme = serializers.CharField(help_text='E.g. "doi", "arxiv", "orcid".')
    name = serializers.CharField(help_text='As a reader names it, e.g. "DOI".')
    value = serializers.CharField()
    url = serializers.URLField()

    def to_representation(self, identifier):
        return {
            "scheme": identifier.scheme.name,
            "name": identifier.name,
            "value": identifier.value,
            "url": identifier.url,
        }


@functools.cache
def _api_page_prefix() -> str:
    return reverse("api:page_detail", kwargs={"page_id": 0}).removesuffix("0/")


def page_ref(page, context: dict) -> dict:
    """A page as another names it (what PageRefSerializer shows), built
    directly: a detail names up to a few hundred pages."""
    return {
        "id": page.pk,
        "kind": page.kind,
        "title": page.title,
        "web_url": _absolute(context, page.get_absolute_url()),
        "api_url": _absolute(context, f"{_api_page_prefix()}{page.pk}/"),
    }


class PageRefSerializer(serializers.Serializer):
    """A page named by another: enough to show a link and fetch it."""

    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    web_url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    def get_web_url(self, page) -> str:
        return _absolute(self.context, page.get_absolute_url())

    def get_api_url(self, page) -> str:
        return _absolute(self.context, f"{_api_page_prefix()}{page.pk}/")

    def to_representation(self, page):
        if type(self) is PageRefSerializer:
            return page_ref(page, self.context)
        return super().to_representation(page)


class PageSummarySerializer(PageRefSerializer):
    """A page in the list of pages."""

    slug = serializers.CharField()
    short_title = serializers.CharField()
    summary = serializers.CharField(help_text="The lede, as Markdown.")
    created = serializers.DateTimeField(source="created_at")
    modified = serializers.DateTimeField(source="updated_at")
    revision_id = serializers.IntegerField(
        allow_null=True, help_text="The current revision."
    )


class SourceRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField(help_text="The citation key: cited as [@key].")
    title = serializers.CharField()
    api_url = serializers.SerializerMethodField()

    def get_api_url(self, source) -> str:
        path = reverse("api:source_detail", kwargs={"source_id": source.pk})
        return _absolute(self.context, path)


def source_identifiers(source: Source) -> list[dict]:
    found = []
    if source.doi:
        found.append(
            {"scheme": "doi", "name": "DOI", "value": source.doi, "url": source.doi_url}
        )
    if source.arxiv_id:
        found.append(
            {
                "scheme": "arxiv",
                "name": "arXiv",
                "value": source.arxiv_id,
                "url": source.arxiv_url,
            }
        )
    return found


class SourceSerializer(SourceRefSerializer):
    source_type = serializers.ChoiceField(choices=Source.Type.choices)
    authors = serializers.CharField(help_text="As printed.")
    publisher = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    month = serializers.IntegerField(allow_null=True)
    day = serializers.IntegerField(allow_null=True)
    url = serializers.CharField()
    doi = serializers.CharField()
    arxiv_id = serializers.CharField()
    identifiers = serializers.SerializerMethodField()
    work = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    citations_url = serializers.SerializerMethodField()
    created = serializers.DateTimeField(source="created_at")
    modified = serializers.DateTimeField(source="updated_at")

    @extend_schema_field(IdentifierSerializer(many=True))
    def get_identifiers(self, source) -> list:
        return source_identifiers(source)

    @extend_schema_field(PageRefSerializer(allow_null=True))
    def get_work(self, source):
        work = source.work
        if work is None or work.is_deleted:
            return None
        return page_ref(work, self.context)

    def get_web_url(self, source) -> str:
        return _absolute(self.context, source.get_absolute_url())

    def get_citations_url(self, source) -> str:
        path = reverse("api:source_citations", kwargs={"source_id": source.pk})
        return _absolute(self.context, path)


# Rows of a page's lists (api/relations.py), by the name a Relation gives.


class RelatedRowSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    page = PageRefSerializer(source="target")


class CitationRowSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    source = SourceRefSerializer()


class LinkRowSerializer(serializers.Serializer):
    title = serializers.CharField(source="target_title", help_text="As linked.")
    page = serializers.SerializerMethodField()

    @extend_schema_field(PageRefSerializer(allow_null=True))
    def get_page(self, link):
        target = link.target
        if target is None or target.is_deleted:
            return None
        return page_ref(target, self.context)


class AffiliationRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = PageRefSerializer()
    organization = PageRefSerializer()
    role = serializers.CharField()
    start_year = serializers.IntegerField(allow_null=True)
    start_month = serializers.IntegerField(allow_null=True)
    end_year = serializers.IntegerField(allow_null=True)
    end_month = serializers.IntegerField(allow_null=True)
    note = serializers.CharField()


class WorkRefSerializer(PageRefSerializer):
    year = serializers.IntegerField(allow_null=True)


class WorkRowSerializer(serializers.Serializer):
    position = serializers.IntegerField(help_text="Its place among the authors.")
    work = WorkRefSerializer()


class AuthorRowSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    person = PageRefSerializer()


class CitingPageSerializer(serializers.Serializer):
    position = serializers.IntegerField(help_text="Its place in the page's references.")
    page = PageRefSerializer()


ROWS = {
    "related": RelatedRowSerializer,
    "citation": CitationRowSerializer,
    "link": LinkRowSerializer,
    "affiliation": AffiliationRowSerializer,
    "work": WorkRowSerializer,
    "author": AuthorRowSerializer,
    "page": PageRefSerializer,
}


_embedded: dict[str, type] = {}


def embedded_serializer(relation) -> type:
    """The first rows of ``relation`` as a page's detail embeds them."""
    if relation.name not in _embedded:
        _embedded[relation.name] = _embedded_serializer(relation)
    return _embedded[relation.name]


def _embedded_serializer(relation) -> type:
    return type(
        f"Embedded{relation.name.title().replace('_', '')}",
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(help_text="How many rows it has."),
            "results": ROWS[relation.row](
                many=True,
                help_text=f"The first rows (at most {settings.LINEAGE_API_EMBEDDED}).",
            ),
            "url": serializers.URLField(help_text="The whole list, paginated."),
            "next": serializers.URLField(
                allow_null=True,
                help_text="The list after these rows, or null when these are all.",
            ),
            "__doc__": relation.description,
        },
    )


# Pages in full: the fields every page has, its kind's own and its lists.

COMMON_FIELDS = [
    "id",
    "kind",
    "title",
    "short_title",
    "slug",
    "web_url",
    "api_url",
    "summary",
    "body",
    "body_html",
    "reading_title",
    "reading",
    "reading_html",
    "identifiers",
    "created",
    "modified",
    "revision_id",
    "revisions_url",
]


class PageDetailSerializer(serializers.ModelSerializer):
    kind = serializers.CharField()
    web_url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()
    body = serializers.CharField(help_text="Markdown.")
    body_html = serializers.CharField(help_text="The body rendered and sanitised.")
    reading = serializers.CharField(help_text="Markdown.")
    reading_html = serializers.CharField()
    identifiers = serializers.SerializerMethodField()
    created = serializers.DateTimeField(source="created_at")
    modified = serializers.DateTimeField(source="updated_at")
    revision_id = serializers.IntegerField(
        allow_null=True, help_text="The current revision."
    )
    revisions_url = serializers.SerializerMethodField()

    get_web_url = PageRefSerializer.get_web_url
    get_api_url = PageRefSerializer.get_api_url

    @extend_schema_field(IdentifierSerializer(many=True))
    def get_identifiers(self, page) -> list:
        return IdentifierSerializer(identifiers_of(page), many=True).data

    def get_revisions_url(self, page) -> str:
        path = reverse("api:page_revisions", kwargs={"page_id": page.pk})
        return _absolute(self.context, path)


def _kind_fields(model) -> list:
    """The model fields a kind adds to Page's, in their order."""
    return [
        f
        for f in model._meta.concrete_fields
        if f.model is model and not f.primary_key and not f.one_to_one
    ]


def page_detail_serializer(kind: str) -> type:
    """The serializer of a page of ``kind``: Page's fields, its kind's own
    (each Markdown field with its rendered ``<name>_html``) and its lists."""
    page_type = registry.page_type(kind)
    model = page_type.model
    attrs: dict = {
        "kind": serializers.ChoiceField(choices=[kind], help_text="Its kind."),
    }
    names = list(COMMON_FIELDS)
    for f in _kind_fields(model):
        names.append(f.name)
        if isinstance(f, MarkdownxField):
            html = f"{f.name}_html"
            attrs[html] = serializers.SerializerMethodField()
            attrs[f"get_{html}"] = extend_schema_field(OpenApiTypes.STR)(
                lambda self, page, name=f.name: page.fields_html.get(name, "")
            )
            names.append(html)
    for relation in relations_of(kind):
        attrs[relation.name] = embedded_serializer(relation)(
            source=f"api_{relation.name}"
        )
        names.append(relation.name)
    meta = type("Meta", (), {"model": model, "fields": names})
    attrs["Meta"] = meta
    name = "".join(part.title() for part in kind.split("_")) + "Page"
    return type(name, (PageDetailSerializer,), attrs)


def page_detail_serializers() -> dict[str, type]:
    return {
        page_type.kind: page_detail_serializer(page_type.kind)
        for page_type in registry.page_types()
    }


# Revisions


class RevisionSerializer(serializers.Serializer):
    """A revision of a page: who, when and why, as the public may read it."""

    id = serializers.IntegerField()
    parent_id = serializers.IntegerField(
        allow_null=True, help_text="The page's revision before it."
    )
    date = serializers.DateTimeField()
    action = serializers.CharField(help_text="edit, import, revert, delete or recover.")
    author = serializers.CharField(
        allow_null=True, help_text="A username; null when hidden or unknown."
    )
    approver = serializers.CharField(
        allow_null=True,
        help_text="Who published it (the author, for a direct edit); null when "
        "none is recorded, or when it is the hidden author.",
    )
    summary = serializers.CharField(
        allow_null=True, help_text="The edit summary; null when hidden."
    )
    minor = serializers.BooleanField()
    size = serializers.IntegerField(help_text="Characters of text after it.")
    size_delta = serializers.IntegerField()
    title = serializers.CharField(
        allow_null=True,
        help_text="The page's title at this revision; null when its text is hidden.",
    )
    hidden = serializers.ListField(
        child=serializers.ChoiceField(choices=["text", "summary", "author"]),
        help_text="What moderators hid from the public.",
    )
    api_url = serializers.URLField()

    def to_representation(self, entry):
        data = revision_data(entry)
        path = reverse(
            "api:revision_detail",
            kwargs={"page_id": entry.page_id, "revision_id": entry.id},
        )
        data["api_url"] = _absolute(self.context, path)
        return data


def revision_data(entry) -> dict:
    """A history entry (wiki.history.Entry) without what is hidden from the public."""
    meta = entry.meta
    hidden = entry.hidden_parts
    user = entry.revision.user
    approver = meta.approved_by if meta else None
    if "author" in hidden and meta.approved_by_id == entry.revision.user_id:
        approver = None  # who published their own edit: the hidden author
    return {
        "id": entry.id,
        "parent_id": entry.previous_id,
        "date": serializers.DateTimeField().to_representation(
            entry.revision.date_created
        ),
        "action": entry.action,
        "author": None if "author" in hidden or user is None else user.username,
        "approver": None if approver is None else approver.username,
        "summary": None if "summary" in hidden else entry.summary,
        "minor": bool(meta and meta.minor),
        "size": meta.size if meta else 0,
        "size_delta": meta.size_delta if meta else 0,
        # The title is part of what the revision's text recorded.
        "title": None if "text" in hidden else entry.title,
        "hidden": hidden,
    }


class ChangeSerializer(serializers.Serializer):
    """What a revision changed in one field."""

    field = serializers.CharField(source="name")
    label = serializers.CharField()
    kind = serializers.ChoiceField(
        choices=["text", "short", "items"],
        help_text="text: Markdown, with a word diff; short: a value; "
        "items: rows, as lines of text.",
    )
    old = serializers.JSONField(help_text="A string, or a list of strings (items).")
    new = serializers.JSONField(help_text="A string, or a list of strings (items).")
    diff_html = serializers.CharField(
        allow_null=True,
        help_text="For text: the words removed in <del>, added in <ins>, "
        "the rest escaped.",
    )
    added = serializers.ListField(child=serializers.CharField())
    removed = serializers.ListField(child=serializers.CharField())

    def to_representation(self, change):
        data = super().to_representation(change)
        data["diff_html"] = str(change.diff_html) if change.kind == "text" else None
        return data


class RevisionDetailSerializer(RevisionSerializer):
    changes = ChangeSerializer(
        many=True, help_text="What it changed from its parent, field by field."
    )

    def to_representation(self, entry):
        data = super().to_representation(entry)
        data["changes"] = ChangeSerializer(entry.changes, many=True).data
        return data


class RecentChangeSerializer(RevisionSerializer):
    """A revision of any page or source, in recent changes."""

    page = PageRefSerializer(allow_null=True)
    source = SourceRefSerializer(allow_null=True)
    api_url = serializers.URLField(
        allow_null=True, help_text="The revision with its diff (pages only)."
    )

    def to_representation(self, entry):
        if entry.record is None:
            data = super().to_representation(entry)
        else:
            data = revision_data(entry)
            data["api_url"] = None
        data["page"] = (
            page_ref(entry.page, self.context) if entry.page is not None else None
        )
        data["source"] = (
            SourceRefSerializer(entry.record, context=self.context).data
            if entry.record is not None
            else None
        )
        return data
