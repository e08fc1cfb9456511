"""The small registries through which apps plug page kinds and syntax into the core."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Kind:
    """Everything the site knows of one kind of page, declared once in its app.

    An app declares each of its kinds as a ``Kind`` (e.g. ``people/kinds.py``)
    and registers it from its ``AppConfig.ready()`` with ``register_kind``; the
    core then routes, edits, reviews, lists, maps and links it without naming
    it.  A kind whose ``records`` is set is not a page but a record changed
    through the same proposals and revisions (a source).
    """

    kind: str  # stored in Page.kind (and Proposal.kind), e.g. "person"
    model: type
    section: str  # the URL segment, e.g. "people"
    plural: str  # e.g. "People"
    singular: str = ""  # e.g. "person"; the model's verbose name if empty
    form: type | None = None  # the edit form, a ModelForm of ``model``
    formsets: tuple[FormsetSpec, ...] = ()  # its own row groups, e.g. affiliations
    page_rows: bool = True  # whether the rows every page has are edited too
    # provider(page) -> [NavGroup], for pages of this kind, each costing a fixed
    # number of queries and rows: a NavList for any list that grows with the
    # site (bounded, with a "see all" page).
    navigation: tuple[Callable[[Any], list[NavGroup]], ...] = ()
    # What its page view prefetches: the page's own rows only (its edit form
    # bounds them), never rows other pages point here with (a NavList's job).
    prefetches: tuple[Any, ...] = ()
    # Its page template (infobox...), extending wiki/page_detail.html;
    # "<app_label>/<model_name>_detail.html" if empty.
    template: str = ""
    json_ld: Callable[..., dict] | None = None  # builder(page, url_of) -> dict
    og_type: str = "article"
    index: str = ""  # URL name of its index view, e.g. "people:person_index"
    urls: str = ""  # its app's URLconf, included at the site root
    sitemap: type | None = None  # for records; pages are in the pages sitemap
    # Classes its Markdown emits beyond its InlineSyntax's html_classes; the
    # sanitiser keeps these and drops any other class a writer types.
    html_classes: tuple[str, ...] = ()
    # (app_label, model_name) of the models moderators edit in the admin
    moderated_models: tuple[tuple[str, str], ...] = ()
    menu: int | None = None  # place in the header navigation (None: not there)
    featured: bool = False  # whether the home page may feature one of its pages
    order: int = 50  # place of its group among a page's related pages
    records: Any = None  # a RecordKind, for kinds that are not pages
    # search_facets(page_ids) -> {page_id: [page ids]}: the pages (themes,
    # organizations) each page of this kind is found under by search's filters.
    search_facets: Callable[[list[int]], dict[int, list[int]]] | None = None
    # search_more(page_ids) -> {page_id: text}: what each page of this kind is
    # found by beside its own text, ranked with its lede (a work's authors).
    search_more: Callable[[list[int]], dict[int, str]] | None = None
    # Whether search can be narrowed to the pages filed under one of its pages.
    search_within: bool = False
    # For records: search_document(record) -> wiki.search.Document.
    search_document: Callable[[Any], Any] | None = None

    @property
    def label(self) -> str:
        """The kind as a reader names it, e.g. "person" or "organization"."""
        return self.singular or str(self.model._meta.verbose_name)

    @property
    def is_page(self) -> bool:
        return self.records is None

    @property
    def templates(self) -> list[str]:
        """Templates of its pages, its own first."""
        meta = self.model._meta
        own = self.template or f"{meta.app_label}/{meta.model_name}_detail.html"
        return [own, "wiki/page_detail.html"]

    @property
    def index_url(self) -> str:
        from django.urls import reverse

        return reverse(self.index or "wiki:home")


_kinds: dict[str, Kind] = {}


def register_kind(declaration: Kind) -> None:
    """Plug one kind into the site: its page type (or record kind), edit form,
    navigation and structured data."""
    _kinds[declaration.kind] = declaration
    if declaration.records is not None:
        register_record_kind(declaration.records)
    if declaration.form is not None:
        register_editor(
            kind=declaration.kind,
            form=declaration.form,
            formsets=declaration.formsets,
            page_rows=declaration.page_rows and declaration.is_page,
        )
    for provider in declaration.navigation:
        register_navigation(provider, kinds=[declaration.kind])
    if declaration.json_ld is not None:
        register_structured_data(declaration.kind, declaration.json_ld)


def kinds() -> list[Kind]:
    """Every registered kind, pages and records, in the order apps registered
    them (the order of INSTALLED_APPS)."""
    return list(_kinds.values())


def kind(name: str) -> Kind | None:
    return _kinds.get(name)


def page_types() -> list[Kind]:
    return [k for k in kinds() if k.is_page]


def page_type(kind: str) -> Kind:
    declaration = _kinds[kind]
    if not declaration.is_page:
        raise KeyError(kind)
    return declaration


def page_type_for_model(model: type) -> Kind | None:
    for declaration in page_types():
        if declaration.model is model:
            return declaration
    return None


def page_type_for_section(section: str) -> Kind | None:
    for page_type_ in page_types():
        if page_type_.section == section:
            return page_type_
    return None


def menu() -> list[Kind]:
    """The kinds the header links to, in their order."""
    return sorted(
        (k for k in _kinds.values() if k.menu is not None), key=lambda k: k.menu
    )


def url_modules() -> list[str]:
    """The URLconfs of the apps that declare kinds, once each, in order."""
    return list(dict.fromkeys(k.urls for k in _kinds.values() if k.urls))


def html_classes() -> set[str]:
    """Classes the registered kinds' and syntaxes' Markdown emits."""
    return {
        *(name for k in _kinds.values() for name in k.html_classes),
        *(name for s in _inline_syntaxes.values() for name in s.html_classes),
    }


def moderated_models() -> list[tuple[str, str]]:
    return [pair for k in kinds() for pair in k.moderated_models]


@dataclass(frozen=True)
class InlineSyntax:
    """An inline Markdown syntax an app adds to the renderer.

    ``pattern`` is a regular expression.  Before a text is rendered, ``prepare``
    receives every match in it at once (so lookups cost one query per syntax,
    not one per use) and returns state that ``render`` later receives with each
    match.  ``render`` returns an ``xml.etree.ElementTree.Element``.
    """

    name: str
    pattern: str
    prepare: Callable[[list], Any]
    render: Callable[[Any, Any, Any], Any]
    summarize: Callable[[Any], Any] | None = None  # what to keep in Page.render_data
    priority: int = 180
    html_classes: tuple[str, ...] = ()  # the sanitiser keeps these


_inline_syntaxes: dict[str, InlineSyntax] = {}


def register_inline_syntax(syntax: InlineSyntax) -> None:
    _inline_syntaxes[syntax.name] = syntax


def inline_syntaxes() -> list[InlineSyntax]:
    return list(_inline_syntaxes.values())


# Called as hook(page=..., rendered=...) after a page is published, inside its
# revision, to keep what an app derives from page text (e.g. citations) in step.
_publish_hooks: list[Callable[..., None]] = []


def register_publish_hook(hook: Callable[..., None]) -> None:
    if hook not in _publish_hooks:
        _publish_hooks.append(hook)


def publish_hooks() -> list[Callable[..., None]]:
    return list(_publish_hooks)


# Called as hook(page=..., rendered=...) whenever a page's rendered HTML is
# stored: when it is published and when it is rendered again (a linked page
# renamed, a cited source changed).  For rows derived from what the render
# found (e.g. citation coverage), which must follow the HTML a reader sees.
_render_hooks: list[Callable[..., None]] = []


def register_render_hook(hook: Callable[..., None]) -> None:
    if hook not in _render_hooks:
        _render_hooks.append(hook)


def render_hooks() -> list[Callable[..., None]]:
    return list(_render_hooks)


# summary(html) -> what to keep in Page.render_data under ``name``, read from
# a body's rendered HTML (e.g. how many paragraphs cite a source).
_render_summaries: dict[str, Callable[[str], Any]] = {}


def register_render_summary(name: str, summary: Callable[[str], Any]) -> None:
    _render_summaries[name] = summary


def render_summaries() -> dict[str, Callable[[str], Any]]:
    return dict(_render_summaries)


# Admin inlines every page kind's admin shows (e.g. citations), added by apps.
_page_admin_inlines: list[type] = []


def register_page_admin_inline(inline: type) -> None:
    if inline not in _page_admin_inlines:
        _page_admin_inlines.append(inline)


def page_admin_inlines() -> list[type]:
    return list(_page_admin_inlines)


@dataclass
class NavItem:
    page: Any
    note: str = ""


@dataclass
class NavGroup:
    """A group of pages a page leads to, e.g. "Co-authors" with their shared works.

    A bounded list (``NavList``) shows its first entries: ``total`` counts them
    all and ``more_url`` is the page that lists them all ("See all ``total``
    ``noun``").
    """

    key: str
    title: str
    items: list[NavItem]
    order: int = 50
    total: int | None = None
    more_url: str = ""
    noun: str = ""

    @property
    def count(self) -> int:
        return len(self.items) if self.total is None else self.total

    @property
    def has_more(self) -> bool:
        return bool(self.more_url) and self.count > len(self.items)


def nav_list_size() -> int:
    from django.conf import settings

    return settings.LINEAGE_NAV_LIST_SIZE


@dataclass(frozen=True)
class NavList:
    """A list a page leads to that can grow with the site (co-authors, what
    links here...), bounded: the page shows its first ``limit`` entries and
    how many there are, and links to a paginated page of them all,
    ``/<section>/<slug>/<key>/``.

    ``entries(page)`` is a QuerySet of every entry (pages), in the list's
    order, chosen and ranked in the database: ORDER BY over an index, or
    GROUP BY and COUNT for rankings such as shared themes.  Select only the
    columns a list shows (``.only()``): the page view slices it.
    ``notes(page, entries)`` gives the note of each of the ``entries`` shown
    (a slice), by pk, in at most one query; the page and its "see all" page
    both use it, so they say the same.  Without it, ``note(entry)`` reads the
    note from the entry itself.

    A ``NavList`` is a navigation provider: ``register_navigation`` takes it
    as it takes a function, and it costs one query (two with ``notes``).
    """

    do_not_call_in_templates = True  # templates read its title, noun...

    key: str  # the group's key and the URL segment of its "see all" page
    title: str
    noun: str  # what "See all N ..." counts, e.g. "co-authors"
    entries: Callable[[Any], Any]
    notes: Callable[[Any, list], dict[int, str]] | None = None
    note: Callable[[Any], str] | None = None
    order: int = 50
    limit: int | None = None  # None: settings.LINEAGE_NAV_LIST_SIZE

    def items(self, page, entries: list) -> list[NavItem]:
        """``entries`` (a slice of ``entries(page)``) with their notes."""
        if self.notes is not None:
            notes = self.notes(page, entries) if entries else {}
            return [NavItem(entry, notes.get(entry.pk, "")) for entry in entries]
        note = self.note or (lambda entry: "")
        return [NavItem(entry, note(entry)) for entry in entries]

    def __call__(self, page) -> list[NavGroup]:
        from django.db.models import Count, Window
        from django.urls import reverse

        limit = self.limit or nav_list_size()
        # The total rides on the same query (COUNT(*) OVER ()): the database
        # counts the rows it ranks anyway, without a second scan.
        entries = list(
            self.entries(page).annotate(nav_total=Window(Count("*")))[:limit]
        )
        total = entries[0].nav_total if entries else 0
        more_url = reverse(
            "wiki:nav_list",
            kwargs={"section": page.section, "slug": page.slug, "key": self.key},
        )
        return [
            NavGroup(
                key=self.key,
                title=self.title,
                items=self.items(page, entries),
                order=self.order,
                total=total,
                more_url=more_url,
                noun=self.noun,
            )
        ]


# Each provider is called as provider(page) and returns NavGroups; it must cost a
# fixed number of queries and read a bounded number of rows whatever the size
# of the site (a NavList does).
_navigation: list[tuple[frozenset[str] | None, Callable[[Any], list[NavGroup]]]] = []
# The bounded lists by (kind, key), kind None for lists every page has: what
# their "see all" pages show.
_nav_lists: dict[tuple[str | None, str], NavList] = {}


def register_navigation(
    provider: Callable[[Any], list[NavGroup]], *, kinds=None
) -> None:
    _navigation.append((frozenset(kinds) if kinds else None, provider))
    if isinstance(provider, NavList):
        for kind_ in kinds or [None]:
            _nav_lists[(kind_, provider.key)] = provider


def navigation_for(page) -> list[NavGroup]:
    """The navigation groups of ``page``."""
    groups = []
    for kinds, provider in _navigation:
        if kinds is None or page.kind in kinds:
            groups.extend(g for g in provider(page) if g.items)
    return sorted(groups, key=lambda g: g.order)


def nav_list(kind: str, key: str) -> NavList | None:
    """The bounded list ``key`` of pages of ``kind``, if they have one."""
    return _nav_lists.get((kind, key)) or _nav_lists.get((None, key))


def nav_lists(kind: str) -> list[NavList]:
    """Every bounded list pages of ``kind`` have, in their order on the page."""
    keys = {key for kind_, key in _nav_lists if kind_ in (None, kind)}
    found = [nav_list(kind, key) for key in keys]  # the kind's own list first
    return sorted(found, key=lambda provider: (provider.order, provider.key))


# Extra template context for a page view, e.g. the numbered references.
_page_context: list[Callable[[Any], dict]] = []


def register_page_context(provider: Callable[[Any], dict]) -> None:
    if provider not in _page_context:
        _page_context.append(provider)


def page_context(page) -> dict:
    context: dict = {}
    for provider in _page_context:
        context.update(provider(page))
    return context


# Lookups page views prefetch (e.g. citations with their sources), for every
# kind (None) or for some: an app adds what it shows on other kinds' pages.
_page_prefetches: list[tuple[frozenset[str] | None, Any]] = []


def register_page_prefetch(*lookups: Any, kinds=None) -> None:
    _page_prefetches.extend(
        (frozenset(kinds) if kinds else None, lookup) for lookup in lookups
    )


def page_prefetches(kind: str | None = None) -> list[Any]:
    """What a page view of ``kind`` prefetches beside its kind's own."""
    return [
        lookup
        for kinds, lookup in _page_prefetches
        if kinds is None or (kind is not None and kind in kinds)
    ]


# schema.org data for a page kind: builder(page, url_of) -> dict, where
# url_of(page_or_path) gives an absolute URL.
_structured_data: dict[str, Callable[..., dict]] = {}


def register_structured_data(kind: str, builder: Callable[..., dict]) -> None:
    _structured_data[kind] = builder


def structured_data_builder(kind: str) -> Callable[..., dict] | None:
    return _structured_data.get(kind)


@dataclass(frozen=True)
class FormsetSpec:
    """Rows the edit form of a page edits as a formset, e.g. affiliations.

    ``formset`` is called as ``formset(data, instance=page, prefix=prefix)`` and
    has ``save_rows()``; ``snapshot_field`` names the field of a diff snapshot
    (wiki/diff.py) that shows these rows.
    """

    prefix: str
    label: str
    formset: type
    snapshot_field: str
    help_text: str = ""


@dataclass(frozen=True)
class PageEditor:
    kind: str
    form: type
    formsets: tuple[FormsetSpec, ...] = ()
    page_rows: bool = True  # whether the rows every page has are edited too


_editors: dict[str, PageEditor] = {}
# Formsets every kind's edit form shows (e.g. related pages, references).
_page_formsets: list[FormsetSpec] = []


def register_editor(*, kind: str, form: type, formsets=(), page_rows=True) -> None:
    """Plug a kind's edit form (a ModelForm of the kind) into the site.

    Records that are not pages (``register_record_kind``) register theirs with
    ``page_rows=False``: they have no related pages or references.
    """
    _editors[kind] = PageEditor(kind, form, tuple(formsets), page_rows)


def register_page_formset(spec: FormsetSpec) -> None:
    if all(s.prefix != spec.prefix for s in _page_formsets):
        _page_formsets.append(spec)


def page_editor(kind: str) -> PageEditor:
    return _editors[kind]


def page_formsets(kind: str) -> list[FormsetSpec]:
    """The formsets of ``kind``'s edit form, its own first."""
    editor = _editors[kind]
    return [*editor.formsets, *(_page_formsets if editor.page_rows else [])]


# Checks an app adds to every page form's text, e.g. that each [@key] cited
# names a source.  Called as check(form, publishing=...) once the form's own
# fields are clean; a check adds its errors with ``form.add_error``.
# ``publishing`` is True when the data is about to go live (a direct edit, an
# approval), False when it is proposed or previewed.
_page_form_checks: list[Callable[..., None]] = []


def register_page_form_check(check: Callable[..., None]) -> None:
    if check not in _page_form_checks:
        _page_form_checks.append(check)


def page_form_checks() -> list[Callable[..., None]]:
    return list(_page_form_checks)


@dataclass(frozen=True)
class ReviewFlag:
    """Something a moderator should look at in a proposal.

    ``test(change)`` receives a ``wiki.moderation.Assessment`` (snapshots before
    and after, external links before and after) and says whether it applies.
    """

    name: str  # a slug, e.g. "citations-removed"
    label: str
    test: Callable[[Any], bool]


_review_flags: dict[str, ReviewFlag] = {}


def register_review_flag(flag: ReviewFlag) -> None:
    _review_flags[flag.name] = flag


def review_flags() -> list[ReviewFlag]:
    return list(_review_flags.values())


# Autocomplete suggestions for edit forms: lookup(query, kind) returns a list
# of {"value": what the field takes, "label": what the reader sees}.
_lookups: dict[str, Callable[[str, str], list[dict]]] = {}


def register_lookup(name: str, lookup: Callable[[str, str], list[dict]]) -> None:
    _lookups[name] = lookup


def lookup(name: str) -> Callable[[str, str], list[dict]] | None:
    return _lookups.get(name)


class RecordKind(Protocol):
    """Something that is not a page but that contributors change through the
    same proposals, review and revisions (a source): what moderation needs to
    know of it.  Its edit form is registered under the same kind with
    ``register_editor(..., page_rows=False)``; its proposals have no page.
    """

    kind: str  # stored in Proposal.kind, e.g. "source"
    label: str  # e.g. "source"
    plural: str  # e.g. "Sources"
    model: type

    def record_of(self, proposal, *, lock: bool = False) -> Any:
        """The record a proposal changes (fresh, locked if asked), or None
        when it proposes a new one."""

    def attach(self, proposal, *, record, proposed) -> None:
        """Remember which record ``proposal`` changes (``record``, None for a
        new one) and what it proposes (``proposed``, the unsaved form instance)."""

    def latest_revision(self, record) -> Any: ...

    def at_revision(self, record, revision_id: int) -> Any:
        """The record as ``revision_id`` left it (unsaved), or None."""

    def snapshot(self, record) -> Any:
        """``record`` (saved or not) as a ``wiki.diff.Snapshot``."""

    def revision_snapshots(self, record, revision_ids: list[int]) -> dict: ...

    def external_links(self, record) -> set: ...  # of wiki.external.ExternalRef

    def publish(self, *, record, author, approver, summary, minor, proposal, note):
        """Save ``record`` as one revision with its metadata; return it."""

    def records_by_id(self, ids) -> dict:
        """Live records by id, for lists of revisions (recent changes)."""

    def history_url(self, record) -> str: ...

    def amend_url(self, proposal) -> str: ...


_record_kinds: dict[str, RecordKind] = {}


def register_record_kind(record_kind: RecordKind) -> None:
    _record_kinds[record_kind.kind] = record_kind


def record_kind(kind: str) -> RecordKind | None:
    return _record_kinds.get(kind)


def record_kinds() -> list[RecordKind]:
    return list(_record_kinds.values())


@dataclass(frozen=True)
class GraphLink:
    """A relation the relationship graph (wiki/graph.py) follows from a page:
    rows of ``through`` (a link table) from ``source`` to ``target``, two
    foreign keys to pages, e.g. an authorship from its person to its work.

    The graph reads it for many pages at once in one query, ranked per page
    by ``order_by`` (the target's title by default) and cut to a bound per
    page in the database.  On PostgreSQL each page's first rows are read
    through an index (a LATERAL join): a relation with thousands of rows per
    page (an organization's members, a theme's works, what links to a page)
    orders by columns of ``through`` that an index on ``(source, ...)``
    covers, so reading its first rows costs the same whatever their number.
    """

    key: str
    label: str  # how the target relates to the source, e.g. "Works"
    through: Any = None
    source: str = ""
    target: str = ""
    order_by: tuple[Any, ...] = ()
    # For a relation that is no one link table (co-authors, through shared
    # works): rows(source_ids, limit) gives the rows ``wiki.graph.follow_all``
    # gives, in one query.
    rows: Callable[[list[int], int], list[tuple]] | None = None
    # Whether the graph follows it from the page itself, and from the pages
    # one step away (what links to each of them is not followed: pages two
    # steps away are what those pages touch, not everything that names them).
    first_step: bool = True
    second_step: bool = True
    # What a target is to the page, in the list of its network (after the
    # target's title), e.g. "written by this person"; the label lowercased
    # if empty.
    note: str = ""


# The relations the graph follows from pages of some kinds (None: every kind).
_graph_links: list[tuple[frozenset[str] | None, GraphLink]] = []


def register_graph_link(link: GraphLink, *, kinds=None) -> None:
    _graph_links.append((frozenset(kinds) if kinds else None, link))


def graph_links() -> list[tuple[frozenset[str] | None, GraphLink]]:
    return list(_graph_links)
