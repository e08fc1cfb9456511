"""export_content and import_content: a site with a past goes out to a file and
comes back with nothing lost (wiki/export.py)."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection
from reversion.models import Revision, Version

from people.models import Affiliation, Person
from sources.models import Authorship, Citation, Source
from sources.services import source_publish
from tests.factories import SourceFactory, ThemeFactory, UserFactory
from tests.wiki.history_helpers import make_moderator, publish
from tests.wiki.moderation_helpers import submit
from wiki import export, history, moderation, search
from wiki.models import (
    KindTally,
    Page,
    PageLink,
    PageRedirect,
    Proposal,
    PurgeRecord,
    RelatedPage,
    RevisionMeta,
    SearchEntry,
    Theme,
    WantedPage,
)
from wiki.revision_visibility import revisions_set_visibility
from wiki.roles import CONTRIBUTORS
from wiki.services import page_publish, page_purge

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent.parent


def build_site() -> dict:
    """The seed, then what a site's first weeks add to it, through the services."""
    call_command("load_seed", stdout=io.StringIO())
    moderator = make_moderator("mod")
    contributor = get_user_model().objects.create_user(
        "carol", first_name="Carol", last_name="Ng", email="carol@example.org"
    )
    contributor.groups.add(Group.objects.get(name=CONTRIBUTORS))
    alec = Person.objects.get(slug="alec-radford")
    first = history.page_history(alec).last().revision
    publish(alec, moderator, summary="Say when", body=alec.body + "\n\nMore to come.")
    history.page_revert(page=alec, revision=first, user=moderator, summary="Too vague")
    proposal = submit(
        alec, contributor, summary="Add his blog", portrait_credit="Photo: OpenAI"
    )
    approved = moderation.proposal_approve(
        proposal=proposal,
        by=moderator,
        seen=moderation.seen_now(proposal),
        note="Checked",
    )
    theme = Theme.objects.get(slug="multimodal-ai")
    publish(theme, moderator, summary="Rename", title="Multimodal Models")
    publish(
        theme,
        moderator,
        summary="New address",
        slug="multimodal-models",
        body=theme.body + "\n\nSee [[Alec Radford]] and [[A Page Nobody Wrote]].",
    )
    unlisted = Theme.objects.exclude(pk=theme.pk).filter(related_from=None)
    gone, purged = unlisted.order_by("pk")[:2]
    history.page_delete(page=gone, user=moderator, reason="Duplicate of another")
    history.page_delete(page=purged, user=moderator, reason="Spam")
    page_purge(page=purged, user=moderator, reason="Spam, for good")
    source = Source.objects.get(key="radford2019language")
    source.title = source.title + " (GPT-2)"
    source_publish(source=source, user=moderator, summary="Name the model")
    revisions_set_visibility(
        page=alec,
        revision_ids=[first.pk],
        changes={"summary": True},
        reason="Personal information",
        by=moderator,
    )
    return {"approved": approved, "theme": theme, "gone": gone, "alec": alec}


def export_text() -> str:
    out = io.StringIO()
    call_command("export_content", stdout=out)
    return out.getvalue()


def facts() -> dict:
    """What readers and moderators see of the site, beyond the export itself."""
    pages = {}
    for page in Page.objects.order_by("pk").specific():
        pages[page.kind, page.slug] = {
            "history": [
                (
                    v.revision_id,
                    v.revision.user.username if v.revision.user else None,
                    v.revision.meta.approved_by.username
                    if v.revision.meta.approved_by
                    else None,
                    v.revision.comment,
                    v.revision.meta.action,
                    v.revision.meta.hidden_parts,
                )
                for v in history.page_history(page).select_related(
                    "revision__user", "revision__meta__approved_by"
                )
            ],
            "body": page.body,
            "html": (page.body_html, page.toc_html, page.fields_html, page.render_data),
            "deleted": page.is_deleted,
            "updated_at": page.updated_at,
            "links": sorted(page.links_out.values_list("target_title", "target_id")),
        }
    return {
        "pages": pages,
        "versions": list(
            Version.objects.order_by("revision_id", "pk").values_list(
                "revision_id",
                "content_type__model",
                "object_id",
                "serialized_data",
                "object_repr",
            )
        ),
        "revisions": list(
            Revision.objects.order_by("pk").values_list(
                "pk", "date_created", "user__username", "comment"
            )
        ),
        "purged": list(
            PurgeRecord.objects.order_by("pk").values_list(
                "title",
                "kind",
                "slug",
                "page_id",
                "revision_count",
                "reason",
                "purged_by__username",
                "purged_at",
            )
        ),
        "tallies": sorted(KindTally.objects.values_list("kind", "pages", "initials")),
        "wanted": sorted(WantedPage.objects.values_list("key", "title", "links")),
        "search": sorted(
            SearchEntry.objects.values_list(
                "kind", "object_id", "title", "other_titles", "lede", "body", "url"
            )
        ),
    }


def empty_the_site() -> None:
    """Delete every page, row, revision and account, as a new database has none."""
    Revision.objects.all().delete()
    Proposal.objects.all().delete()
    for model in (
        PageRedirect,
        PurgeRecord,
        Citation,
        Authorship,
        Affiliation,
        RelatedPage,
    ):
        model.objects.all().delete()
    Source.objects.all().delete()
    Page.objects.all().delete()
    SearchEntry.objects.all().delete()
    KindTally.objects.all().delete()
    WantedPage.objects.all().delete()
    get_user_model().objects.all().delete()
    assert not PageLink.objects.exists()
    # As in a new database, ids would start again from 1.
    with connection.cursor() as cursor:
        sequences = [
            sequence
            for model in (Page, Source, Revision)
            for sequence in connection.introspection.get_sequences(
                cursor, model._meta.db_table
            )
        ]
        for sql in connection.ops.sequence_reset_by_name_sql(no_style(), sequences):
            cursor.execute(sql)


def check_the_file(text: str) -> None:
    """JSON Lines with a header that counts its records, no secrets, and
    versions' data as JSON."""
    lines = text.splitlines()
    header = json.loads(lines[0])
    assert header["format"] == "lineage-export"
    assert header["version"] == export.FORMAT_VERSION
    records = [json.loads(line) for line in lines[1:]]
    assert {r["type"] for r in records} == {"user", "page", "row", "revision"}
    assert {r["model"] for r in records if r["type"] == "row"} == {
        "people.affiliation",
        "sources.authorship",
        "sources.citation",
        "sources.source",
        "wiki.pageredirect",
        "wiki.purgerecord",
        "wiki.relatedpage",
    }
    assert header["counts"] == {
        "users": sum(r["type"] == "user" for r in records),
        "pages": sum(r["type"] == "page" for r in records),
        "rows": sum(r["type"] == "row" for r in records),
        "revisions": sum(r["type"] == "revision" for r in records),
    }
    assert "carol@example.org" not in text
    assert "pbkdf2" not in text and "md5$" not in text
    [carol] = [r for r in records if r["type"] == "user" and r["username"] == "carol"]
    assert "email" not in carol and "password" not in carol
    assert carol["groups"] == ["Contributors"]
    # Every version's data is written as JSON, not as a string of JSON.
    versions = [v for r in records if r["type"] == "revision" for v in r["versions"]]
    assert versions and all("data" in v for v in versions)
    theme = next(
        r
        for r in records
        if r["type"] == "page" and r["fields"]["slug"] == "multimodal-models"
    )
    assert theme["old_titles"] == ["Multimodal AI"]
    assert "body_html" not in theme["fields"]


def test_an_export_imported_into_an_empty_site_exports_the_same_and_shows_the_same(
    client, tmp_path
):
    made = build_site()
    before_facts = facts()
    path = tmp_path / "site.jsonl"
    call_command("export_content", output=str(path), stderr=io.StringIO())
    before = path.read_text(encoding="utf-8")
    check_the_file(before)

    empty_the_site()
    out = io.StringIO()
    call_command("import_content", str(path), stdout=out)

    assert export_text() == before
    after_facts = facts()
    for key in before_facts:
        assert after_facts[key] == before_facts[key], key
    counts = json.loads(before.partition("\n")[0])["counts"]
    assert out.getvalue() == (
        f"Imported {counts['users']} users, {counts['pages']} pages, "
        f"{counts['rows']} rows, {counts['revisions']} revisions from {path}.\n"
    )

    # What a reader sees: the page, its history, an old address, search.
    alec = Person.objects.get(slug="alec-radford")
    rows = [
        row[1:] for row in after_facts["pages"]["person", "alec-radford"]["history"]
    ]
    assert [
        (user, approver, action, hidden) for user, approver, _, action, hidden in rows
    ] == [
        ("carol", "mod", "edit", []),
        ("mod", "mod", "revert", []),
        ("mod", "mod", "edit", []),
        (None, None, "import", ["summary"]),
    ]
    comments = [row[2] for row in rows]
    assert comments[0] == "Add his blog"
    assert comments[1].startswith("Reverted to revision ")
    assert comments[1].endswith(": Too vague")
    assert comments[2:] == ["Say when", "Imported from seed"]
    assert alec.portrait_credit == "Photo: OpenAI"
    approved = Revision.objects.get(pk=made["approved"].pk)
    assert approved.user.username == "carol"
    assert approved.comment == "Add his blog"
    assert approved.meta.approved_by.username == "mod"
    assert approved.meta.note == "Checked"
    assert approved.meta.proposal is None  # proposals are not exported
    response = client.get("/themes/multimodal-ai/")
    assert response.status_code == 301
    assert response["Location"] == "/themes/multimodal-models/"
    assert [hit.title for hit in search.search("Multimodal AI").hits][:1] == [
        "Multimodal Models"
    ]
    assert client.get(alec.get_absolute_url()).status_code == 200
    response = client.get(
        f"/people/alec-radford/revisions/{approved.pk}/", follow=False
    )
    assert response.status_code == 200
    assert Page.objects.get(pk=made["gone"].pk).is_deleted
    # Accounts come back without passwords or addresses; roles are kept.
    carol = get_user_model().objects.get(username="carol")
    assert (carol.email, carol.has_usable_password()) == ("", False)
    assert (carol.first_name, carol.last_name) == ("Carol", "Ng")
    mod = get_user_model().objects.get(username="mod")
    assert mod.has_perm("wiki.review_proposal")
    # New rows take ids after the imported ones.
    last_page = Page.objects.order_by("-pk").values_list("pk", flat=True)[0]
    last_source = Source.objects.order_by("-pk").values_list("pk", flat=True)[0]
    theme = ThemeFactory.build(title="After the import", slug="after-the-import")
    page_publish(page=theme, user=mod, summary="New theme")
    assert theme.pk > last_page
    source = SourceFactory.build(key="after2026", title="After")
    source_publish(source=source, user=mod, summary="New source")
    assert source.pk > last_source
    revision = publish(alec, mod, summary="After the import", body="New.")
    assert revision.pk > max(r[0] for r in before_facts["revisions"])
    assert RevisionMeta.objects.get(revision=revision).size_delta == (
        len("New.") - len(before_facts["pages"]["person", "alec-radford"]["body"])
    )


def write_export(path: Path, header: dict) -> Path:
    path.write_text(json.dumps(header) + "\n", encoding="utf-8")
    return path


def test_a_file_from_a_newer_format_version_is_refused_with_both_versions(tmp_path):
    path = write_export(
        tmp_path / "new.jsonl", {"format": "lineage-export", "version": 2}
    )
    with pytest.raises(CommandError) as raised:
        call_command("import_content", str(path))
    assert str(raised.value) == (
        f"{path} is in lineage-export format version 2, newer than this Lineage "
        "reads (version 1 and older): import it with the Lineage that exported "
        "it, or a newer one."
    )
    assert not Page.objects.exists()


def test_the_command_exits_non_zero_with_the_message(tmp_path):
    path = write_export(
        tmp_path / "new.jsonl", {"format": "lineage-export", "version": 7}
    )
    finished = subprocess.run(
        [sys.executable, "manage.py", "import_content", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 1
    assert "format version 7, newer than this Lineage reads (version 1" in (
        finished.stderr
    )


@pytest.mark.parametrize(
    "first_line",
    [
        '[{"model": "wiki.page", "pk": 1, "fields": {}}]',  # a dumpdata file
        '{"format": "other-export", "version": 1}',
        "title,slug",
        "",
    ],
)
def test_a_file_that_is_not_an_export_is_refused(tmp_path, first_line):
    path = tmp_path / "other.json"
    path.write_text(first_line + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"is not a Lineage export"):
        call_command("import_content", str(path))


def small_site() -> None:
    """A theme citing a source, each with one revision."""
    author = UserFactory(username="ann")
    source = SourceFactory(key="lovelace1843", title="Notes")
    source_publish(source=source, user=author, summary="Add the notes")
    theme = ThemeFactory.build(
        title="Computing", slug="computing", body="[@lovelace1843]"
    )
    page_publish(page=theme, user=author, summary="Start the theme")


def test_an_import_into_a_site_with_content_is_refused(tmp_path):
    small_site()
    path = tmp_path / "site.jsonl"
    path.write_text(export_text(), encoding="utf-8")
    pages = Page.objects.count()
    with pytest.raises(CommandError, match=r"already has content \(\d+ pages"):
        call_command("import_content", str(path))
    assert Page.objects.count() == pages


REVISION_BY_NOBODY = {
    "type": "revision",
    "id": 999,
    "date_created": "2026-01-01T00:00:00+00:00",
    "user": "nobody",
    "comment": "",
    "meta": None,
    "visibility_log": [],
    "versions": [],
}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            '{"type": "page", "kind": "spaceship", "id": 1, "fields": {}}',
            "“spaceship” is not a page kind of this site.",
        ),
        (json.dumps(REVISION_BY_NOBODY), "no account “nobody” comes before it"),
        ("[1, 2]", "not a record (a JSON object)."),
        ('{"type": "page",', "not JSON (Expecting property name"),
        ('{"type": "comment"}', "unknown record type 'comment'."),
    ],
)
def test_a_broken_record_is_named_by_its_line_and_imports_nothing(
    tmp_path, line, message
):
    small_site()
    lines = export_text().splitlines()
    empty_the_site()
    lines.insert(3, line)
    path = tmp_path / "broken.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("import_content", str(path))
    assert str(raised.value).startswith(f"{path}, line 4: {message}")
    assert not Page.objects.exists()
    assert not get_user_model().objects.exists()


def test_a_file_cut_short_is_refused_and_imports_nothing(tmp_path):
    small_site()
    lines = export_text().splitlines()
    revisions = json.loads(lines[0])["counts"]["revisions"]
    empty_the_site()
    path = tmp_path / "short.jsonl"
    path.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("import_content", str(path))
    assert f"{revisions - 1:,} revisions, but its header counts" in str(raised.value)
    assert str(raised.value).endswith("it is incomplete or was edited by hand.")
    assert not Page.objects.exists()
    assert not Revision.objects.exists()
