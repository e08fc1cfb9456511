"""Load the seed content (``content/``): readable files in, revisioned pages out.

Only what is missing is created, so loading twice changes nothing; each object
created gets its own first revision, "Imported from seed", through the publish
services.  A seed page is identified by its kind and its seed slug: a page
still at that address, or one renamed away from it (its old address
redirects), or one deleted since, is the seed's page and is left as it is.
Existing pages and sources are never changed.
"""

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from people.models import ORGANIZATION, PERSON, Affiliation, Organization, Person
from sources.models import Authorship, Citation, Source, Work
from sources.services import source_publish
from wiki.models import THEME, Page, PageRedirect, RelatedPage, RevisionMeta, Theme
from wiki.services import page_publish

COMMENT = "Imported from seed"
DEFAULT_DIRECTORY = Path(settings.BASE_DIR) / "content"


class SeedError(Exception):
    pass


@dataclass
class SeedReport:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read_front_matter(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise SeedError(f"{path}: expected YAML front matter between --- lines")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front) or {}, body.strip() + "\n"


def read_list(path: Path) -> list[dict]:
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(data, list):
        raise SeedError(f"{path}: expected a list of records")
    return data


PAGE_FIELDS = ("title", "short_title", "summary", "reading_title", "reading", "body")


def _page_fields(record: dict, *extra: str) -> dict:
    values = {k: record[k] for k in (*PAGE_FIELDS, *extra) if record.get(k) is not None}
    values["slug"] = record.get("slug") or slugify(record["title"])
    return values


class Loader:
    """Creates the missing rows first, then renders, then records one revision each.

    Pages link to each other in circles (a profile lists its works as related
    pages; the works list the profile as their author), so every row exists
    before anything renders, and each object's first revision holds its
    finished state.
    """

    def __init__(self, directory: Path):
        self.directory = directory
        self.report = SeedReport()
        self.new_pages: list[Page] = []
        self.new_sources: list[Source] = []

    def page(self, model, kind: str, title: str) -> Page:
        pages = Page.objects.titled([title])
        page = (pages.filter(kind=kind) if kind else pages).first()
        if page is None:  # renamed since the seed: found by its seed address
            page = seed_page(kind=kind, slug=slugify(title))
        if page is None:
            raise SeedError(f"No page titled {title!r} (kind {kind or 'any'})")
        return page.specific if model is None else model.objects.get(pk=page.pk)

    def create_page(self, model, values: dict):
        """Create the page unless the seed's page exists (at its slug, renamed
        away from it, or deleted); return it, or None if skipped."""
        kind = _kind_of(model)
        if seed_page(kind=kind, slug=values["slug"]) is not None:
            self.report.skipped.append(values["title"])
            return None
        page = model(**values)
        page.full_clean(exclude=["kind"])
        page.save()  # bare row: the others refer to it; published in publish()
        self.new_pages.append(page)
        return page

    def simple_pages(self, model, filename: str, *extra: str) -> None:
        for record in read_list(self.directory / filename):
            self.create_page(model, _page_fields(record, *extra))

    def sources(self) -> None:
        for record in read_list(self.directory / "sources.yaml"):
            if Source.objects.filter(key=record["key"]).exists():
                self.report.skipped.append(record["key"])
                continue
            source = Source(**record)
            source.full_clean()
            source.save()  # bare row: published in publish()
            self.new_sources.append(source)

    def profiles(self) -> list[tuple[Person, dict]]:
        created = []
        for path in sorted((self.directory / "people").glob("*.md")):
            front, body = read_front_matter(path)
            values = _page_fields(
                front,
                "short_description",
                "known_for",
                "why_they_matter",
                "open_questions",
            )
            person = self.create_page(Person, {**values, "body": body})
            if person:
                created.append((person, front))
        return created

    def profile_relations(self, person: Person, front: dict) -> None:
        person.themes.set([self.page(Theme, THEME, n) for n in front.get("themes", [])])
        for position, item in enumerate(front.get("affiliations", [])):
            organization = self.page(Organization, ORGANIZATION, item["organization"])
            affiliation = Affiliation(
                person=person,
                position=position,
                **{**item, "organization": organization},
            )
            affiliation.full_clean()
            affiliation.save()
        for position, title in enumerate(front.get("related", [])):
            target = self.page(Page, "", title)
            RelatedPage.objects.create(page=person, target=target, position=position)
        for position, key in enumerate(front.get("sources", [])):
            source = Source.objects.get(key=key)
            Citation.objects.create(page=person, source=source, position=position)

    def works(self) -> None:
        for record in read_list(self.directory / "works.yaml"):
            values = _page_fields(
                record, "work_type", "year", "month", "day", "venue", "doi", "arxiv_id"
            )
            values["url"] = record.get("url", "")
            values["authors_incomplete"] = bool(record.get("more_authors"))
            work = self.create_page(Work, values)
            if work is None:
                continue
            for position, name in enumerate(record["authors"]):
                person = self.page(Person, PERSON, name)
                Authorship.objects.create(work=work, person=person, position=position)
            work.themes.set(
                [self.page(Theme, THEME, n) for n in record.get("themes", [])]
            )
            for source in self.new_sources:  # never re-point an existing source
                if source.key in record.get("sources", []):
                    source.work = work  # the source is this work

    def publish(self) -> None:
        """One revision per created object, through the publish services, now
        that every row it refers to exists."""
        for source in self.new_sources:
            source_publish(
                source=source,
                user=None,
                summary=COMMENT,
                action=RevisionMeta.Action.IMPORT,
            )
            self.report.created.append(str(source))
        for page in self.new_pages:
            page_publish(
                page=page,
                user=None,
                summary=COMMENT,
                action=RevisionMeta.Action.IMPORT,
            )
            self.report.created.append(str(page))

    def run(self) -> SeedReport:
        self.simple_pages(Theme, "themes.yaml")
        self.simple_pages(Organization, "organizations.yaml", "org_type")
        self.simple_pages(Person, "people.yaml", "short_description")
        self.sources()
        profiles = self.profiles()
        self.works()
        for person, front in profiles:
            self.profile_relations(person, front)
        self.publish()
        return self.report


def _kind_of(model) -> str:
    from wiki import registry

    return next(t.kind for t in registry.page_types() if t.model is model)


def seed_page(*, kind: str, slug: str) -> Page | None:
    """The page the seed created at ``slug`` for ``kind`` (any kind if empty):
    still there, deleted since, or renamed away from it (its old address
    redirects)."""
    pages = Page.objects.filter(slug=slug)
    redirects = PageRedirect.objects.filter(slug=slug)
    if kind:
        pages, redirects = pages.filter(kind=kind), redirects.filter(kind=kind)
    page = pages.first()
    if page is None:
        moved = redirects.select_related("page").first()
        page = moved.page if moved else None
    return page


def load_seed(directory: Path = DEFAULT_DIRECTORY) -> SeedReport:
    with transaction.atomic():
        return Loader(directory).run()
