"""Who may do what: every URL of the site and of the admin, GET and POST, for
every role, with the status a user gets and what a POST changes.

The routes come from the URL configuration (tests/routes.py): a route without a
row in ROLE_TABLE fails the test, and so does a row for a route that is gone.
Each POST is real (CSRF checks off, as a browser with the token would pass
them) and carries valid data (the form as the administrator sees it), so a
role that is allowed does the real thing, whose effect is read back from the
database; a role that is refused changes nothing.  Each cell runs in a
savepoint rolled back after it, so every cell starts from the same site.

The table: 234 URLs (the test settings' toy kind adds one) x 2 methods x 7
roles = 3,276 cells (TABLE_SIZE); HEAD is answered as GET.
"""

import copy
import re
import zlib
from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks_db.models import DBTaskResult
from reversion.models import Revision, Version

from people.models import Organization, Person
from sources.importing import plan_import
from sources.models import Source, Work
from sources.services import source_publish
from tests.factories import (
    AffiliationFactory,
    CitationFactory,
    OrganizationFactory,
    PersonFactory,
    RelatedPageFactory,
    SourceFactory,
    ThemeFactory,
    UserFactory,
    WorkFactory,
)
from tests.forms import form_data, signup_check_fields
from tests.routes import url_patterns
from tests.wiki.moderation_helpers import edit, submit
from wiki.accounts import SignupForm, account_signup
from wiki.discussion import comment_post
from wiki.history import page_delete
from wiki.models import (
    Comment,
    CommentEvent,
    Page,
    PageLink,
    PageRedirect,
    Proposal,
    ProposalVersion,
    PurgeRecord,
    RevisionVisibilityChange,
    Theme,
    Watch,
    WatchPreferences,
)
from wiki.moderation import proposal_withdraw
from wiki.roles import CONTRIBUTORS, MODERATORS, ensure_roles
from wiki.services import latest_revision, page_publish, page_purge

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "contributor",
    "other_contributor",
    "new_account",
    "moderator",
    "administrator",
    "inactive",
)
METHODS = ("GET", "POST")  # HEAD is answered as GET is (Django runs the GET view)


# --- the site every cell starts from -------------------------------------------


@dataclass
class World:
    values: dict[str, str]  # what fills the routes' parameters
    users: dict[str, object]  # role -> user (None for anonymous)
    objects: dict[str, object]  # admin "app_model" -> the object its pages show
    deleted: dict[str, Page]  # admin "app_model" -> a deleted page of that kind


PASSWORD = "correct horse battery"  # every account's (tests/factories.py)
ADA_BODY = "Ada wrote the first program.\n\nShe worked with [[Charles Babbage]].\n"


def build_world() -> World:
    ensure_roles()
    contributors = Group.objects.get(name=CONTRIBUTORS)
    moderators = Group.objects.get(name=MODERATORS)
    carol = UserFactory(username="carol")
    dave = UserFactory(username="dave")
    sleepy = UserFactory(username="sleepy", is_active=False)
    for user in (carol, dave, sleepy):
        user.groups.add(contributors)
    form = SignupForm(
        {
            "username": "newbie",
            "password1": PASSWORD,
            "password2": PASSWORD,
            **signup_check_fields(),
        }
    )
    assert form.is_valid(), form.errors
    newbie = account_signup(form=form, request=RequestFactory().post("/"))
    mod = UserFactory(username="mod", is_staff=True)
    mod.groups.add(moderators)
    root = UserFactory(username="root", is_staff=True, is_superuser=True)

    engine = OrganizationFactory.build(title="Analytical Engine Society", slug="aes")
    theme = ThemeFactory.build(title="Computing", slug="computing")
    work = WorkFactory.build(title="A Paper", slug="a-paper")
    for page in (engine, theme, work):  # two revisions each, to compare
        page_publish(page=page, user=root, summary="Create")
        page.summary = "Revised."
        page_publish(page=page, user=mod, summary="Lede")
    source = SourceFactory.build(key="menabrea1843", title="Sketch of the Engine")
    source_publish(source=source, user=root, summary="Create")
    ada = PersonFactory.build(
        title="Ada Lovelace",
        slug="ada-lovelace",
        summary="Mathematician.",
        body=ADA_BODY,
    )

    def related():
        AffiliationFactory(person=ada, organization=engine, role="translator")
        CitationFactory(page=ada, source=source)
        RelatedPageFactory(page=ada, target=theme)

    page_publish(page=ada, user=root, summary="Create", save_related=related)
    first = latest_revision(ada)
    ada.summary = "Mathematician and writer."
    page_publish(page=ada, user=mod, summary="Lede")  # rolled back by rollback
    ada = Person.objects.get(pk=ada.pk)
    proposal = submit(ada, carol, summary="Carol's edit", body=ADA_BODY + "More.")
    withdrawn = submit(theme, carol, summary="Second thoughts", body="Withdrawn.")
    proposal_withdraw(proposal=withdrawn, by=carol)
    comment = comment_post(author=carol, text="Carol asks.", proposal=proposal)
    carols = Client()
    carols.force_login(carol)
    source_edit = f"/sources/{source.key}/edit/"
    data = form_for(carols.get(source_edit).content.decode(), source_edit)
    data.update({"title": "Sketch of the Analytical Engine", "edit-summary": "Title"})
    assert carols.post(source_edit, data).status_code == 302
    source_proposal = Proposal.objects.latest("pk")

    deleted = {}
    for key, factory in [
        ("wiki_theme", ThemeFactory),
        ("people_person", PersonFactory),
        ("people_organization", OrganizationFactory),
        ("sources_work", WorkFactory),
    ]:
        page = factory.build(title=f"Gone {key}", slug=f"gone-{key}".replace("_", "-"))
        page_publish(page=page, user=mod, summary="Create")
        page_delete(page=page, user=mod, reason="Not notable")
        deleted[key] = type(page).objects.get(pk=page.pk)
    purged = ThemeFactory.build(title="Spam", slug="spam")
    page_publish(page=purged, user=mod, summary="Create")
    page_delete(page=purged, user=mod, reason="Spam")
    page_purge(page=Page.objects.get(pk=purged.pk), user=root, reason="Spam")
    renamed = ThemeFactory.build(title="Old Name", slug="old-name")
    page_publish(page=renamed, user=mod, summary="Create")
    renamed.title, renamed.slug = "New Name", "new-name"
    page_publish(page=renamed, user=mod, summary="Rename")
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="wiki.tasks.example",
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )

    # What django-axes keeps of logins (failures, and the admin's views of them).
    axes_row = {
        "username": "carol",
        "ip_address": "198.51.100.7",
        "user_agent": "Firefox",
        "http_accept": "text/html",
        "path_info": "/accounts/login/",
    }
    attempt = AccessAttempt.objects.create(
        **axes_row, get_data="", post_data="username=carol", failures_since_start=1
    )
    failure = AccessFailureLog.objects.create(**axes_row)
    access = AccessLog.objects.create(**axes_row)

    users = {
        "anonymous": None,
        "contributor": carol,
        "other_contributor": dave,
        "new_account": newbie,
        "moderator": mod,
        "administrator": root,
        "inactive": sleepy,
    }
    objects = {
        "auth_group": contributors,
        "auth_user": dave,
        "wiki_page": Page.objects.get(pk=theme.pk),
        "wiki_theme": Theme.objects.get(pk=theme.pk),
        "wiki_purgerecord": PurgeRecord.objects.get(),
        "wiki_pagelink": PageLink.objects.get(source=ada),
        "wiki_pageredirect": PageRedirect.objects.get(),
        "wiki_proposal": proposal,
        "people_person": ada,
        "people_organization": Organization.objects.get(pk=engine.pk),
        "sources_work": Work.objects.get(pk=work.pk),
        "sources_source": source,
        "django_tasks_database_dbtaskresult": task,
        "axes_accessattempt": attempt,
        "axes_accessfailurelog": failure,
        "axes_accesslog": access,
    }
    uid = urlsafe_base64_encode(force_bytes(carol.pk))
    values = {
        "section": "people",
        "slug": ada.slug,
        "pk": str(proposal.pk),
        "withdrawn_pk": str(withdrawn.pk),
        "source_proposal_pk": str(source_proposal.pk),
        "revision_id": str(latest_revision(ada).pk),
        "first_revision_id": str(first.pk),
        "username": carol.username,
        "key": source.key,
        "lookup": "pages",
        "uidb64": uid,
        "page_id": str(ada.pk),
        "source_id": str(source.pk),
        "comment_pk": str(comment.pk),
    }
    return World(values=values, users=users, objects=objects, deleted=deleted)


# --- addresses and data --------------------------------------------------------

_CONVERTER = re.compile(r"<(?:\w+:)?(?P<name>\w+)>")
_ADMIN_MODEL = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/")


def _admin_key(route: str) -> str | None:
    found = _ADMIN_MODEL.match(route)
    return f"{found['app']}_{found['model']}" if found else None


def address(route: str, name: str | None, world: World) -> str:
    """The path a cell requests for ``route``."""
    values = dict(world.values)
    key = _admin_key(route)
    if key in world.objects:
        obj = world.objects[key]
        values["object_id"] = str(obj.pk)
        versioned = key in world.deleted or key == "sources_source"
        version = Version.objects.get_for_object(obj).last() if versioned else None
        if name and name.endswith("_purge"):
            values["object_id"] = str(world.deleted[key].pk)
        if name and name.endswith("_recover") and key in world.deleted:
            version = Version.objects.get_for_object(world.deleted[key]).first()
        if version is not None:
            route = route.replace(
                "^([^/]+)/history/(\\d+)/$", f"{obj.pk}/history/{version.pk}/"
            )
            route = route.replace("^recover/(\\d+)/$", f"recover/{version.pk}/")
        route = route.replace("^recover/$", "recover/")
    if name == "admin:view_on_site":
        person = world.objects["people_person"]
        values["content_type_id"] = str(ContentType.objects.get_for_model(Person).pk)
        values["object_id"] = str(person.pk)
    if name == "admin:auth_user_password_change":
        values["id"] = str(world.objects["auth_user"].pk)
    if name == "admin:app_list":
        route = "admin/wiki/"
    if name is None and route == "admin/(?P<url>.*)$":
        route = "admin/no/such/page/"
    if name == "wiki:page_recover":
        values["slug"] = world.deleted["people_person"].slug
    if name == "wiki:revision_revert":
        values["revision_id"] = values["first_revision_id"]
    if name == "wiki:nav_list":
        values.update(section="organizations", slug="aes", key="members")
    if name in ("discussion:comment_edit", "discussion:comment_visibility"):
        values["pk"] = values["comment_pk"]
    if name == "moderation:proposal_resubmit":
        values["pk"] = values["withdrawn_pk"]
    if name == "sources:proposal_amend":
        values["pk"] = values["source_proposal_pk"]
    if name == "wiki:maintenance_section":
        values["section"] = "coverage"
    if name == "sitemap_section":
        values["section"] = "people"
    if name == "api:page_members":
        values["page_id"] = str(world.objects["people_organization"].pk)
    if name == "api:page_authors":
        values["page_id"] = str(world.objects["sources_work"].pk)
    path = "/" + _CONVERTER.sub(lambda m: values[m.group("name")], route)
    if name and name.endswith("_compare"):
        obj = world.objects[key]
        ids = sorted(v.revision_id for v in Version.objects.get_for_object(obj))
        path += f"?from={ids[0]}&to={ids[-1]}"
    return path + QUERIES.get(name, "").format(**values)


# What a URL is asked with, where it needs a query to be more than a 400.
QUERIES = {
    "wiki:page_diff": "?from={first_revision_id}&to={revision_id}",
    "wiki:revision_visibility": "?ids={revision_id}",
    "wiki:resolve": "?title=Ada+Lovelace",
    "wiki:search": "?q=Ada",
    "wiki:search_suggest": "?q=Ada",
    "moderation:autocomplete": "?q=Ada",
    "admin:autocomplete": (
        "?app_label=people&model_name=person&field_name=themes&term=Co"
    ),
}


_FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S)
_ACTION = re.compile(r'<form\b[^>]*\baction="([^"]*)"')


def form_for(html: str, path: str) -> dict | None:
    """The data a browser posts from the page's form that posts to ``path``."""
    bare = path.split("?")[0]
    for block in _FORM.findall(html):
        if 'method="post"' not in block.lower():
            continue
        action = _ACTION.search(block)
        target = (action.group(1) if action else "") or bare
        if target.split("?")[0] == bare:
            return form_data(block)
    return None


# Where the form that posts to a URL is shown, when not on the URL itself.
FORM_PAGE = {
    "moderation:review_approve": "moderation:review_detail",
    "moderation:review_reject": "moderation:review_detail",
    "moderation:proposal_withdraw": "moderation:proposal_detail",
    "discussion:proposal_comment": "moderation:proposal_detail",
    "discussion:comment_visibility": "moderation:proposal_detail",
}


def post_data(name, path, world, admin_client, paths) -> dict:
    """Valid POST data for ``path``: its form, as the administrator sees it."""
    special = SPECIAL_DATA.get(name)
    if special is not None:
        return special(world)
    page = paths.get(FORM_PAGE.get(name), path)
    sid = transaction.savepoint_create()
    try:
        response = admin_client.get(page)
    finally:
        transaction.savepoint_rollback(sid)
    found = (
        form_for(response.content.decode(), path)
        if response.status_code == 200
        else None
    )
    data = found or {}
    for field, value in FILL.items():
        if data.get(field) == "":
            data[field] = value
    data.update(CHANGES.get(name, {}))
    return data


# What a person types into the empty fields that must be filled.
FILL = {
    "title": "Table Page",
    "slug": "table-page",
    "key": "table2024",
    "authors": "A. Writer",
    "edit-summary": "Table edit",
    "reason": "Table reason",
    "name": "Table group",
    "username": "tabled",
    "password1": "Another pass 3",
    "password2": "Another pass 3",
    "email": "carol@example.org",
    "work_type": "paper",
}
# What a form changes where posting it unchanged would change nothing.
CHANGES = {
    "moderation:proposal_amend": {"body": ADA_BODY + "Amended."},
    "moderation:proposal_resubmit": {"body": "Resubmitted."},
    "sources:proposal_amend": {"title": "Sketch, amended"},
    "sources:source_edit": {"title": "Sketch, edited"},
    "wiki:markdown_preview": {"content": "*Hello*"},
    "discussion:proposal_comment": {"text": "Table comment"},
    "discussion:talk": {"text": "Table topic", "subject": "Table subject"},
    "discussion:comment_edit": {"text": "Carol asks again."},
}


IMPORTED = "@article{lovelace1843notes,\n  title = {Notes by the Translator},\n}\n"


def _import_data() -> dict:
    """The import of one new source, as its preview's button posts it."""
    plan = plan_import(IMPORTED)
    return {
        "bibtex": IMPORTED,
        "action": "import",
        "digest": plan.text_digest,
        "signature": plan.signature,
    }


SPECIAL_DATA = {
    "accounts:login": lambda w: {
        "username": "carol",
        "password": "correct horse battery",
    },
    "accounts:signup": lambda w: {
        "username": "brandnew",
        "password1": "A fresh pass 2",
        "password2": "A fresh pass 2",
        **signup_check_fields(),
    },
    "accounts:password_change": lambda w: {
        "old_password": "correct horse battery",
        "new_password1": "Another pass 3",
        "new_password2": "Another pass 3",
    },
    "accounts:password_reset_confirm": lambda w: {
        "new_password1": "Another pass 3",
        "new_password2": "Another pass 3",
    },
    "admin:login": lambda w: {"username": "root", "password": "correct horse battery"},
    "admin:password_change": lambda w: {
        "old_password": "correct horse battery",
        "new_password1": "Another pass 3",
        "new_password2": "Another pass 3",
    },
    "moderation:proposal_limits": lambda w: {"lifted": "1"},
    "watchlist:page_watch": lambda w: {"action": "watch"},
    "watchlist:preferences": lambda w: {"watch_edits": "on", "daily_digest": "on"},
    "sources:source_import": lambda w: _import_data(),
    "moderation:page_edit": lambda w: edit(
        w.objects["people_person"], summary="Table edit", body=ADA_BODY + "Edited."
    ),
}


# --- effects ---------------------------------------------------------------------

_User = get_user_model()


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# What a POST may change, each counted in one query with the others.
COUNTS = {
    "revisions": f"SELECT COUNT(*) FROM {_table(Revision)}",
    "pages": f"SELECT COUNT(*) FROM {_table(Page)}",
    "deleted": f"SELECT COUNT(*) FROM {_table(Page)} WHERE is_deleted",
    "sources": f"SELECT COUNT(*) FROM {_table(Source)}",
    "proposals": f"SELECT COUNT(*) FROM {_table(Proposal)}",
    **{
        status: f"SELECT COUNT(*) FROM {_table(Proposal)} WHERE status = '{status}'"
        for status in Proposal.Status.values
    },
    "proposal_versions": f"SELECT COUNT(*) FROM {_table(ProposalVersion)}",
    "purges": f"SELECT COUNT(*) FROM {_table(PurgeRecord)}",
    "redirects": f"SELECT COUNT(*) FROM {_table(PageRedirect)}",
    "links": f"SELECT COUNT(*) FROM {_table(PageLink)}",
    "hidden": f"SELECT COUNT(*) FROM {_table(RevisionVisibilityChange)}",
    "users": f"SELECT COUNT(*) FROM {_table(_User)}",
    "groups": f"SELECT COUNT(*) FROM {_table(Group)}",
    "admin_log": f"SELECT COUNT(*) FROM {_table(LogEntry)}",
    "sessions": f"SELECT COUNT(*) FROM {_table(Session)}",
    "tasks": f"SELECT COUNT(*) FROM {_table(DBTaskResult)}",
    "comments": f"SELECT COUNT(*) FROM {_table(Comment)}",
    "comment_log": f"SELECT COUNT(*) FROM {_table(CommentEvent)}",
    "watches": f"SELECT COUNT(*) FROM {_table(Watch)}",
    "watch_preferences": f"SELECT COUNT(*) FROM {_table(WatchPreferences)}",
}
_COUNT_ALL = "SELECT " + ", ".join(f"({query})" for query in COUNTS.values())


def _counts() -> dict[str, object]:
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_ALL)
        counts = dict(zip(COUNTS, cursor.fetchone(), strict=True))
    passwords = _User.objects.order_by("pk").values_list("password", flat=True)
    counts["passwords"] = zlib.crc32("".join(passwords).encode())
    counts["mails"] = len(mail.outbox)
    return counts


def effect(before: dict, after: dict) -> str:
    """What changed, e.g. "revisions+1 deleted+1", or "" for nothing."""
    changes = []
    for name, old in before.items():
        new = after[name]
        if new == old:
            continue
        if name == "passwords":
            changes.append("password")
        else:
            changes.append(f"{name}{new - old:+d}")
    return " ".join(changes)


# --- the cells -------------------------------------------------------------------


def _cell(client, method, path, data) -> tuple[object, str]:
    before = _counts() if method == "POST" else None
    sid = transaction.savepoint_create()
    try:
        response = client.get(path) if method == "GET" else client.post(path, data)
        after = _counts() if method == "POST" else None
    finally:
        transaction.savepoint_rollback(sid)
    status = response.status_code
    if status in (301, 302):
        location = response["Location"]
        if "/login/" in location and "next=" in location:
            status = LOGIN
    return status, (effect(before, after) if method == "POST" else "")


def routes() -> list[tuple[str, str, str | None]]:
    """(row key, route, URL name) for every route; the key is the URL name, or
    the route if it has none."""
    return [(name or route, route, name) for route, name in url_patterns()]


def test_the_table_has_a_row_for_every_url_and_method_and_no_other():
    keys = {(key, method) for key, _, _ in routes() for method in METHODS}
    missing = sorted(keys - ROLE_TABLE.keys())
    assert not missing, "\n".join(
        f"add a row for {key} {method} to ROLE_TABLE" for key, method in missing
    )
    stale = sorted(ROLE_TABLE.keys() - keys)
    assert not stale, "\n".join(
        f"{key} {method} is no longer in the URL conf: remove its row from ROLE_TABLE"
        for key, method in stale
    )
    assert all(len(row) == len(ROLES) for row in ROLE_TABLE.values())


def _changes_something(key: str) -> bool:
    """Whether some role's POST to ``key`` changes something, or is refused for
    its data: then the POST carries the form's data, for every role alike."""
    row = ROLE_TABLE.get((key, "POST"), ())
    return any(isinstance(cell, tuple) for cell in row) or key in ANSWERS_DATA


# Forms whose POST changes nothing in the database but answers what was sent.
ANSWERS_DATA = {
    "wiki:markdown_preview",
    "wiki:revision_visibility",
    "moderation:proposal_resubmit",
}


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_the_table_says(role):
    world = build_world()
    user = world.users[role]
    client = Client()
    if user is not None:
        client.force_login(user)
    # A reset link for carol, made after her log-in (which the token covers).
    carol = world.users["contributor"]
    world.values["token"] = default_token_generator.make_token(carol)
    admin_client = Client()
    admin_client.force_login(world.users["administrator"])
    index = ROLES.index(role)
    keys = routes()
    paths = {key: address(route, name, world) for key, route, name in keys}
    wrong = []
    for key, _, _ in keys:
        path = paths[key]
        for method in METHODS:
            data = None
            if method == "POST":
                data = {}
                if _changes_something(key):
                    data = post_data(key, path, world, admin_client, paths)
            cookies = copy.deepcopy(client.cookies)
            status, change = _cell(client, method, path, data)
            client.cookies = cookies  # a log-out or log-in cell ends no other
            observed = (status, change) if change else status
            expected = ROLE_TABLE.get((key, method), (None,) * len(ROLES))[index]
            if observed != expected:
                wrong.append(
                    f"{key} {method} {path}: expected {expected!r}, got {observed!r}"
                )
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


# --- the table ----------------------------------------------------------------
# (URL name, or the route where it has none; method):
#   (anonymous, contributor, other_contributor, new_account, moderator,
#    administrator, inactive)
# A cell is the status (LOGIN: a redirect to a log-in page) and, for a POST
# that changes something, what it changes (see COUNTS); a bare status on a
# POST means nothing changed.
LOGIN = "login"

ROLE_TABLE = {
    ("admin:index", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 200, 200, LOGIN),
    ("admin:index", "POST"): (LOGIN, LOGIN, LOGIN, LOGIN, 200, 200, LOGIN),
    ("admin:login", "GET"): (200, 200, 200, 200, 302, 302, 200),
    ("admin:login", "POST"): ((302, "sessions+1"), 302, 302, 302, 302, 302, 302),
    ("admin:logout", "GET"): (302, 302, 302, 302, 405, 405, 302),
    ("admin:logout", "POST"): (
        302,
        302,
        302,
        302,
        (302, "sessions-1"),
        (302, "sessions-1"),
        302,
    ),
    ("admin:password_change", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 200, 200, LOGIN),
    ("admin:password_change", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        (302, "password"),
        (302, "password"),
        LOGIN,
    ),
    ("admin:password_change_done", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:password_change_done", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        405,
        405,
        LOGIN,
    ),
    ("admin:autocomplete", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 200, 200, LOGIN),
    ("admin:autocomplete", "POST"): (LOGIN, LOGIN, LOGIN, LOGIN, 405, 405, LOGIN),
    ("admin:jsi18n", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 200, 200, LOGIN),
    ("admin:jsi18n", "POST"): (LOGIN, LOGIN, LOGIN, LOGIN, 405, 405, LOGIN),
    ("admin:view_on_site", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 302, 302, LOGIN),
    ("admin:view_on_site", "POST"): (LOGIN, LOGIN, LOGIN, LOGIN, 302, 302, LOGIN),
    ("admin:auth_group_changelist", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:auth_group_changelist", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:auth_group_add", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 403, 200, LOGIN),
    ("admin:auth_group_add", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        (302, "groups+1 admin_log+1"),
        LOGIN,
    ),
    ("admin:auth_group_history", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 403, 200, LOGIN),
    ("admin:auth_group_history", "POST"): (LOGIN, LOGIN, LOGIN, LOGIN, 403, 200, LOGIN),
    ("admin:auth_group_delete", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 403, 200, LOGIN),
    ("admin:auth_group_delete", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        (302, "groups-1 admin_log+1"),
        LOGIN,
    ),
    ("admin:auth_group_change", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 403, 200, LOGIN),
    ("admin:auth_group_change", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        (302, "admin_log+1"),
        LOGIN,
    ),
    ("admin/auth/group/<path:object_id>/", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin/auth/group/<path:object_id>/", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin:wiki_page_changelist", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:wiki_page_changelist", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:wiki_page_add", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 403, 403, LOGIN),
    ("admin:wiki_page_add", "POST"): (LOGIN, LOGIN, LOGIN, LOGIN, 403, 403, LOGIN),
    ("admin:wiki_page_history", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 200, 200, LOGIN),
    ("admin:wiki_page_history", "POST"): (LOGIN, LOGIN, LOGIN, LOGIN, 200, 200, LOGIN),
    ("admin:wiki_page_delete", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 403, 403, LOGIN),
    ("admin:wiki_page_delete", "POST"): (LOGIN, LOGIN, LOGIN, LOGIN, 403, 403, LOGIN),
    ("admin:wiki_page_change", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 200, 200, LOGIN),
    ("admin:wiki_page_change", "POST"): (LOGIN, LOGIN, LOGIN, LOGIN, 403, 403, LOGIN),
    ("admin/wiki/page/<path:object_id>/", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin/wiki/page/<path:object_id>/", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin:wiki_theme_compare", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 200, 200, LOGIN),
    ("admin:wiki_theme_compare", "POST"): (LOGIN, LOGIN, LOGIN, LOGIN, 200, 200, LOGIN),
    ("admin:wiki_theme_purge", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 403, 200, LOGIN),
    ("admin:wiki_theme_purge", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        (302, "revisions-2 pages-1 deleted-1 purges+1 watches-1"),
        LOGIN,
    ),
    ("admin:wiki_theme_recoverlist", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin:wiki_theme_recoverlist", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin:wiki_theme_recover", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 200, 200, LOGIN),
    ("admin:wiki_theme_recover", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        (302, "revisions+1 deleted-1"),
        (302, "revisions+1 deleted-1 watches+1"),
        LOGIN,
    ),
    ("admin:wiki_theme_revision", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 200, 200, LOGIN),
    ("admin:wiki_theme_revision", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        (302, "revisions+1"),
        (302, "revisions+1"),
        LOGIN,
    ),
    ("admin:wiki_theme_changelist", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:wiki_theme_changelist", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:wiki_theme_add", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 200, 200, LOGIN),
    ("admin:wiki_theme_add", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        (302, "revisions+1 pages+1 admin_log+1 watches+1"),
        (302, "revisions+1 pages+1 admin_log+1 watches+1"),
        LOGIN,
    ),
    ("admin:wiki_theme_history", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 200, 200, LOGIN),
    ("admin:wiki_theme_history", "POST"): (LOGIN, LOGIN, LOGIN, LOGIN, 200, 200, LOGIN),
    ("admin:wiki_theme_delete", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 200, 200, LOGIN),
    ("admin:wiki_theme_delete", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        (302, "revisions+1 deleted+1"),
        (302, "revisions+1 deleted+1"),
        LOGIN,
    ),
    ("admin:wiki_theme_change", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 200, 200, LOGIN),
    ("admin:wiki_theme_change", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        (302, "revisions+1 admin_log+1"),
        (302, "revisions+1 admin_log+1"),
        LOGIN,
    ),
    ("admin/wiki/theme/<path:object_id>/", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin/wiki/theme/<path:object_id>/", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin:wiki_purgerecord_changelist", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:wiki_purgerecord_changelist", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:wiki_purgerecord_add", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        403,
        LOGIN,
    ),
    ("admin:wiki_purgerecord_add", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        403,
        LOGIN,
    ),
    ("admin:wiki_purgerecord_history", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:wiki_purgerecord_history", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:wiki_purgerecord_delete", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        403,
        LOGIN,
    ),
    ("admin:wiki_purgerecord_delete", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        403,
        LOGIN,
    ),
    ("admin:wiki_purgerecord_change", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:wiki_purgerecord_change", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        403,
        LOGIN,
    ),
    ("admin/wiki/purgerecord/<path:object_id>/", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin/wiki/purgerecord/<path:object_id>/", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin:wiki_pagelink_changelist", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:wiki_pagelink_changelist", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:wiki_pagelink_add", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 403, 403, LOGIN),
    ("admin:wiki_pagelink_add", "POST"): (LOGIN, LOGIN, LOGIN, LOGIN, 403, 403, LOGIN),
    ("admin:wiki_pagelink_history", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:wiki_pagelink_history", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:wiki_pagelink_delete", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        403,
        LOGIN,
    ),
    ("admin:wiki_pagelink_delete", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        403,
        LOGIN,
    ),
    ("admin:wiki_pagelink_change", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:wiki_pagelink_change", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        403,
        LOGIN,
    ),
    ("admin/wiki/pagelink/<path:object_id>/", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin/wiki/pagelink/<path:object_id>/", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin:wiki_pageredirect_changelist", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:wiki_pageredirect_changelist", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:wiki_pageredirect_add", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        403,
        LOGIN,
    ),
    ("admin:wiki_pageredirect_add", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        403,
        LOGIN,
    ),
    ("admin:wiki_pageredirect_history", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:wiki_pageredirect_history", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:wiki_pageredirect_delete", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:wiki_pageredirect_delete", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        (302, "redirects-1 admin_log+1"),
        (302, "redirects-1 admin_log+1"),
        LOGIN,
    ),
    ("admin:wiki_pageredirect_change", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:wiki_pageredirect_change", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        403,
        LOGIN,
    ),
    ("admin/wiki/pageredirect/<path:object_id>/", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin/wiki/pageredirect/<path:object_id>/", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin:wiki_proposal_changelist", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:wiki_proposal_changelist", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:wiki_proposal_add", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 403, 403, LOGIN),
    ("admin:wiki_proposal_add", "POST"): (LOGIN, LOGIN, LOGIN, LOGIN, 403, 403, LOGIN),
    ("admin:wiki_proposal_history", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:wiki_proposal_history", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:wiki_proposal_delete", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        403,
        LOGIN,
    ),
    ("admin:wiki_proposal_delete", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        403,
        LOGIN,
    ),
    ("admin:wiki_proposal_change", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:wiki_proposal_change", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        403,
        LOGIN,
    ),
    ("admin/wiki/proposal/<path:object_id>/", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin/wiki/proposal/<path:object_id>/", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin:auth_user_password_change", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:auth_user_password_change", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        (302, "admin_log+1 password"),
        LOGIN,
    ),
    ("admin:auth_user_changelist", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:auth_user_changelist", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:auth_user_add", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 403, 200, LOGIN),
    ("admin:auth_user_add", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        (302, "users+1 admin_log+1 password"),
        LOGIN,
    ),
    ("admin:auth_user_history", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 403, 200, LOGIN),
    ("admin:auth_user_history", "POST"): (LOGIN, LOGIN, LOGIN, LOGIN, 403, 200, LOGIN),
    ("admin:auth_user_delete", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 403, 200, LOGIN),
    ("admin:auth_user_delete", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        (302, "users-1 admin_log+1 password"),
        LOGIN,
    ),
    ("admin:auth_user_change", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 403, 200, LOGIN),
    ("admin:auth_user_change", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        (302, "admin_log+1"),
        LOGIN,
    ),
    ("admin/auth/user/<path:object_id>/", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin/auth/user/<path:object_id>/", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin:people_person_compare", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:people_person_compare", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:people_person_purge", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 403, 200, LOGIN),
    ("admin:people_person_purge", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        (302, "revisions-2 pages-1 deleted-1 purges+1 watches-1"),
        LOGIN,
    ),
    ("admin:people_person_recoverlist", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin:people_person_recoverlist", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin:people_person_recover", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:people_person_recover", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        (302, "revisions+1 deleted-1"),
        (302, "revisions+1 deleted-1 watches+1"),
        LOGIN,
    ),
    ("admin:people_person_revision", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:people_person_revision", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        (302, "revisions+1"),
        (302, "revisions+1"),
        LOGIN,
    ),
    ("admin:people_person_changelist", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:people_person_changelist", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:people_person_add", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 200, 200, LOGIN),
    ("admin:people_person_add", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        (302, "revisions+1 pages+1 admin_log+1 watches+1"),
        (302, "revisions+1 pages+1 admin_log+1 watches+1"),
        LOGIN,
    ),
    ("admin:people_person_history", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:people_person_history", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:people_person_delete", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:people_person_delete", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        (302, "revisions+1 deleted+1"),
        (302, "revisions+1 deleted+1"),
        LOGIN,
    ),
    ("admin:people_person_change", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:people_person_change", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        (302, "revisions+1 admin_log+1"),
        (302, "revisions+1 admin_log+1"),
        LOGIN,
    ),
    ("admin/people/person/<path:object_id>/", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin/people/person/<path:object_id>/", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin:people_organization_compare", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:people_organization_compare", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:people_organization_purge", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:people_organization_purge", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        (302, "revisions-2 pages-1 deleted-1 purges+1 watches-1"),
        LOGIN,
    ),
    ("admin:people_organization_recoverlist", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin:people_organization_recoverlist", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin:people_organization_recover", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:people_organization_recover", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        (302, "revisions+1 deleted-1"),
        (302, "revisions+1 deleted-1 watches+1"),
        LOGIN,
    ),
    ("admin:people_organization_revision", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:people_organization_revision", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        (302, "revisions+1"),
        (302, "revisions+1"),
        LOGIN,
    ),
    ("admin:people_organization_changelist", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:people_organization_changelist", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:people_organization_add", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:people_organization_add", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        (302, "revisions+1 pages+1 admin_log+1 watches+1"),
        (302, "revisions+1 pages+1 admin_log+1 watches+1"),
        LOGIN,
    ),
    ("admin:people_organization_history", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:people_organization_history", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:people_organization_delete", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:people_organization_delete", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        (302, "revisions+1 deleted+1"),
        (302, "revisions+1 deleted+1"),
        LOGIN,
    ),
    ("admin:people_organization_change", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:people_organization_change", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        (302, "revisions+1 admin_log+1"),
        (302, "revisions+1 admin_log+1"),
        LOGIN,
    ),
    ("admin/people/organization/<path:object_id>/", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin/people/organization/<path:object_id>/", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin:sources_work_compare", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:sources_work_compare", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:sources_work_purge", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 403, 200, LOGIN),
    ("admin:sources_work_purge", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        (302, "revisions-2 pages-1 deleted-1 purges+1 watches-1"),
        LOGIN,
    ),
    ("admin:sources_work_recoverlist", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin:sources_work_recoverlist", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin:sources_work_recover", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:sources_work_recover", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        (302, "revisions+1 deleted-1"),
        (302, "revisions+1 deleted-1 watches+1"),
        LOGIN,
    ),
    ("admin:sources_work_revision", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:sources_work_revision", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        (302, "revisions+1"),
        (302, "revisions+1"),
        LOGIN,
    ),
    ("admin:sources_work_changelist", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:sources_work_changelist", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:sources_work_add", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 200, 200, LOGIN),
    ("admin:sources_work_add", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        (302, "revisions+1 pages+1 admin_log+1 watches+1"),
        (302, "revisions+1 pages+1 admin_log+1 watches+1"),
        LOGIN,
    ),
    ("admin:sources_work_history", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:sources_work_history", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:sources_work_delete", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 200, 200, LOGIN),
    ("admin:sources_work_delete", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        (302, "revisions+1 deleted+1"),
        (302, "revisions+1 deleted+1"),
        LOGIN,
    ),
    ("admin:sources_work_change", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 200, 200, LOGIN),
    ("admin:sources_work_change", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        (302, "revisions+1 admin_log+1"),
        (302, "revisions+1 admin_log+1"),
        LOGIN,
    ),
    ("admin/sources/work/<path:object_id>/", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin/sources/work/<path:object_id>/", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin:sources_source_recoverlist", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:sources_source_recoverlist", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:sources_source_recover", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        403,
        LOGIN,
    ),
    ("admin:sources_source_recover", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        403,
        LOGIN,
    ),
    ("admin:sources_source_revision", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:sources_source_revision", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        (302, "revisions+1"),
        (302, "revisions+1"),
        LOGIN,
    ),
    ("admin:sources_source_changelist", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:sources_source_changelist", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:sources_source_add", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 200, 200, LOGIN),
    ("admin:sources_source_add", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        (302, "revisions+1 sources+1 admin_log+1"),
        (302, "revisions+1 sources+1 admin_log+1"),
        LOGIN,
    ),
    ("admin:sources_source_history", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:sources_source_history", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:sources_source_delete", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin:sources_source_delete", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin:sources_source_change", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        200,
        200,
        LOGIN,
    ),
    ("admin:sources_source_change", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        (302, "revisions+1 admin_log+1"),
        (302, "revisions+1 admin_log+1"),
        LOGIN,
    ),
    ("admin/sources/source/<path:object_id>/", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin/sources/source/<path:object_id>/", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin:django_tasks_database_dbtaskresult_changelist", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:django_tasks_database_dbtaskresult_changelist", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:django_tasks_database_dbtaskresult_add", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        403,
        LOGIN,
    ),
    ("admin:django_tasks_database_dbtaskresult_add", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        403,
        LOGIN,
    ),
    ("admin:django_tasks_database_dbtaskresult_history", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:django_tasks_database_dbtaskresult_history", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:django_tasks_database_dbtaskresult_delete", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        403,
        LOGIN,
    ),
    ("admin:django_tasks_database_dbtaskresult_delete", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        403,
        LOGIN,
    ),
    ("admin:django_tasks_database_dbtaskresult_change", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:django_tasks_database_dbtaskresult_change", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        403,
        LOGIN,
    ),
    ("admin/django_tasks_database/dbtaskresult/<path:object_id>/", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin/django_tasks_database/dbtaskresult/<path:object_id>/", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin:app_list", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 200, 200, LOGIN),
    ("admin:app_list", "POST"): (LOGIN, LOGIN, LOGIN, LOGIN, 200, 200, LOGIN),
    ("admin/(?P<url>.*)$", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 404, 404, LOGIN),
    ("admin/(?P<url>.*)$", "POST"): (LOGIN, LOGIN, LOGIN, LOGIN, 404, 404, LOGIN),
    ("sitemap", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("sitemap", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("sitemap_section", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("sitemap_section", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("robots_txt", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("robots_txt", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("favicon", "GET"): (301, 301, 301, 301, 301, 301, 301),
    ("favicon", "POST"): (301, 301, 301, 301, 301, 301, 301),
    ("accounts:signup", "GET"): (200, 302, 302, 302, 302, 302, 200),
    ("accounts:signup", "POST"): (
        (302, "users+1 sessions+1 password"),
        302,
        302,
        302,
        302,
        302,
        (302, "users+1 password"),
    ),
    ("accounts:login", "GET"): (200, 302, 302, 302, 302, 302, 200),
    ("accounts:login", "POST"): ((302, "sessions+1"), 302, 302, 302, 302, 302, 302),
    ("accounts:logout", "GET"): (405, 405, 405, 405, 405, 405, 405),
    ("accounts:logout", "POST"): (
        302,
        (302, "sessions-1"),
        (302, "sessions-1"),
        (302, "sessions-1"),
        (302, "sessions-1"),
        (302, "sessions-1"),
        (302, "sessions-1"),
    ),
    ("accounts:password_change", "GET"): (LOGIN, 200, 200, 200, 200, 200, LOGIN),
    ("accounts:password_change", "POST"): (
        LOGIN,
        (302, "password"),
        (302, "password"),
        (302, "password"),
        (302, "password"),
        (302, "password"),
        LOGIN,
    ),
    ("accounts:password_change_done", "GET"): (LOGIN, 200, 200, 200, 200, 200, LOGIN),
    ("accounts:password_change_done", "POST"): (LOGIN, 405, 405, 405, 405, 405, LOGIN),
    ("accounts:password_reset", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("accounts:password_reset", "POST"): (
        (302, "mails+1"),
        (302, "mails+1"),
        (302, "mails+1"),
        (302, "mails+1"),
        (302, "mails+1"),
        (302, "mails+1"),
        (302, "mails+1"),
    ),
    ("accounts:password_reset_done", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("accounts:password_reset_done", "POST"): (405, 405, 405, 405, 405, 405, 405),
    ("accounts:password_reset_confirm", "GET"): (302, 302, 302, 302, 302, 302, 302),
    ("accounts:password_reset_confirm", "POST"): (
        (302, "sessions+1"),
        302,
        302,
        302,
        302,
        302,
        302,
    ),
    ("accounts:password_reset_complete", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("accounts:password_reset_complete", "POST"): (405, 405, 405, 405, 405, 405, 405),
    ("moderation:page_create", "GET"): (LOGIN, 200, 200, 200, 200, 200, LOGIN),
    ("moderation:page_create", "POST"): (
        LOGIN,
        (302, "proposals+1 pending+1 proposal_versions+1"),
        (302, "proposals+1 pending+1 proposal_versions+1"),
        (302, "proposals+1 pending+1 proposal_versions+1"),
        (
            302,
            "revisions+1 pages+1 proposals+1 approved+1 proposal_versions+1 watches+1",
        ),
        (
            302,
            "revisions+1 pages+1 proposals+1 approved+1 proposal_versions+1 watches+1",
        ),
        LOGIN,
    ),
    ("moderation:page_edit", "GET"): (LOGIN, 200, 200, 200, 200, 200, LOGIN),
    ("moderation:page_edit", "POST"): (
        LOGIN,
        (302, "proposals+1 pending+1 proposal_versions+1"),
        (302, "proposals+1 pending+1 proposal_versions+1 watches+1"),
        (302, "proposals+1 pending+1 proposal_versions+1 watches+1"),
        (302, "revisions+1 proposals+1 approved+1 proposal_versions+1"),
        (302, "revisions+1 proposals+1 approved+1 proposal_versions+1"),
        LOGIN,
    ),
    ("moderation:proposal_detail", "GET"): (LOGIN, 200, 403, 403, 200, 200, LOGIN),
    ("moderation:proposal_detail", "POST"): (LOGIN, 200, 403, 403, 200, 200, LOGIN),
    ("moderation:proposal_amend", "GET"): (LOGIN, 200, 403, 403, 200, 200, LOGIN),
    ("moderation:proposal_amend", "POST"): (
        LOGIN,
        (302, "proposal_versions+1"),
        403,
        403,
        (302, "proposal_versions+1"),
        (302, "proposal_versions+1"),
        LOGIN,
    ),
    ("moderation:proposal_resubmit", "GET"): (LOGIN, 200, 403, 403, 403, 403, LOGIN),
    ("moderation:proposal_resubmit", "POST"): (LOGIN, 400, 403, 403, 403, 403, LOGIN),
    ("moderation:proposal_withdraw", "GET"): (LOGIN, 405, 405, 405, 405, 405, LOGIN),
    ("moderation:proposal_withdraw", "POST"): (
        LOGIN,
        (302, "pending-1 withdrawn+1"),
        403,
        403,
        403,
        403,
        LOGIN,
    ),
    ("moderation:review_queue", "GET"): (LOGIN, 403, 403, 403, 200, 200, LOGIN),
    ("moderation:review_queue", "POST"): (LOGIN, 403, 403, 403, 405, 405, LOGIN),
    ("moderation:review_detail", "GET"): (LOGIN, 403, 403, 403, 200, 200, LOGIN),
    ("moderation:review_detail", "POST"): (LOGIN, 403, 403, 403, 200, 200, LOGIN),
    ("moderation:review_approve", "GET"): (LOGIN, 405, 405, 405, 405, 405, LOGIN),
    ("moderation:review_approve", "POST"): (
        LOGIN,
        403,
        403,
        403,
        (302, "revisions+1 pending-1 approved+1 mails+1"),
        (302, "revisions+1 pending-1 approved+1 mails+1"),
        LOGIN,
    ),
    ("moderation:review_reject", "GET"): (LOGIN, 405, 405, 405, 405, 405, LOGIN),
    ("moderation:review_reject", "POST"): (
        LOGIN,
        403,
        403,
        403,
        (302, "pending-1 rejected+1 mails+1"),
        (302, "pending-1 rejected+1 mails+1"),
        LOGIN,
    ),
    ("moderation:review_state", "GET"): (LOGIN, 403, 403, 403, 200, 200, LOGIN),
    ("moderation:review_state", "POST"): (LOGIN, 403, 403, 403, 200, 200, LOGIN),
    ("moderation:contributions", "GET"): (LOGIN, 200, 200, 200, 200, 200, LOGIN),
    ("moderation:contributions", "POST"): (LOGIN, 405, 405, 405, 405, 405, LOGIN),
    ("moderation:notifications", "GET"): (LOGIN, 200, 200, 200, 200, 200, LOGIN),
    ("moderation:notifications", "POST"): (LOGIN, 302, 302, 302, 302, 302, LOGIN),
    ("discussion:proposal_comment", "GET"): (LOGIN, 405, 405, 405, 405, 405, LOGIN),
    ("discussion:proposal_comment", "POST"): (
        LOGIN,
        (302, "comments+1 comment_log+1"),
        403,
        403,
        (302, "comments+1 comment_log+1"),
        (302, "comments+1 comment_log+1"),
        LOGIN,
    ),
    ("discussion:talk", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("discussion:talk", "POST"): (
        LOGIN,
        (302, "comments+1 comment_log+1"),
        (302, "comments+1 comment_log+1"),
        (302, "comments+1 comment_log+1"),
        (302, "comments+1 comment_log+1"),
        (302, "comments+1 comment_log+1"),
        LOGIN,
    ),
    ("discussion:talk_history", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("discussion:talk_history", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("discussion:comment_edit", "GET"): (LOGIN, 200, 403, 403, 403, 403, LOGIN),
    ("discussion:comment_edit", "POST"): (
        LOGIN,
        (302, "comment_log+1"),
        403,
        403,
        403,
        403,
        LOGIN,
    ),
    ("discussion:comment_visibility", "GET"): (
        LOGIN,
        405,
        405,
        405,
        405,
        405,
        LOGIN,
    ),
    ("discussion:comment_visibility", "POST"): (
        LOGIN,
        403,
        403,
        403,
        (302, "comment_log+1"),
        (302, "comment_log+1"),
        LOGIN,
    ),
    ("watchlist:watchlist", "GET"): (LOGIN, 200, 200, 200, 200, 200, LOGIN),
    ("watchlist:watchlist", "POST"): (LOGIN, 405, 405, 405, 405, 405, LOGIN),
    ("watchlist:watched_pages", "GET"): (LOGIN, 200, 200, 200, 200, 200, LOGIN),
    ("watchlist:watched_pages", "POST"): (LOGIN, 405, 405, 405, 405, 405, LOGIN),
    ("watchlist:preferences", "GET"): (LOGIN, 405, 405, 405, 405, 405, LOGIN),
    ("watchlist:preferences", "POST"): (
        LOGIN,
        *[(302, "watch_preferences+1")] * 5,
        LOGIN,
    ),
    ("watchlist:page_watch", "GET"): (LOGIN, 405, 405, 405, 405, 405, LOGIN),
    # Carol proposed a change to Ada's page and the moderator and the
    # administrator (root) published it (build_world): they watch it already.
    ("watchlist:page_watch", "POST"): (
        LOGIN,
        302,
        (302, "watches+1"),
        (302, "watches+1"),
        302,
        302,
        LOGIN,
    ),
    ("moderation:autocomplete", "GET"): (403, 200, 200, 200, 200, 200, 403),
    ("moderation:autocomplete", "POST"): (403, 200, 200, 200, 200, 200, 403),
    ("people:person_index", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("people:person_index", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("people:organization_index", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("people:organization_index", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("sources:work_index", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("sources:work_index", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("sources:source_index", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("sources:source_index", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("sources:source_create", "GET"): (LOGIN, 200, 200, 200, 200, 200, LOGIN),
    ("sources:source_create", "POST"): (
        LOGIN,
        (302, "proposals+1 pending+1 proposal_versions+1"),
        (302, "proposals+1 pending+1 proposal_versions+1"),
        (302, "proposals+1 pending+1 proposal_versions+1"),
        (302, "revisions+1 sources+1 proposals+1 approved+1 proposal_versions+1"),
        (302, "revisions+1 sources+1 proposals+1 approved+1 proposal_versions+1"),
        LOGIN,
    ),
    ("sources:proposal_amend", "GET"): (LOGIN, 200, 403, 403, 200, 200, LOGIN),
    ("sources:proposal_amend", "POST"): (
        LOGIN,
        (302, "proposal_versions+1"),
        403,
        403,
        (302, "proposal_versions+1"),
        (302, "proposal_versions+1"),
        LOGIN,
    ),
    ("sources:source_import", "GET"): (LOGIN, 403, 403, 403, 200, 200, LOGIN),
    ("sources:source_import", "POST"): (
        LOGIN,
        403,
        403,
        403,
        (302, "revisions+1 sources+1"),
        (302, "revisions+1 sources+1"),
        LOGIN,
    ),
    ("sources:sources_bibtex", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("sources:sources_bibtex", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("sources:sources_csl", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("sources:sources_csl", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("sources:source_bibtex", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("sources:source_bibtex", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("sources:source_csl", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("sources:source_csl", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("sources:page_references_bibtex", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("sources:page_references_bibtex", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("sources:page_references_csl", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("sources:page_references_csl", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("sources:source_detail", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("sources:source_detail", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("sources:source_edit", "GET"): (LOGIN, 200, 200, 200, 200, 200, LOGIN),
    ("sources:source_edit", "POST"): (
        LOGIN,
        (302, "proposals+1 pending+1 proposal_versions+1"),
        (302, "proposals+1 pending+1 proposal_versions+1"),
        (302, "proposals+1 pending+1 proposal_versions+1"),
        (302, "revisions+1 proposals+1 approved+1 proposal_versions+1"),
        (302, "revisions+1 proposals+1 approved+1 proposal_versions+1"),
        LOGIN,
    ),
    ("sources:source_history", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("sources:source_history", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("sources:source_cited_by", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("sources:source_cited_by", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("toykind:dataset_index", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("toykind:dataset_index", "POST"): (200, 200, 200, 200, 200, 200, 200),
    # The read API: anonymous, the same for everyone; writes are 405.
    ("api:schema", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("api:schema", "POST"): (405, 405, 405, 405, 405, 405, 405),
    ("api:page_list", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("api:page_list", "POST"): (405, 405, 405, 405, 405, 405, 405),
    ("api:page_detail", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("api:page_detail", "POST"): (405, 405, 405, 405, 405, 405, 405),
    ("api:page_related", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("api:page_related", "POST"): (405, 405, 405, 405, 405, 405, 405),
    ("api:page_citations", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("api:page_citations", "POST"): (405, 405, 405, 405, 405, 405, 405),
    ("api:page_links", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("api:page_links", "POST"): (405, 405, 405, 405, 405, 405, 405),
    ("api:page_affiliations", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("api:page_affiliations", "POST"): (405, 405, 405, 405, 405, 405, 405),
    ("api:page_members", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("api:page_members", "POST"): (405, 405, 405, 405, 405, 405, 405),
    ("api:page_works", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("api:page_works", "POST"): (405, 405, 405, 405, 405, 405, 405),
    ("api:page_authors", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("api:page_authors", "POST"): (405, 405, 405, 405, 405, 405, 405),
    ("api:page_themes", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("api:page_themes", "POST"): (405, 405, 405, 405, 405, 405, 405),
    ("api:page_revisions", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("api:page_revisions", "POST"): (405, 405, 405, 405, 405, 405, 405),
    ("api:revision_detail", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("api:revision_detail", "POST"): (405, 405, 405, 405, 405, 405, 405),
    ("api:recent_changes", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("api:recent_changes", "POST"): (405, 405, 405, 405, 405, 405, 405),
    ("api:source_list", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("api:source_list", "POST"): (405, 405, 405, 405, 405, 405, 405),
    ("api:source_detail", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("api:source_detail", "POST"): (405, 405, 405, 405, 405, 405, 405),
    ("api:source_citations", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("api:source_citations", "POST"): (405, 405, 405, 405, 405, 405, 405),
    ("api:not_found", "GET"): (404, 404, 404, 404, 404, 404, 404),
    ("api:not_found", "POST"): (405, 405, 405, 405, 405, 405, 405),
    ("wiki:home", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:home", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:resolve", "GET"): (302, 302, 302, 302, 302, 302, 302),
    ("wiki:resolve", "POST"): (302, 302, 302, 302, 302, 302, 302),
    ("wiki:search", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:search", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:search_suggest", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:search_suggest", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:theme_index", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:theme_index", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:wanted", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:wanted", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:maintenance", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:maintenance", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:maintenance_section", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:maintenance_section", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:markdown_preview", "GET"): (405, 405, 405, 405, 405, 405, 405),
    ("wiki:markdown_preview", "POST"): (403, 200, 200, 200, 200, 200, 403),
    ("wiki:page_preview", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:page_preview", "POST"): (405, 405, 405, 405, 405, 405, 405),
    ("wiki:page_detail", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:page_detail", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:page_history", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:page_history", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:page_history_feed", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:page_history_feed", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:page_diff", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:page_diff", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:revision_detail", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:revision_detail", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:revision_revert", "GET"): (LOGIN, 403, 403, 403, 200, 200, LOGIN),
    ("wiki:revision_revert", "POST"): (
        LOGIN,
        403,
        403,
        403,
        (302, "revisions+1"),
        (302, "revisions+1"),
        LOGIN,
    ),
    ("wiki:revision_undo", "GET"): (LOGIN, 403, 403, 403, 200, 200, LOGIN),
    ("wiki:revision_undo", "POST"): (
        LOGIN,
        403,
        403,
        403,
        (302, "revisions+1"),
        (302, "revisions+1"),
        LOGIN,
    ),
    ("wiki:revision_visibility", "GET"): (LOGIN, 403, 403, 403, 200, 200, LOGIN),
    ("wiki:revision_visibility", "POST"): (LOGIN, 403, 403, 403, 409, 409, LOGIN),
    ("wiki:page_rollback", "GET"): (LOGIN, 403, 403, 403, 200, 200, LOGIN),
    ("wiki:page_rollback", "POST"): (
        LOGIN,
        403,
        403,
        403,
        (302, "revisions+1"),
        (302, "revisions+1"),
        LOGIN,
    ),
    ("wiki:page_delete", "GET"): (LOGIN, 403, 403, 403, 200, 200, LOGIN),
    ("wiki:page_delete", "POST"): (
        LOGIN,
        403,
        403,
        403,
        (302, "revisions+1 deleted+1"),
        (302, "revisions+1 deleted+1"),
        LOGIN,
    ),
    ("wiki:page_recover", "GET"): (LOGIN, 403, 403, 403, 200, 200, LOGIN),
    ("wiki:page_recover", "POST"): (
        LOGIN,
        403,
        403,
        403,
        (302, "revisions+1 deleted-1"),
        (302, "revisions+1 deleted-1 watches+1"),
        LOGIN,
    ),
    ("wiki:page_cite", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:page_cite", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:page_attribution", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:page_attribution", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:recent_changes", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:recent_changes", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:recent_changes_feed", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:recent_changes_feed", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:contributor", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:contributor", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:deleted_pages", "GET"): (LOGIN, 403, 403, 403, 200, 200, LOGIN),
    ("wiki:deleted_pages", "POST"): (LOGIN, 403, 403, 403, 405, 405, LOGIN),
    ("wiki:visibility_log", "GET"): (LOGIN, 403, 403, 403, 200, 200, LOGIN),
    ("wiki:visibility_log", "POST"): (LOGIN, 403, 403, 403, 405, 405, LOGIN),
    ("wiki:nav_list", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:nav_list", "POST"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:page_graph", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:page_graph", "POST"): (405, 405, 405, 405, 405, 405, 405),
    ("wiki:page_network", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("wiki:page_network", "POST"): (405, 405, 405, 405, 405, 405, 405),
    # django-axes' records of failed logins: administrators read and clear them.
    ("admin/axes/accessattempt/<path:object_id>/", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin/axes/accessattempt/<path:object_id>/", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin/axes/accessfailurelog/<path:object_id>/", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin/axes/accessfailurelog/<path:object_id>/", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin/axes/accesslog/<path:object_id>/", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin/axes/accesslog/<path:object_id>/", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        302,
        302,
        LOGIN,
    ),
    ("admin:axes_accessattempt_add", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        403,
        LOGIN,
    ),
    ("admin:axes_accessattempt_add", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        403,
        LOGIN,
    ),
    ("admin:axes_accessattempt_change", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:axes_accessattempt_change", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        (302, "admin_log+1"),
        LOGIN,
    ),
    ("admin:axes_accessattempt_changelist", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:axes_accessattempt_changelist", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:axes_accessattempt_delete", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:axes_accessattempt_delete", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:axes_accessattempt_history", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:axes_accessattempt_history", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:axes_accessfailurelog_add", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        403,
        LOGIN,
    ),
    ("admin:axes_accessfailurelog_add", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        403,
        LOGIN,
    ),
    ("admin:axes_accessfailurelog_change", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:axes_accessfailurelog_change", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        (302, "admin_log+1"),
        LOGIN,
    ),
    ("admin:axes_accessfailurelog_changelist", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:axes_accessfailurelog_changelist", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:axes_accessfailurelog_delete", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:axes_accessfailurelog_delete", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:axes_accessfailurelog_history", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:axes_accessfailurelog_history", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:axes_accesslog_add", "GET"): (LOGIN, LOGIN, LOGIN, LOGIN, 403, 403, LOGIN),
    ("admin:axes_accesslog_add", "POST"): (LOGIN, LOGIN, LOGIN, LOGIN, 403, 403, LOGIN),
    ("admin:axes_accesslog_change", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:axes_accesslog_change", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        (302, "admin_log+1"),
        LOGIN,
    ),
    ("admin:axes_accesslog_changelist", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:axes_accesslog_changelist", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:axes_accesslog_delete", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:axes_accesslog_delete", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:axes_accesslog_history", "GET"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("admin:axes_accesslog_history", "POST"): (
        LOGIN,
        LOGIN,
        LOGIN,
        LOGIN,
        403,
        200,
        LOGIN,
    ),
    ("moderation:proposal_limits", "GET"): (LOGIN, 403, 403, 403, 405, 405, LOGIN),
    ("moderation:proposal_limits", "POST"): (
        LOGIN,
        403,
        403,
        403,
        (302, "admin_log+1"),
        (302, "admin_log+1"),
        LOGIN,
    ),
}

TABLE_SIZE = len(ROLE_TABLE) * len(ROLES)  # cells: (URL, method) rows x roles
