"""``manage.py generate_pages``: a reproducible corpus, made as the site would
have made it, and ``--delete`` removing exactly that."""

import io
import json
from collections import Counter
from statistics import median

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from reversion.models import Revision, Version

from people.models import Affiliation, Person
from sources.generate import Generator, delete_generated, generated_ids
from sources.models import Authorship, Citation, GeneratedRow, Source, Work
from sources.seed import load_seed
from tests.corpus import generate
from tests.factories import PersonFactory, UserFactory, WorkFactory
from wiki.models import Page, PageLink, RevisionMeta, Theme
from wiki.roles import MODERATORS, ensure_roles
from wiki.services import page_publish

pytestmark = pytest.mark.django_db

SMALL = {"people": 40, "works": 80}


def run(**options) -> str:
    out = io.StringIO()
    call_command("generate_pages", stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def generated(model):
    """The rows of ``model`` the generator made (pages are marked as pages)."""
    marked = Page if issubclass(model, Page) else model
    return model.objects.filter(pk__in=generated_ids(marked))


def generated_pages():
    return generated(Page).order_by("kind", "slug")


def snapshot() -> dict:
    """Everything a reader sees of the generated corpus, named by titles and
    keys (never ids)."""
    pages = {
        (p.kind, p.slug): (p.title, p.summary, p.body, p.body_html, p.render_data)
        for p in generated_pages()
    }
    return {
        "pages": pages,
        "people": sorted(
            (p.slug, p.short_description, p.known_for, p.why_they_matter)
            for p in generated(Person)
        ),
        "authorships": sorted(
            Authorship.objects.values_list("work__slug", "person__slug", "position")
        ),
        "affiliations": sorted(
            Affiliation.objects.values_list(
                "person__slug", "organization__slug", "role", "start_year", "end_year"
            )
        ),
        "citations": sorted(
            Citation.objects.values_list("page__slug", "source__key", "position")
        ),
        "links": sorted(
            PageLink.objects.values_list("source__slug", "target_title", "target__slug")
        ),
        "themes": sorted(
            Person.themes.through.objects.values_list("person__slug", "theme__slug")
        ),
        "sources": sorted(
            Source.objects.values_list("key", "title", "authors", "work__slug", "doi")
        ),
        "revisions": sorted(
            RevisionMeta.objects.filter(page__isnull=False).values_list(
                "page__slug",
                "revision__comment",
                "revision__user__username",
                "approved_by__username",
                "size",
                "revision__date_created",
            )
        ),
    }


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed
    }


# Reproducibility -------------------------------------------------------------------


def test_the_same_seed_makes_the_same_corpus_again_after_delete():
    load_seed()
    run(seed=7, **SMALL)
    first = snapshot()
    run(delete=True)
    run(seed=7, **SMALL)
    assert snapshot() == first
    assert len(first["pages"]) == 40 + 80 + 5 + 20


def test_another_seed_makes_another_corpus():
    run(seed=7, **SMALL)
    first = snapshot()
    run(delete=True)
    run(seed=8, **SMALL)
    second = snapshot()
    assert set(first["pages"]) != set(second["pages"])
    assert first["authorships"] != second["authorships"]


# What it makes -----------------------------------------------------------------------


def test_the_corpus_has_people_works_relations_sources_and_red_links():
    report = Generator(seed=3, **SMALL).run()
    assert (report.people, report.works) == (40, 80)
    assert Work.objects.count() == 80
    authors = list(Authorship.objects.values_list("work_id", flat=True))
    per_work = [authors.count(work) for work in set(authors)]
    assert min(per_work) >= 1 and max(per_work) <= 8
    assert Affiliation.objects.filter(end_year__isnull=False).exists()
    assert Citation.objects.count() == report.citations > 0
    assert PageLink.objects.filter(target__isnull=True).count() == report.red_links > 0
    assert PageLink.objects.filter(target__isnull=False).count() > report.red_links
    body = generated(Person)[0]
    assert "[[" in body.body and "<p>" in body.body_html


def test_each_page_has_2_to_4_revisions_by_generated_users_approved_by_moderators():
    Generator(seed=3, **SMALL).run()
    users = generated(get_user_model())
    generated_users = set(users.values_list("pk", flat=True))
    moderators = set(users.filter(groups__name=MODERATORS).values_list("pk", flat=True))
    assert moderators and moderators < generated_users
    for page in generated_pages():
        metas = list(RevisionMeta.objects.filter(page=page).select_related("revision"))
        assert 2 <= len(metas) <= 4
        assert all(meta.revision.user_id in generated_users for meta in metas)
        assert all(meta.approved_by_id in moderators for meta in metas)
        dates = [
            meta.revision.date_created for meta in sorted(metas, key=lambda m: m.pk)
        ]
        assert dates == sorted(dates)
        assert page.updated_at == dates[-1]
        assert page.created_at == dates[0]
    comments = set(Revision.objects.values_list("comment", flat=True))
    assert {"Copy-edit the lede", "Expand: research, career and references"} <= comments


def test_revision_ids_grow_with_their_dates():
    Generator(seed=3, **SMALL).run()
    dates = list(Revision.objects.order_by("pk").values_list("date_created", flat=True))
    assert dates == sorted(dates)


def test_themes_and_authors_are_skewed_a_few_far_larger_than_most():
    corpus = generate(people=120, works=240, seed=2)
    members = [
        theme.people.count() + theme.works.count() for theme in Theme.objects.all()
    ]
    assert corpus.largest_theme_members == max(members)
    assert max(members) >= 5 * median(members)
    works_per_person = Counter(Authorship.objects.values_list("person_id", flat=True))
    assert max(works_per_person.values()) >= 5 * median(works_per_person.values())


def test_the_corpus_summary_names_the_big_cases():
    corpus = generate(people=60, works=120, seed=1)
    assert corpus.report.pages == 60 + 120 + 5 + 20
    assert (
        corpus.most_linked_count
        == PageLink.objects.filter(target=corpus.most_linked).count()
    )
    assert corpus.most_linked_count > 10
    assert (
        corpus.organization_members
        == corpus.largest_organization.affiliations.values("person").distinct().count()
    )
    assert corpus.authors == corpus.most_authors.authorships.count() <= 8
    assert corpus.colleagues > 0 and corpus.coauthors > 0


# Derived data is what publishing computes -------------------------------------------


def latest_versions(page) -> dict:
    revision = (
        Version.objects.get_for_object(page).order_by("-revision_id").first().revision
    )
    data = {}
    for version in revision.version_set.all():
        fields = json.loads(version.serialized_data)[0]["fields"]
        fields.pop("updated_at", None)  # the new revision's own date
        data[version.content_type.model, version.object_id] = (
            fields,
            version.object_repr,
        )
    return data


@pytest.mark.parametrize("kind", ["person", "work", "theme", "organization"])
def test_publishing_a_generated_page_again_changes_none_of_its_derived_data(kind):
    load_seed()
    Generator(seed=5, **SMALL).run()
    for page in generated_pages().filter(kind=kind)[:5]:
        page = page.specific
        before = (
            latest_versions(page),
            sorted(page.links_out.values_list("target_title", "target_id")),
            sorted(page.citations.values_list("source_id", "position")),
            (page.body_html, page.toc_html, page.fields_html, page.render_data),
        )
        page_publish(page=page, user=None, summary="Publish again")
        page = Page.objects.get(pk=page.pk).specific
        after = (
            latest_versions(page),
            sorted(page.links_out.values_list("target_title", "target_id")),
            sorted(page.citations.values_list("source_id", "position")),
            (page.body_html, page.toc_html, page.fields_html, page.render_data),
        )
        assert after == before


def test_an_older_revision_holds_the_html_its_text_renders_to():
    Generator(seed=5, **SMALL).run()
    from wiki.history import page_at_revision
    from wiki.services import page_render

    checked = 0
    for meta in RevisionMeta.objects.filter(page__isnull=False).order_by("pk")[:60]:
        stored = page_at_revision(meta.page, meta.revision_id)
        html = (
            stored.body_html,
            stored.toc_html,
            stored.fields_html,
            stored.render_data,
        )
        page_render(stored)
        assert html == (
            stored.body_html,
            stored.toc_html,
            stored.fields_html,
            stored.render_data,
        )
        checked += 1
    assert checked == 60


def test_history_an_old_revision_and_a_diff_of_a_generated_page_show(client):
    Generator(seed=5, **SMALL).run()
    page = generated_pages().filter(kind="person").first().specific
    metas = list(RevisionMeta.objects.filter(page=page).order_by("revision_id"))
    kwargs = {"section": page.section, "slug": page.slug}
    history = client.get(reverse("wiki:page_history", kwargs=kwargs))
    assert history.status_code == 200
    for meta in metas:
        assert meta.revision.comment in history.content.decode()
    old = client.get(
        reverse(
            "wiki:revision_detail",
            kwargs={**kwargs, "revision_id": metas[0].revision_id},
        )
    )
    assert old.status_code == 200
    diff = client.get(
        reverse("wiki:page_diff", kwargs=kwargs)
        + f"?from={metas[0].revision_id}&to={metas[-1].revision_id}"
    )
    assert diff.status_code == 200
    assert "<ins" in diff.content.decode()
    assert client.get(page.get_absolute_url()).status_code == 200


# Touching only what it made ------------------------------------------------------


def test_delete_brings_every_table_back_to_what_it_was():
    load_seed()
    ensure_roles()  # the site's groups are there before; the corpus joins them
    seed_pages = {
        p.pk: (p.title, p.body_html, p.updated_at) for p in Page.objects.all()
    }
    before = row_counts()
    run(seed=4, **SMALL)
    assert row_counts() != before
    out = run(delete=True)
    assert "Deleted 145 generated pages" in out
    assert row_counts() == before
    assert {
        p.pk: (p.title, p.body_html, p.updated_at) for p in Page.objects.all()
    } == seed_pages


def test_a_hand_made_page_linking_to_a_generated_page_keeps_its_link_red_after_delete():
    Generator(seed=4, **SMALL).run()
    target = generated_pages().filter(kind="work").first()
    page = PersonFactory(
        title="Hand Made", slug="hand-made", body=f"See [[{target.title}]]."
    )
    page_publish(page=page, user=None, summary="Hand made")
    assert page.links_out.get().target_id == target.pk
    run(delete=True)
    page.refresh_from_db()
    link = page.links_out.get()
    assert (link.target_title, link.target_id) == (target.title, None)
    assert "wikilink-missing" in page.body_html


def test_a_hand_made_red_link_turns_blue_when_the_corpus_makes_its_page():
    planner = Generator(seed=4, **SMALL)
    planner.load_existing()
    planner.plan()
    title = planner.pages["person"][0].title
    page = PersonFactory(title="Hand Made", slug="hand-made", body=f"See [[{title}]].")
    page_publish(page=page, user=None, summary="Hand made")
    assert "wikilink-missing" in page.body_html
    report = Generator(seed=4, **SMALL).run()
    assert report.rerendered == 1
    page.refresh_from_db()
    assert "wikilink-missing" not in page.body_html
    assert page.links_out.get().target.title == title


def test_delete_is_refused_while_a_hand_made_work_lists_a_generated_author():
    Generator(seed=4, **SMALL).run()
    person = generated(Person).first()
    work = WorkFactory(title="Hand work", slug="hand-work", work_type="paper")
    Authorship.objects.create(work=work, person=person, position=0)
    pages = Page.objects.count()
    with pytest.raises(CommandError, match="Hand work"):
        run(delete=True)
    assert Page.objects.count() == pages


def test_generating_twice_is_refused_with_what_is_there():
    run(seed=4, **SMALL)
    pages = Page.objects.count()
    with pytest.raises(CommandError, match="already here.*--delete"):
        run(seed=4, **SMALL)
    assert Page.objects.count() == pages


def test_generated_users_go_and_hand_made_users_stay():
    keeper = UserFactory(username="keeper")
    run(seed=4, **SMALL)
    run(delete=True)
    assert list(get_user_model().objects.values_list("username", flat=True)) == [
        keeper.username
    ]


# The command line ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--people", "-5"], "negative"),
        (["--works", "many"], "not a whole number"),
        (["--batch", "0"], "1 or more"),
        ([], "Give --people"),
    ],
)
def test_bad_numbers_are_refused_with_a_clear_message(options, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate_pages", *options, stdout=io.StringIO())
    assert not GeneratedRow.objects.exists()


def test_progress_is_quiet_when_stderr_is_not_a_terminal():
    err = io.StringIO()
    call_command("generate_pages", people=5, works=5, stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == ""


def test_delete_with_nothing_generated_says_so():
    assert "Deleted 0 generated pages" in run(delete=True)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_rendering_in_worker_processes_makes_the_same_corpus():
    Generator(seed=6, workers=1, **SMALL).run()
    inline = snapshot()
    delete_generated()
    Generator(seed=6, workers=2, **SMALL).run()
    assert snapshot() == inline


# The page cache --------------------------------------------------------------------


def test_a_cached_index_shows_the_generated_pages_at_once_and_drops_them_after_delete(
    client, settings, django_capture_on_commit_callbacks
):
    from django.core.cache import cache as default_cache

    from wiki import cache

    settings.LINEAGE_PAGE_CACHE = True
    default_cache.clear()
    cache.recent.clear()
    load_seed()
    client.get("/people/")
    assert client.get("/people/")["X-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        run(seed=4, **SMALL)
    newest = generated(Person).order_by("title").first()
    response = client.get("/people/")
    assert response["X-Cache"] == "miss"
    assert newest.title in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        run(delete=True)
    response = client.get("/people/")
    assert response["X-Cache"] == "miss"
    assert newest.title not in response.content.decode()


@pytest.mark.postgres
def test_postgresql_plans_for_the_rows_generated_not_for_empty_tables():
    """Planned for the empty tables they were, the first views after a bulk
    load joined the corpus by nested loops and took minutes; the generator
    has the tables counted again, as autovacuum would later."""
    from django.db import connection

    run(seed=4, **SMALL)

    def planned_rows(table: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT * FROM {table}")
            return cursor.fetchone()[0][0]["Plan"]["Plan Rows"]

    assert planned_rows("wiki_page") == Page.objects.count()
    assert planned_rows("sources_authorship") == Authorship.objects.count()
