"""A generated corpus: people, organizations, works, themes and sources with
their history, for measuring the site at scale (``manage.py generate_pages``).

The one documented exception to "every change goes through the services": a
hundred thousand pages through ``page_publish`` would take an hour, so rows are
written in bulk, one transaction per batch.  Everything the services would
maintain is made the way they make it:

- page HTML, table of contents and ``render_data`` come from the real renderer
  (``wiki.services.page_render``), its link and citation lookups answered from
  memory with the same resolution rules (``wiki.links.choose``);
- ``PageLink`` rows (blue and red) and ``Citation`` rows are what
  ``links.record_links`` and ``attach_cited_sources`` would record;
- every page has 2 to 4 revisions by generated users, approved by generated
  moderators, with edit summaries and dates; each revision holds the
  ``Version`` rows django-reversion would have stored (its registered follows
  and serializer: ``wiki.versioning``), and its ``RevisionMeta`` with the
  size measure of ``wiki.services.page_text_size``; every source has one;
- ``created_at``/``updated_at`` are the dates of the first and last revision.

The same seed (on the same database content) gives the same titles, slugs,
texts and relations; only ids may differ.  Every page, source and user made is
marked (``GeneratedRow``) so that ``delete_generated`` removes exactly those,
with their revisions, links, citations, authorships and affiliations.
"""

import bisect
import dataclasses
import itertools
import multiprocessing
import random
import resource
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, router, transaction
from django.utils.text import slugify
from reversion.models import Revision, Version

from people.models import Affiliation, Organization, Person
from sources import vocabulary as words
from sources.citations import CitationState, parse_items
from sources.models import SOURCE_KIND, Authorship, Citation, GeneratedRow, Source
from sources.snapshots import source_size
from wiki import links, registry, search, tallies, versioning
from wiki.cache import bump
from wiki.links import WikilinkState, normalize_title
from wiki.models import Page, PageLink, PageRedirect, RelatedPage, RevisionMeta, Theme
from wiki.services import page_render, page_text_size, rerender_pages

BASE_DATE = datetime(2020, 1, 1, tzinfo=UTC)
HISTORY_DAYS = 5 * 365  # first revisions fall in 2020-2024, edits up to ~2025
SOURCE_DATE = datetime(2019, 6, 1, tzinfo=UTC)  # sources exist before pages cite them


class GenerateError(Exception):
    pass


# Planning ---------------------------------------------------------------------------


@dataclasses.dataclass
class Planned:
    """A page to make: what it is, and the stub that links resolve to."""

    kind: str
    index: int
    title: str
    slug: str
    stub: Page  # kind, slug, title; pk once inserted
    themes: list[int] = dataclasses.field(default_factory=list)
    # people: (organization index, role, start y, start m, end y, end m)
    affiliations: list[tuple] = dataclasses.field(default_factory=list)
    authors: list[int] = dataclasses.field(default_factory=list)  # works
    works: list[int] = dataclasses.field(default_factory=list)  # people
    extra: dict = dataclasses.field(default_factory=dict)

    @property
    def pk(self) -> int | None:
        return self.stub.pk


@dataclasses.dataclass
class PlannedSource:
    index: int
    key: str
    fields: dict
    work: int | None  # index of the work it is
    pk: int | None = None
    stub: Source | None = None


@dataclasses.dataclass
class State:
    """A page's fields at one revision, and the revision's metadata."""

    fields: dict
    markdown: str  # "final", "empty" or "partial": which render the HTML is
    comment: str
    minor: bool
    user: int  # index into the generated users
    approver: int
    date: datetime


@dataclasses.dataclass(frozen=True)
class Counts:
    people: int
    works: int
    organizations: int
    themes: int
    users: int
    moderators: int

    @classmethod
    def for_corpus(cls, *, people: int, works: int) -> "Counts":
        pages = people + works
        users = min(2000, max(12, pages // 150)) if pages else 0
        return cls(
            people=people,
            works=works,
            organizations=max(5, people // 80) if people else 0,
            themes=min(300, max(20, pages // 300)) if pages else 0,
            users=users,
            moderators=max(3, users // 8) if users else 0,
        )


class Zipf:
    """Draw indexes 0..n-1, the first ones far more often (weight 1/(i+shift)^s)."""

    def __init__(self, n: int, *, s: float = 1.0, shift: float = 1.0):
        weights = [1 / (i + shift) ** s for i in range(n)]
        self.cumulative = list(itertools.accumulate(weights))
        self.n = n

    def draw(self, rng: random.Random) -> int:
        x = rng.random() * self.cumulative[-1]
        return min(bisect.bisect_right(self.cumulative, x), self.n - 1)

    def distinct(self, rng: random.Random, k: int) -> list[int]:
        k = min(k, self.n)
        chosen: list[int] = []
        while len(chosen) < k:
            i = self.draw(rng)
            if i not in chosen:
                chosen.append(i)
        return chosen


class Index:
    """Every page a link may name (existing and planned) and every source a
    citation may name, in memory: what the renderer's lookups would find."""

    def __init__(self):
        self.by_name: dict[str, list[Page]] = defaultdict(list)
        self.names: set[str] = set()
        self.slugs: set[tuple[str, str]] = set()
        self.sources: dict[str, Source] = {}

    def add_page(self, page: Page) -> None:
        for name in {normalize_title(page.title), normalize_title(page.short_title)}:
            if name:
                self.by_name[name].append(page)

    def take(self, title: str) -> bool:
        """Reserve ``title`` for a new page; False if a page answers to it."""
        name = normalize_title(title)
        if name in self.names or name in self.by_name:
            return False
        self.names.add(name)
        return True

    def resolve(self, titles: Iterable[str]) -> dict[str, list]:
        """As ``wiki.links.resolve_titles``, from memory."""
        found: dict[str, list] = {}
        for title in titles:
            if not title.strip():
                continue
            candidates = {
                id(page): page
                for key in links.lookup_names(title)
                for page in self.by_name.get(key, ())
            }
            chosen = links.choose(title, list(candidates.values()))
            if chosen or normalize_title(title) not in found:
                found[normalize_title(title)] = chosen
        return found


@contextmanager
def lookups_from(index: Index) -> Iterator[None]:
    """Answer the renderer's wikilink and citation lookups from ``index``
    (the rendering itself is the site's own)."""
    originals = {s.name: s for s in registry.inline_syntaxes()}

    def wikilinks(matches) -> WikilinkState:
        names = (" ".join(m.group(1).split()) for m in matches)
        titles = list(dict.fromkeys(name for name in names if name))
        return WikilinkState(pages=index.resolve(titles), titles=titles)

    def citations(matches) -> CitationState:
        keys = set()
        for match in matches:
            keys.update(key for key, _ in parse_items(match.group(1)) or [])
        if keys - set(index.sources):  # not ours: ask the database as the site does
            return originals["citation"].prepare(matches)
        return CitationState(sources={key: index.sources[key] for key in keys})

    replaced = {"wikilink": wikilinks, "citation": citations}
    try:
        for name, prepare in replaced.items():
            registry.register_inline_syntax(
                dataclasses.replace(originals[name], prepare=prepare)
            )
        yield
    finally:
        for name in replaced:
            registry.register_inline_syntax(originals[name])


@contextmanager
def one_parser() -> Iterator[None]:
    """Build the renderer's Markdown parser once and reset it between texts,
    as ``render`` itself does when it converts texts one by one: building it
    costs about a quarter of a page's render.  The output is the same
    (tests/wiki/test_generate.py compares it with ``page_publish``'s)."""
    from wiki import markdown as renderer

    build = renderer._markdown
    shared: dict = {}
    parser = None

    def reused(states):
        nonlocal parser
        shared.clear()
        shared.update(states)  # the syntax processors read this very dict
        if parser is None:
            parser = build(shared)
        return parser.reset()

    renderer._markdown = reused
    try:
        yield
    finally:
        renderer._markdown = build


# The generator --------------------------------------------------------------------


@dataclasses.dataclass
class Report:
    seed: int
    pages: int = 0
    people: int = 0
    works: int = 0
    organizations: int = 0
    themes: int = 0
    sources: int = 0
    users: int = 0
    revisions: int = 0
    versions: int = 0
    authorships: int = 0
    affiliations: int = 0
    citations: int = 0
    links: int = 0
    red_links: int = 0
    rerendered: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # this process and its render workers


def cpu_time() -> float:
    used = [
        resource.getrusage(who)
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    ]
    return sum(u.ru_utime + u.ru_stime for u in used)


KIND_MODELS = {"theme": Theme, "organization": Organization}


class Generator:
    def __init__(
        self,
        *,
        people: int,
        works: int,
        seed: int,
        batch: int = 1000,
        progress: Callable[[str, int, int], None] | None = None,
        workers: int = 1,
    ):
        for name, value in (("people", people), ("works", works), ("batch", batch)):
            if not isinstance(value, int) or value < 0:
                raise GenerateError(f"--{name} must be a whole number, 0 or more.")
        if batch < 1:
            raise GenerateError("--batch must be 1 or more.")
        self.counts = Counts.for_corpus(people=people, works=works)
        self.seed = seed
        self.batch = batch
        self.progress = progress or (lambda phase, done, total: None)
        self.db = router.db_for_write(Page)
        self.report = Report(seed=seed)
        self.index = Index()
        self.pages: dict[str, list[Planned]] = {}
        self.sources: list[PlannedSource] = []
        self.usernames: list[str] = []
        self.user_ids: list[int] = []
        self.revision_ids: dict[tuple[str, int, int], int] = {}
        self.renders: dict[tuple, object] = {}
        self.workers = workers
        self.meta: dict[tuple[str, int], list[tuple]] = {}
        self.partials: dict[tuple[str, int], dict] = {}
        self.cited: dict[tuple[str, int], list[str]] = {}  # keys, in number order

    # -- planning: names and relations, all in memory, from the seed alone --

    def rng(self, *parts) -> random.Random:
        return random.Random("/".join(map(str, (self.seed, *parts))))

    def load_existing(self) -> None:
        existing = Page.objects.only(
            "id", "kind", "slug", "title", "short_title", "is_deleted"
        )
        for page in existing:
            self.index.slugs.add((page.kind, page.slug))
            if not page.is_deleted:
                self.index.add_page(page)
            self.index.names.add(normalize_title(page.title))
        self.index.slugs.update(PageRedirect.objects.values_list("kind", "slug"))
        self.taken_keys = set(Source.objects.values_list("key", flat=True))
        self.taken_dois = set(Source.objects.values_list("doi", flat=True))
        self.taken_arxiv = set(Source.objects.values_list("arxiv_id", flat=True))
        self.taken_usernames = set(
            get_user_model().objects.values_list("username", flat=True)
        )

    def plan_pages(self, kind: str, count: int, make_title) -> list[Planned]:
        rng = self.rng("titles", kind)
        planned = []
        attempts = 0
        while len(planned) < count:
            attempts += 1
            if attempts > 50 * count + 1000:
                raise GenerateError(f"Ran out of distinct {kind} titles.")
            title = make_title(rng, attempts)
            slug = slugify(title)
            if not slug or (kind, slug) in self.index.slugs:
                continue
            if not self.index.take(title):
                continue
            self.index.slugs.add((kind, slug))
            stub = Page(kind=kind, slug=slug, title=title, short_title="")
            self.index.add_page(stub)
            planned.append(Planned(kind, len(planned), title, slug, stub))
        self.pages[kind] = planned
        return planned

    def plan(self) -> None:
        c = self.counts

        def theme_title(rng, _):
            return (
                f"{rng.choice(words.THEME_MODIFIERS)} {rng.choice(words.THEME_NOUNS)}"
            )

        def org_title(rng, _):
            pattern = rng.choice(words.ORG_PATTERNS)
            city = rng.choice(words.CITIES).replace("-", " ")
            return pattern.format(
                city=city,
                word=rng.choice(words.ORG_WORDS),
                field=rng.choice(words.THEME_NOUNS).capitalize(),
            )

        def person_title(rng, attempt):
            first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
            if rng.random() < 0.15 or attempt > c.people:
                return f"{first} {rng.choice('ABCDEFGHJKLMNPRSTVW')}. {last}"
            return f"{first} {last}"

        def work_title(rng, _):
            name = rng.choice(words.SYSTEM_NAMES)
            if rng.random() < 0.5:
                name = f"{name}-{rng.randint(2, 9)}"
            title = rng.choice(words.WORK_PATTERNS).format(
                Mod=rng.choice(words.THEME_MODIFIERS),
                mod=rng.choice(words.THEME_MODIFIERS).lower(),
                noun=rng.choice(words.THEME_NOUNS),
                noun2=rng.choice(words.THEME_NOUNS),
                task=rng.choice(words.TASKS).replace("-", " "),
                property=rng.choice(words.PROPERTIES).replace("-", " "),
                data=rng.choice(words.DATA).replace("-", " "),
                Name=name,
            )
            return title[:1].upper() + title[1:]

        themes = self.plan_pages("theme", c.themes, theme_title)
        orgs = self.plan_pages("organization", c.organizations, org_title)
        people = self.plan_pages("person", c.people, person_title)
        works = self.plan_pages("work", c.works, work_title)
        self.plan_relations(themes, orgs, people, works)
        self.plan_sources(people, works)
        self.plan_users()
        # Hubs: a few pages many others link to (the seed's pages first).
        existing = {id(p): p for ps in self.index.by_name.values() for p in ps if p.pk}
        self.hubs = sorted(existing.values(), key=lambda p: (p.kind, p.slug))
        self.hubs += [p.stub for p in themes[:10] + orgs[:10] + people[:20]]
        self.hub_zipf = Zipf(len(self.hubs), s=1.2) if self.hubs else None
        self.missing = [
            t
            for t in words.MISSING_TOPICS
            if not self.index.resolve([t]).get(normalize_title(t))
        ]

    def plan_relations(self, themes, orgs, people, works) -> None:
        rng = self.rng("organizations")
        for org in orgs:
            org.extra = {
                "org_type": rng.choice(("company", "lab", "university", "nonprofit")),
                "founded_year": rng.randint(1950, 2020),
            }
        rng = self.rng("relations")
        theme_zipf = Zipf(len(themes)) if themes else None
        org_zipf = Zipf(len(orgs)) if orgs else None
        for person in people:
            if theme_zipf:
                person.themes = theme_zipf.distinct(rng, rng.choice((1, 1, 2, 2, 3)))
            n_affiliations = rng.choices((1, 2, 3), weights=(55, 30, 15))[0]
            year = rng.randint(2000, 2018)
            for org in org_zipf.distinct(rng, n_affiliations) if org_zipf else []:
                start_month = rng.randint(1, 12) if rng.random() < 0.5 else None
                end_year = end_month = None
                if rng.random() < 0.5:
                    end_year = min(year + rng.randint(1, 6), 2025)
                    if start_month and rng.random() < 0.6:
                        end_month = rng.randint(1, 12)
                role = rng.choice(words.AFFILIATION_ROLES)
                person.affiliations.append(
                    (org, role, year, start_month, end_year, end_month)
                )
                year = (end_year or year) + rng.randint(0, 2)
                year = min(year, 2024)
        # Authors: a few people write a great many works, most only a few.
        order = list(range(len(people)))
        rng.shuffle(order)
        author_zipf = Zipf(len(people), s=1.1, shift=20) if people else None
        for work in works:
            if theme_zipf:
                work.themes = theme_zipf.distinct(rng, rng.choice((1, 1, 2, 2, 3)))
            n = rng.choices(range(1, 9), weights=(18, 22, 20, 15, 10, 7, 5, 3))[0]
            if author_zipf:
                work.authors = [order[i] for i in author_zipf.distinct(rng, n)]
                for person in work.authors:
                    people[person].works.append(work.index)
            year = rng.randint(2005, 2025)
            month = rng.randint(1, 12) if rng.random() < 0.6 else None
            day = rng.randint(1, 28) if month and rng.random() < 0.3 else None
            work_type = rng.choices(
                ("paper", "model", "system", "post", "book"), weights=(70, 10, 8, 7, 5)
            )[0]
            work.extra = {
                "year": year,
                "month": month,
                "day": day,
                "work_type": work_type,
                "venue": rng.choice(words.VENUES) if work_type == "paper" else "",
            }

    def plan_sources(self, people, works) -> None:
        rng = self.rng("sources")

        def key_for(name: str, year: int, word: str) -> str:
            stem = slugify(name).replace("-", "") or "anon"
            base = f"{stem}{year}{slugify(word).replace('-', '')}"[:90]
            for suffix in ["", *"bcdefghijklmnopqrstuvwxyz"]:
                if base + suffix not in self.taken_keys:
                    self.taken_keys.add(base + suffix)
                    return base + suffix
            key = f"{base}{len(self.taken_keys)}"
            self.taken_keys.add(key)
            return key

        for work in works:
            if rng.random() >= 0.6:
                continue
            extra = work.extra
            authors = [people[i].title for i in work.authors]
            last = authors[0].split()[-1] if authors else "Anonymous"
            printed = (
                ", ".join(authors[:-1]) + f" and {authors[-1]}"
                if 1 < len(authors) <= 3
                else (f"{authors[0]} et al." if authors else "")
            )
            key = key_for(last, extra["year"], work.title.split()[0])
            fields = {
                "key": key,
                "source_type": "paper" if extra["venue"] != "arXiv" else "preprint",
                "authors": printed,
                "title": work.title,
                "publisher": extra["venue"],
                "year": extra["year"],
                "month": extra["month"],
                "day": extra["day"],
                "url": f"https://example.org/papers/{key}",
                "doi": "",
                "arxiv_id": "",
            }
            if rng.random() < 0.4 and f"10.5555/{key}" not in self.taken_dois:
                fields["doi"] = f"10.5555/{key}"
            if extra["year"] >= 2015 and extra["month"] and rng.random() < 0.5:
                number = rng.randint(0, 99999)
                arxiv = f"{extra['year'] % 100:02d}{extra['month']:02d}.{number:05d}"
                if arxiv not in self.taken_arxiv:
                    self.taken_arxiv.add(arxiv)
                    fields["arxiv_id"] = arxiv
            self.sources.append(
                PlannedSource(len(self.sources), key, fields, work.index)
            )
        for _ in range((len(people) + len(works)) // 10):
            outlet = rng.choice(words.NEWS_OUTLETS)
            year = rng.randint(2015, 2025)
            topic = rng.choice(words.THEME_NOUNS)
            key = key_for(outlet.split()[-1], year, topic)
            source_type = rng.choice(("news", "blog", "report", "book"))
            fields = {
                "key": key,
                "source_type": source_type,
                "authors": " ".join(
                    (rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES))
                ),
                "title": f"The state of {topic} in {year}",
                "publisher": outlet,
                "year": year,
                "month": rng.randint(1, 12),
                "day": None,
                "url": f"https://example.org/{slugify(outlet)}/{key}",
                "doi": "",
                "arxiv_id": "",
            }
            self.sources.append(PlannedSource(len(self.sources), key, fields, None))
        for planned in self.sources:
            planned.stub = Source(**planned.fields)
            self.index.sources[planned.key] = planned.stub
        self.source_zipf = Zipf(len(self.sources), s=1.1) if self.sources else None
        self.sources_of_work = {s.work: s for s in self.sources if s.work is not None}

    def plan_users(self) -> None:
        rng = self.rng("users")
        while len(self.usernames) < self.counts.users:
            first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
            name = slugify(f"{first} {last}").replace("-", ".")
            name = f"{name}{rng.randint(1, 99)}"
            if name not in self.taken_usernames:
                self.taken_usernames.add(name)
                self.usernames.append(name)

    # -- texts: each page's revisions, from its own random stream --

    def link(self, page: Planned | Page, label: str | None = None) -> str:
        title = page.title
        return f"[[{title}|{label}]]" if label else f"[[{title}]]"

    def hub(self, rng) -> str:
        if not self.hub_zipf:
            return ""
        return self.link(self.hubs[self.hub_zipf.draw(rng)])

    def cite(self, rng, work_indexes=()) -> str:
        keys = [
            self.sources_of_work[w].key
            for w in work_indexes
            if w in self.sources_of_work
        ]
        if self.source_zipf and rng.random() < 0.5:
            keys.append(self.sources[self.source_zipf.draw(rng)].key)
        keys = list(dict.fromkeys(keys))[:2]
        if not keys:
            return ""
        if len(keys) == 2 and rng.random() < 0.3:
            return f" [@{keys[0]}; @{keys[1]}]"
        return " " + " ".join(f"[@{k}]" for k in keys)

    def red(self, rng) -> str:
        return f"[[{rng.choice(self.missing)}]]" if self.missing else "open problems"

    def person_texts(self, p: Planned, rng) -> dict:
        themes = [self.pages["theme"][i] for i in p.themes]
        orgs = [self.pages["organization"][a[0]] for a in p.affiliations]
        works = [self.pages["work"][i] for i in p.works[:4]]
        first = p.title.split()[0]
        role = rng.choice(words.ROLES)
        theme_words = (
            " and ".join(t.title.lower() for t in themes[:2]) or "machine learning"
        )
        summary = f"{p.title} is a {role.lower()} whose work centres on {theme_words}."
        draft = f"{p.title} is a {role.lower()} working on {theme_words}."
        paragraphs = [
            f"{p.title} is a {role.lower()}"
            + (f" at {self.link(orgs[0])}" if orgs else "")
            + ". Their research focuses on "
            + (", ".join(self.link(t) for t in themes) or "machine learning")
            + "."
        ]
        if works:
            coauthors = [
                self.pages["person"][i]
                for w in works[:2]
                for i in w.authors
                if i != p.index
            ][:3]
            paragraphs.append(
                f"Among {first}'s best-known works is {self.link(works[0])}"
                + (f", written with {self.link(coauthors[0])}" if coauthors else "")
                + self.cite(rng, [works[0].index])
                + ". "
                + (
                    f"Later work such as {self.link(works[1])} extended these "
                    f"ideas{self.cite(rng, [works[1].index])}."
                    if len(works) > 1
                    else "It is widely cited."
                )
            )
        career = [
            f"## Career\n\n{first} began their research career in "
            f"{p.affiliations[0][2] if p.affiliations else 2010}"
        ]
        if len(orgs) > 1:
            career.append(f" and later moved to {self.link(orgs[1])}")
        paragraphs.append(
            "".join(career) + f". They have written about {self.red(rng)} and cite "
            f"{self.hub(rng) or 'earlier work'} as an influence."
        )
        known_for = "\n".join(f"- {self.link(w)}" for w in works[:3])
        why = (
            f"{first}'s work shaped how the field approaches "
            f"{theme_words}{self.cite(rng)}."
            if rng.random() < 0.5
            else ""
        )
        questions = (
            f"- How far does their approach to {themes[0].title.lower()} scale?"
            if themes and rng.random() < 0.3
            else ""
        )
        return {
            "summary": summary,
            "draft": draft,
            "short_description": role,
            "paragraphs": paragraphs,
            "more": {
                "known_for": known_for,
                "why_they_matter": why,
                "open_questions": questions,
            },
        }

    def work_texts(self, p: Planned, rng) -> dict:
        extra = p.extra
        authors = [self.pages["person"][i] for i in p.authors]
        themes = [self.pages["theme"][i] for i in p.themes]
        kind = extra["work_type"]
        by = (
            " and ".join(self.link(a) for a in authors[:2])
            + (" and others" if len(authors) > 2 else "")
        ) or "an anonymous team"
        theme = themes[0].title.lower() if themes else "machine learning"
        summary = f"{p.title} is a {extra['year']} {kind} on {theme}."
        draft = f"{p.title} is a {kind} about {theme}."
        paragraphs = [
            f"*{p.title}* is a {kind} by {by}, published in {extra['year']}"
            + (f" at {extra['venue']}" if extra["venue"] else "")
            + self.cite(rng, [p.index])
            + "."
        ]
        if themes:
            paragraphs.append(
                "It contributes to "
                + ", ".join(self.link(t) for t in themes)
                + f", building on {self.hub(rng) or 'earlier work'}{self.cite(rng)}."
            )
        paragraphs.append(
            f"## Reception\n\nThe {kind} was discussed in connection with "
            f"{self.red(rng)}."
        )
        return {
            "summary": summary,
            "draft": draft,
            "paragraphs": paragraphs,
            "more": {},
        }

    def theme_texts(self, p: Planned, rng) -> dict:
        related = [
            self.pages["theme"][rng.randrange(len(self.pages["theme"]))]
            for _ in range(2)
        ]
        related = [t for t in dict.fromkeys(t.index for t in related) if t != p.index]
        summary = f"{p.title} is an area of research in machine learning."
        paragraphs = [
            f"## Overview\n\n{p.title} studies {p.title.split()[-1]} through "
            f"{p.title.split()[0].lower()} methods{self.cite(rng)}.",
            "It is related to "
            + (
                ", ".join(self.link(self.pages["theme"][i]) for i in related)
                or "other areas"
            )
            + f" and to {self.red(rng)}.",
        ]
        return {
            "summary": summary + " It draws on several neighbouring fields.",
            "middle": summary,
            "draft": f"{p.title} is a research area.",
            "paragraphs": paragraphs,
            "more": {},
        }

    def organization_texts(self, p: Planned, rng) -> dict:
        label = dict(Organization.Type.choices)[p.extra["org_type"]].lower()
        summary = f"{p.title} is a {label} doing research in machine learning."
        themes = self.pages["theme"]
        picked = (
            [themes[i] for i in sorted({rng.randrange(len(themes)) for _ in range(2)})]
            if themes
            else []
        )
        paragraphs = [
            f"{p.title} is a {label} founded in {p.extra['founded_year']}.",
            "Its researchers work on "
            + (", ".join(self.link(t) for t in picked) or "machine learning")
            + f"{self.cite(rng)}, and on {self.hub(rng) or 'related questions'}.",
        ]
        return {
            "summary": summary,
            "draft": f"{p.title} is a {label}.",
            "paragraphs": paragraphs,
            "more": {},
        }

    def states(self, p: Planned) -> list[State]:
        """The page at each of its revisions, oldest first."""
        rng = self.rng("page", p.kind, p.index)
        texts = getattr(self, f"{p.kind}_texts")(p, rng)
        n = rng.choices((2, 3, 4), weights=(35, 40, 25))[0]
        partial = rng.random() < 0.25 and len(texts["paragraphs"]) > 1
        day = rng.randrange(HISTORY_DAYS)
        dates = [BASE_DATE + timedelta(days=day, seconds=rng.randrange(86400))]
        for _ in range(n - 1):
            dates.append(
                dates[-1]
                + timedelta(days=rng.randint(1, 120), seconds=rng.randrange(86400))
            )
        users = self.counts.users
        moderators = self.counts.moderators

        def editor() -> tuple[int, int]:
            user = rng.randrange(users)
            return user, (user if user < moderators else rng.randrange(moderators))

        body = "\n\n".join(texts["paragraphs"])
        final = {"summary": texts["summary"], "body": body, **texts["more"]}
        # What the fourth revision adds (a theme's lede gets its last sentence).
        late_field, late_value = {
            "person": ("short_description", texts.get("short_description", "")),
            "work": ("venue", p.extra.get("venue", "")),
            "organization": ("website", f"https://example.org/{p.slug}"),
            "theme": ("summary", texts["summary"]),
        }[p.kind]
        final[late_field] = late_value
        states = []
        for r in range(n):
            fields = dict(final)
            if r < 2 and n >= 3:
                fields["summary"] = texts["draft"]
            elif n == 4 and r == 2 and p.kind == "theme":
                fields["summary"] = texts["middle"]
            if n == 4 and r < 3 and p.kind != "theme":
                fields[late_field] = ""
            if r == 0:
                markdown = "partial" if partial else "empty"
                fields["body"] = (
                    "\n\n".join(texts["paragraphs"][:-1]) if partial else ""
                )
                for name in texts["more"]:
                    fields[name] = ""
                comment = (
                    f"Start a page on {p.title}"
                    if not partial
                    else f"New page: {p.title}"
                )
                minor = False
            else:
                markdown = "final"
                comment, minor = {
                    1: ("Expand: research, career and references", False),
                    2: ("Copy-edit the lede", True),
                    3: (
                        {
                            "person": "Add a short description",
                            "work": "Add the venue",
                            "organization": "Add the website",
                            "theme": "Say what it draws on",
                        }[p.kind],
                        False,
                    ),
                }[r]
                if r == 1 and partial:
                    comment = "Add the last section"
            user, approver = editor()
            states.append(
                State(fields, markdown, comment, minor, user, approver, dates[r])
            )
        return states

    # -- writing --

    def run(self) -> Report:
        started, cpu_started = time.monotonic(), cpu_time()
        if GeneratedRow.objects.exists():
            seeds = sorted(set(GeneratedRow.objects.values_list("seed", flat=True)))
            pages = GeneratedRow.objects.filter(
                content_type=ContentType.objects.get_for_model(Page)
            ).count()
            raise GenerateError(
                f"A generated corpus is already here ({pages:,} pages, seed "
                f"{', '.join(map(str, seeds))}); run generate_pages --delete first."
            )
        self.load_existing()
        self.plan()
        with lookups_from(self.index), one_parser():
            self.write_users()
            total = sum(len(ps) for ps in self.pages.values())
            keys = [(kind, p.index) for kind in KINDS for p in self.pages[kind]]
            with self.renderers() as render:
                results = render(keys)
                done = 0
                for kind in KINDS:
                    for chunk in chunks(self.pages[kind], self.batch):
                        with transaction.atomic(using=self.db):
                            self.write_pages(kind, chunk, results)
                        done += len(chunk)
                        self.progress("pages", done, total)
            self.write_sources()
            self.write_revisions()
            self.stubs_by_pk()
            done = 0
            for kind in KINDS:
                for chunk in chunks(self.pages[kind], self.batch):
                    with transaction.atomic(using=self.db):
                        self.write_history(kind, chunk)
                    done += len(chunk)
                    self.progress("history", done, total)
            with transaction.atomic(using=self.db):
                self.write_source_history()
        self.report.rerendered = self.refresh_red_links()
        # Bulk writes bypass the write path's upkeep: count the pages again,
        # and index them for search.
        tallies.refresh_all()
        search.rebuild(
            progress=lambda phase, done, total: self.progress(
                f"search: {phase.lower()}", done, total
            )
        )
        analyze(self.db)
        bump()  # cached pages show what was just made
        self.report.seconds = time.monotonic() - started
        self.report.cpu_seconds = cpu_time() - cpu_started
        return self.report

    @contextmanager
    def renderers(self) -> Iterator[Callable]:
        """Render pages in ``workers`` processes (forked: they share the plan),
        the parent writing what they return, in order."""
        global _running
        database = connections[self.db]
        in_memory = database.vendor == "sqlite" and database.is_in_memory_db()
        # Forking needs the connection closed: not inside a transaction (a
        # test's), nor with a database that lives only in the connection.
        if self.workers < 2 or database.in_atomic_block or in_memory:
            yield lambda keys: map(self.render_page, keys)
            return
        connections.close_all()  # the workers never touch the database
        _running = self
        pool = multiprocessing.get_context("fork").Pool(self.workers)
        try:
            yield lambda keys: pool.imap(_render_page, keys, chunksize=16)
        finally:
            pool.terminate()
            pool.join()
            _running = None

    def mark(self, model, ids: Iterable[int]) -> None:
        content_type = ContentType.objects.get_for_model(model)
        GeneratedRow.objects.bulk_create(
            [
                GeneratedRow(content_type=content_type, object_id=pk, seed=self.seed)
                for pk in ids
            ],
            batch_size=1000,
        )

    def write_users(self) -> None:
        from django.contrib.auth.models import Group

        from wiki.roles import MODERATORS, ensure_roles

        user_model = get_user_model()
        users = []
        for i, name in enumerate(self.usernames):
            first, last = name.rstrip("0123456789").split(".", 1)
            users.append(
                user_model(
                    username=name,
                    first_name=first.title(),
                    last_name=last.replace(".", " ").title(),
                    email=f"{name}@example.org",
                    password=make_password(None),
                    date_joined=SOURCE_DATE - timedelta(days=i),
                )
            )
        with transaction.atomic(using=self.db):
            user_model.objects.bulk_create(users, batch_size=500)
            if not all(u.pk for u in users):
                users = list(
                    user_model.objects.filter(username__in=self.usernames).order_by(
                        "pk"
                    )
                )
                by_name = {u.username: u for u in users}
                users = [by_name[n] for n in self.usernames]
            self.user_ids = [u.pk for u in users]
            self.mark(user_model, self.user_ids)
            if self.counts.moderators:
                ensure_roles()
                group = Group.objects.get(name=MODERATORS)
                through = user_model.groups.through
                through.objects.bulk_create(
                    [
                        through(user_id=pk, group_id=group.pk)
                        for pk in self.user_ids[: self.counts.moderators]
                    ]
                )
        self.report.users = len(users)

    def insert(self, model, objs: list, fields, *, returning: bool) -> None:
        """Insert ``objs`` as they are (dates included: ``raw``), setting their
        primary keys when ``returning``."""
        if not objs:
            return
        size = max(1, connection.ops.bulk_batch_size(fields, objs))
        manager = model._base_manager.db_manager(self.db)
        for start in range(0, len(objs), size):
            part = objs[start : start + size]
            rows = manager._insert(
                part,
                fields=fields,
                returning_fields=[model._meta.pk] if returning else None,
                raw=True,
                using=self.db,
            )
            if returning:
                for obj, row in zip(part, rows, strict=True):
                    setattr(obj, model._meta.pk.attname, row[0])

    def render_page(self, key: tuple[str, int]) -> tuple:
        """Render page ``key`` (kind, index) as its last revision has it, and
        as its first if that renders differently; with each revision's
        metadata and size.  Plain data: it may run in a worker process."""
        kind, index = key
        p = self.pages[kind][index]
        model = registry.page_type(kind).model
        states = self.states(p)
        rendered = {}
        meta = []
        cited: list[str] = []
        for state in states:
            page = model(kind=kind, title=p.title, slug=p.slug)
            for name, value in {**self.own_fields(p), **state.fields}.items():
                setattr(page, name, value)
            if (
                state.markdown in ("final", "partial")
                and state.markdown not in rendered
            ):
                page_render(page)
                rendered[state.markdown] = {n: getattr(page, n) for n in RENDERED}
                if state.markdown == "final":
                    # In the order of their numbers, which a jsonb column
                    # (render_data on PostgreSQL) does not keep.
                    cited = list(page.render_data.get("citation", {}).get("counts", {}))
            meta.append(
                (
                    state.date,
                    state.user,
                    state.approver,
                    state.comment,
                    state.minor,
                    page_text_size(page),
                )
            )
        final = {**states[-1].fields, **rendered["final"]}
        return final, rendered.get("partial"), meta, cited

    def write_pages(self, kind: str, chunk: list[Planned], results) -> None:
        model = registry.page_type(kind).model
        instances = []
        for p in chunk:
            final, partial_html, meta, cited = next(results)
            self.meta[kind, p.index] = meta
            self.cited[kind, p.index] = cited
            if partial_html is not None:
                self.partials[kind, p.index] = partial_html
            page = model(
                kind=kind,
                title=p.title,
                slug=p.slug,
                created_at=meta[0][0],
                updated_at=meta[-1][0],
                **self.own_fields(p),
                **final,
            )
            instances.append(page)
        page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
        self.insert(Page, instances, page_fields, returning=True)
        for p, page in zip(chunk, instances, strict=True):
            page.page_ptr_id = page.id
            p.stub.pk = page.id
        if model is not Page:
            self.insert(
                model, instances, model._meta.local_concrete_fields, returning=False
            )
        self.mark(Page, [page.pk for page in instances])
        self.report.pages += len(instances)
        counter = {"person": "people"}.get(kind, f"{kind}s")
        setattr(self.report, counter, getattr(self.report, counter) + len(instances))
        themes_field = (
            model._meta.get_field("themes") if kind in ("person", "work") else None
        )
        if themes_field:
            through = themes_field.remote_field.through
            left = f"{model._meta.model_name}_id"
            through.objects.bulk_create(
                [
                    through(**{left: p.pk, "theme_id": self.pages["theme"][t].pk})
                    for p in chunk
                    for t in p.themes
                ],
                batch_size=1000,
            )
        if kind == "person":
            rows = [
                Affiliation(
                    person_id=p.pk,
                    organization_id=self.pages["organization"][org].pk,
                    role=role,
                    start_year=sy,
                    start_month=sm,
                    end_year=ey,
                    end_month=em,
                    position=position,
                )
                for p in chunk
                for position, (org, role, sy, sm, ey, em) in enumerate(p.affiliations)
            ]
            Affiliation.objects.bulk_create(rows, batch_size=1000)
            self.report.affiliations += len(rows)
        if kind == "work":
            rows = [
                Authorship(
                    work_id=p.pk,
                    person_id=self.pages["person"][a].pk,
                    position=position,
                )
                for p in chunk
                for position, a in enumerate(p.authors)
            ]
            Authorship.objects.bulk_create(rows, batch_size=1000)
            self.report.authorships += len(rows)

    def own_fields(self, p: Planned) -> dict:
        if p.kind == "work":
            return {k: v for k, v in p.extra.items() if k != "venue"}
        if p.kind == "organization":
            return dict(p.extra)
        return {}

    def write_sources(self) -> None:
        with transaction.atomic(using=self.db):
            objs = []
            for i, planned in enumerate(self.sources):
                source = planned.stub
                if planned.work is not None:
                    source.work_id = self.pages["work"][planned.work].pk
                source.created_at = source.updated_at = SOURCE_DATE + timedelta(
                    minutes=i
                )
                objs.append(source)
            fields = [f for f in Source._meta.concrete_fields if not f.primary_key]
            self.insert(Source, objs, fields, returning=True)
            for planned in self.sources:
                planned.pk = planned.stub.pk
            self.mark(Source, [s.pk for s in objs])
        self.report.sources = len(self.sources)

    def write_revisions(self) -> None:
        """Every revision, pages' and sources', in date order (so that revision
        ids grow with time, as on a site edited over years)."""
        planned = []
        for i, source in enumerate(self.sources):
            user = i % max(1, self.counts.users)
            planned.append(
                (
                    source.stub.created_at,
                    "source",
                    i,
                    0,
                    user,
                    user if user < self.counts.moderators else 0,
                    "Add source",
                    False,
                )
            )
        for (kind, index), meta in self.meta.items():
            for r, (date, user, approver, comment, minor, _) in enumerate(meta):
                planned.append(
                    (
                        date,
                        kind,
                        index,
                        r,
                        user,
                        approver,
                        comment,
                        minor,
                    )
                )
        planned.sort(key=lambda row: (row[0], row[1], row[2], row[3]))
        total = len(planned)
        for start in range(0, total, self.batch * 4):
            part = planned[start : start + self.batch * 4]
            revisions = [
                Revision(
                    date_created=date,
                    user_id=self.user_ids[user] if self.user_ids else None,
                    comment=comment,
                )
                for date, _, _, _, user, _, comment, _ in part
            ]
            with transaction.atomic(using=self.db):
                Revision.objects.using(self.db).bulk_create(revisions, batch_size=500)
            for row, revision in zip(part, revisions, strict=True):
                self.revision_ids[row[1], row[2], row[3]] = revision.pk
            self.progress("revisions", start + len(part), total)
        self.revision_plan = {(row[1], row[2], row[3]): row for row in planned}
        self.report.revisions = total

    def rendered(self, page, state: State, final, key) -> None:
        """Set ``page``'s rendered fields for ``state`` (``final``: the page as
        its last revision rendered it)."""
        names = RENDERED
        if state.markdown == "partial" and key in self.partials:
            for name, value in self.partials.pop(key).items():
                setattr(page, name, value)
        elif state.markdown == "final":
            for name in names:
                setattr(page, name, getattr(final, name))
        elif state.markdown == "empty":
            key = (page.kind, "empty")
            if key not in self.renders:
                page_render(page)
                self.renders[key] = {n: getattr(page, n) for n in names}
            for name, value in self.renders[key].items():
                setattr(
                    page, name, value if not isinstance(value, dict) else dict(value)
                )
        else:
            page_render(page)

    def write_history(self, kind: str, chunk: list[Planned]) -> None:
        model = registry.page_type(kind).model
        finals = model.objects.using(self.db).in_bulk([p.pk for p in chunk])
        themes = self.themes
        owned = {"person": "affiliations", "work": "authorships"}.get(kind)
        owned_rows: dict[int, list] = defaultdict(list)
        if owned:
            related = model._meta.get_field(owned).related_model
            fk = model._meta.get_field(owned).field.name
            for row in (
                related.objects.using(self.db)
                .filter(**{f"{fk}_id__in": list(finals)})
                .order_by("position", "pk")
            ):
                owned_rows[getattr(row, f"{fk}_id")].append(row)
        theme_ids: dict[int, list] = defaultdict(list)
        if kind in ("person", "work"):
            through = model._meta.get_field("themes").remote_field.through
            left = f"{model._meta.model_name}_id"
            for page_id, theme_id in through.objects.filter(
                **{f"{left}__in": list(finals)}
            ).values_list(left, "theme_id"):
                theme_ids[page_id].append(theme_id)
        citations, page_links, versions, metas = [], [], [], []
        cited_by_page = {}
        for p in chunk:
            final = finals[p.pk]
            keys = self.cited.pop((kind, p.index))
            cited = [
                Citation(page_id=p.pk, source_id=self.index.sources[k].pk, position=i)
                for i, k in enumerate(keys)
            ]
            citations.extend(cited)
            titles = final.render_data.get("wikilink", {}).get("titles", [])
            resolved = self.index.resolve(titles)
            seen = set()
            for title in titles:
                key = normalize_title(title)
                if key and key not in seen:
                    seen.add(key)
                    pages = resolved.get(key, [])
                    target = pages[0].pk if len(pages) == 1 else None
                    page_links.append(
                        PageLink(
                            source_id=p.pk, target_title=title[:255], target_id=target
                        )
                    )
            cited_by_page[p.pk] = cited
        Citation.objects.bulk_create(citations, batch_size=1000)
        PageLink.objects.bulk_create(page_links, batch_size=1000)
        self.report.citations += len(citations)
        self.report.links += len(page_links)
        self.report.red_links += sum(1 for link in page_links if link.target_id is None)
        sources = {s.pk: s.stub for s in self.sources}
        for p in chunk:
            final = finals[p.pk]
            cited = cited_by_page[p.pk]
            for c in cited:
                c.source = sources[c.source_id]
            rows = owned_rows.get(p.pk, [])
            for row in rows:
                setattr(row, model._meta.get_field(owned).field.name, final)
                if kind == "person":
                    row.organization = self.organizations[row.organization_id]
                else:
                    row.person = self.people[row.person_id]
            previous_size = 0
            memo: dict = {}
            for r, state in enumerate(self.states(p)):
                page = model(
                    **{
                        f.attname: getattr(final, f.attname)
                        for f in model._meta.concrete_fields
                    }
                )
                for name, value in state.fields.items():
                    setattr(page, name, value)
                page.updated_at = state.date
                self.rendered(page, state, final, (kind, p.index))
                keys = set(page.render_data.get("citation", {}).get("counts", {}))
                at_revision = [c for c in cited if c.source.key in keys]
                parent = Page(
                    **{
                        f.attname: getattr(page, f.attname)
                        for f in Page._meta.concrete_fields
                    }
                )
                for c in at_revision:
                    c.page = parent
                prefetched(parent, "related_links", [])
                prefetched(parent, "citations", at_revision)
                if owned:
                    prefetched(page, owned, rows)
                if kind in ("person", "work"):
                    prefetched(
                        page,
                        "themes",
                        sorted(
                            (themes[t] for t in theme_ids.get(p.pk, [])),
                            key=lambda t: self.theme_rank[t.pk],
                        ),
                    )
                model._meta.get_field("page_ptr").set_cached_value(page, parent)
                revision_id = self.revision_ids[kind, p.index, r]
                for obj in versioning.followed_objects(page):
                    version = self.version(obj, memo)
                    versions.append(
                        Version(
                            revision_id=revision_id,
                            **{f: getattr(version, f) for f in VERSION_FIELDS},
                        )
                    )
                size = self.meta[kind, p.index][r][5]
                plan = self.revision_plan[kind, p.index, r]
                approver = self.user_ids[plan[5]] if self.user_ids else None
                metas.append(
                    RevisionMeta(
                        revision_id=revision_id,
                        page_id=p.pk,
                        action=RevisionMeta.Action.EDIT,
                        minor=state.minor,
                        approved_by_id=approver,
                        approved_at=state.date if approver else None,
                        size=size,
                        size_delta=size - previous_size,
                    )
                )
                previous_size = size
        Version.objects.using(self.db).bulk_create(versions, batch_size=1000)
        RevisionMeta.objects.using(self.db).bulk_create(metas, batch_size=1000)
        self.report.versions += len(versions)

    def version(self, obj, memo: dict) -> Version:
        """The version of ``obj``, serialized once per page for the rows that
        stay the same from one of its revisions to the next."""
        if type(obj) is Page:  # its dates and texts differ at every revision
            return versioning.unsaved_version(obj, db=self.db)
        key = (type(obj), obj.pk)
        if isinstance(obj, Page):  # a kind's own fields may change
            key += tuple(
                getattr(obj, f.attname) for f in type(obj)._meta.local_concrete_fields
            )
        if key not in memo:
            memo[key] = versioning.unsaved_version(obj, db=self.db)
        return memo[key]

    def stubs_by_pk(self) -> None:
        """Light instances of the generated themes, organizations and people, by
        id: what the versions of a page's rows point to (and name)."""
        ids = [p.pk for p in self.pages["theme"]]
        ordered = (
            Theme.objects.using(self.db).filter(pk__in=ids).order_by("title", "pk")
        )
        # The order of the database's collation: reversion lists a page's
        # themes as the relation's queryset returns them.
        self.theme_rank = {
            pk: i for i, pk in enumerate(ordered.values_list("pk", flat=True))
        }
        self.themes = {p.pk: Theme(pk=p.pk, title=p.title) for p in self.pages["theme"]}
        self.organizations = {
            p.pk: Organization(pk=p.pk, title=p.title)
            for p in self.pages["organization"]
        }
        self.people = {
            p.pk: Person(pk=p.pk, title=p.title) for p in self.pages["person"]
        }

    def write_source_history(self) -> None:
        versions, metas = [], []
        for planned in self.sources:
            source = planned.stub
            revision_id = self.revision_ids["source", planned.index, 0]
            version = versioning.unsaved_version(source, db=self.db)
            version.revision_id = revision_id
            versions.append(version)
            plan = self.revision_plan["source", planned.index, 0]
            approver = self.user_ids[plan[5]] if self.user_ids else None
            size = source_size(source)
            metas.append(
                RevisionMeta(
                    revision_id=revision_id,
                    action=RevisionMeta.Action.EDIT,
                    approved_by_id=approver,
                    approved_at=source.created_at if approver else None,
                    size=size,
                    size_delta=size,
                )
            )
        Version.objects.using(self.db).bulk_create(versions, batch_size=1000)
        RevisionMeta.objects.using(self.db).bulk_create(metas, batch_size=1000)
        self.report.versions += len(versions)

    def refresh_red_links(self) -> int:
        """Render again the pages made before whose red links name a generated
        page now, as publishing that page would have (after it committed)."""
        names = set()
        for pages in self.pages.values():
            for p in pages:
                names |= links.link_names(p.stub)
        generated = GeneratedRow.objects.filter(
            content_type=ContentType.objects.get_for_model(Page)
        ).values("object_id")
        red = (
            PageLink.objects.filter(target__isnull=True)
            .exclude(source_id__in=generated)
            .values_list("source_id", "target_title")
        )
        ids = {pk for pk, title in red if normalize_title(title) in names}
        if not ids:
            return 0
        return rerender_pages(
            Page.objects.filter(pk__in=ids).values_list("pk", flat=True)
        )


VERSION_FIELDS = (
    "content_type",
    "object_id",
    "db",
    "format",
    "serialized_data",
    "object_repr",
)


_running: "Generator | None" = None
KINDS = ("theme", "organization", "person", "work")  # the order pages are made in
RENDERED = ("body_html", "toc_html", "reading_html", "fields_html", "render_data")


def _render_page(key):
    return _running.render_page(key)


def prefetched(instance, accessor: str, objects: list) -> None:
    """Put ``objects`` where a prefetch of ``accessor`` would (no query)."""
    queryset = getattr(instance, accessor).all()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    # The relations followed here are named by their accessor (related_name).
    instance._prefetched_objects_cache[accessor] = queryset


def analyze(alias: str) -> None:
    """Have PostgreSQL count the tables again, as autovacuum would some time
    later: planned for the empty tables they were, the first page views after
    a bulk load join tens of thousands of rows by nested loops (minutes for a
    profile).  In the caller's transaction, if any (it sees its own rows)."""
    connection = connections[alias]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# Deleting ---------------------------------------------------------------------------


@dataclasses.dataclass
class Deleted:
    pages: int = 0
    sources: int = 0
    users: int = 0
    revisions: int = 0
    rerendered: int = 0


def generated_ids(model) -> list[int]:
    content_type = ContentType.objects.get_for_model(model)
    return sorted(
        GeneratedRow.objects.filter(content_type=content_type).values_list(
            "object_id", flat=True
        )
    )


def delete_blockers(page_ids, source_ids) -> list[str]:
    """What made by hand holds on to a generated row (an author, a member, a
    related page, a citation, a source that is a work): deleting would change
    it behind its editors' backs, so nothing is deleted while any remains."""
    pages = GeneratedRow.objects.filter(
        content_type=ContentType.objects.get_for_model(Page)
    ).values("object_id")
    sources = GeneratedRow.objects.filter(
        content_type=ContentType.objects.get_for_model(Source)
    ).values("object_id")
    found = []
    for row in (
        Authorship.objects.filter(person_id__in=pages)
        .exclude(work_id__in=pages)
        .select_related("work", "person")[:10]
    ):
        found.append(f"the work “{row.work}” lists the generated “{row.person}”")
    for row in (
        Affiliation.objects.filter(organization_id__in=pages)
        .exclude(person_id__in=pages)
        .select_related("person", "organization")[:10]
    ):
        found.append(
            f"“{row.person}” is affiliated with the generated “{row.organization}”"
        )
    for row in (
        RelatedPage.objects.filter(target_id__in=pages)
        .exclude(page_id__in=pages)
        .select_related("page", "target")[:10]
    ):
        found.append(f"“{row.page}” lists the generated “{row.target}” as related")
    for row in (
        Citation.objects.filter(source_id__in=sources)
        .exclude(page_id__in=pages)
        .select_related("page", "source")[:10]
    ):
        found.append(f"“{row.page}” cites the generated source [@{row.source.key}]")
    for row in Source.objects.filter(work_id__in=pages).exclude(pk__in=sources)[:10]:
        found.append(f"the source [@{row.key}] is a generated work")
    return found


def delete_generated(
    *, batch: int = 1000, progress: Callable[[str, int, int], None] | None = None
) -> Deleted:
    """Remove what ``Generator`` made: its pages with their revisions, links,
    citations, authorships and affiliations, its sources and its users.

    Pages made by hand that link to a generated page keep their links, which
    turn red as when a page is purged (they are rendered again).  Refused
    (GenerateError) while a hand-made row holds on to a generated one.
    """
    progress = progress or (lambda phase, done, total: None)
    user_model = get_user_model()
    page_ids = generated_ids(Page)
    source_ids = generated_ids(Source)
    user_ids = generated_ids(user_model)
    deleted = Deleted()
    blockers = delete_blockers(page_ids, source_ids)
    if blockers:
        raise GenerateError(
            "Nothing was deleted: pages made by hand depend on generated ones ("
            + "; ".join(blockers)
            + "). Edit them first."
        )
    pages_ct = ContentType.objects.get_for_model(Page)
    linking = (
        set(
            PageLink.objects.filter(target_id__in=page_ids)
            .exclude(
                source_id__in=GeneratedRow.objects.filter(content_type=pages_ct).values(
                    "object_id"
                )
            )
            .values_list("source_id", flat=True)
        )
        if page_ids
        else set()
    )
    # Revisions first: every revision holding a version of a generated page
    # or source (hand edits of a generated page included).
    revision_ids = set()
    for model, ids in ((Page, page_ids), (Source, source_ids)):
        content_type = ContentType.objects.get_for_model(model)
        for part in chunks(ids, batch):
            revision_ids.update(
                Version.objects.filter(
                    content_type=content_type, object_id__in=[str(pk) for pk in part]
                ).values_list("revision_id", flat=True)
            )
    ordered = sorted(revision_ids)
    for start, part in enumerate(chunks(ordered, batch * 4)):
        with transaction.atomic():
            Revision.objects.filter(pk__in=part).delete()
        progress("revisions", min((start + 1) * batch * 4, len(ordered)), len(ordered))
    deleted.revisions = len(ordered)
    # Pages, works before the people they list, people before their
    # organizations (both relations protect their target).
    kinds = (
        dict(Page.objects.filter(pk__in=page_ids).values_list("pk", "kind"))
        if page_ids
        else {}
    )
    by_kind = defaultdict(list)
    for pk, kind in sorted(kinds.items()):
        by_kind[kind].append(pk)
    first = ["work", "person", "organization"]
    for kind in sorted(by_kind, key=lambda k: (first.index(k) if k in first else 3, k)):
        for part in chunks(by_kind[kind], batch):
            with transaction.atomic():
                Page.objects.filter(pk__in=part).delete()
            deleted.pages += len(part)
            progress("pages", deleted.pages, len(kinds))
    with transaction.atomic():
        for part in chunks(source_ids, batch):
            search.unindex_many(SOURCE_KIND, part)
            deleted.sources += (
                Source.objects.filter(pk__in=part).delete()[1].get("sources.Source", 0)
            )
        for part in chunks(user_ids, batch):
            deleted.users += (
                user_model.objects.filter(pk__in=part)
                .delete()[1]
                .get(user_model._meta.label, 0)
            )
        GeneratedRow.objects.all().delete()
    if linking:
        deleted.rerendered = rerender_pages(
            Page.objects.filter(pk__in=linking).values_list("pk", flat=True)
        )
    tallies.refresh_all()  # the pages were deleted in bulk
    analyze(router.db_for_write(Page))
    bump()  # and cached pages no longer show them
    return deleted
