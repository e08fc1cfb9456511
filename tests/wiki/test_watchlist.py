"""Watchlists: the watch button, pages watched for their editors, the
watchlist with the filters of recent changes, notifications of changes to
watched pages, and the daily digest by mail."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from people.models import Person
from tests.factories import PersonFactory, UserFactory
from tests.wiki.moderation_helpers import edit, edit_url, submit
from wiki import moderation
from wiki.history import page_history
from wiki.models import Notification, Watch, WatchPreferences
from wiki.roles import CONTRIBUTORS, MODERATORS
from wiki.services import page_publish
from wiki.watchlist import services
from wiki.watchlist.digest import send_digests

pytestmark = pytest.mark.django_db

WATCHLIST = reverse("watchlist:watchlist")
TIME = re.compile(r"^\d+ \w+ \d{4}, \d\d:\d\d ")


def watch_url(page) -> str:
    return reverse(
        "watchlist:page_watch", kwargs={"section": page.section, "slug": page.slug}
    )


def text(response) -> str:
    """The response's visible text, one space between words."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def republish(page, by, *, summary="Meanwhile", minor=False, **fields):
    fresh = Person.objects.get(pk=page.pk)
    for name, value in fields.items():
        setattr(fresh, name, value)
    return page_publish(page=fresh, user=by, summary=summary, minor=minor)


def member(name: str, group: str):
    user = UserFactory(username=name)
    user.groups.add(Group.objects.get(name=group))
    return user


def watchers(page) -> list[str]:
    return sorted(
        Watch.objects.filter(page=page).values_list("user__username", flat=True)
    )


def rows(html: str, section_id: str) -> list[str]:
    """The text of each list item of the section headed ``section_id``."""
    section = html.split(f'id="{section_id}"', 1)[1].split("</section>", 1)[0]
    items = re.findall(r"<li\b.*?</li>", section, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


# -- the watch button ----------------------------------------------------------


def test_watch_button_watches_and_unwatches_the_page(client, contributor, person):
    client.force_login(contributor)
    page = client.get(person.get_absolute_url())
    assert "Watch this page" in text(page)
    assert "Watching" not in text(page)

    response = client.post(
        watch_url(person), {"action": "watch", "next": person.get_absolute_url()}
    )
    assert response.status_code == 302
    assert response["Location"] == person.get_absolute_url()
    shown = text(client.get(person.get_absolute_url()))
    assert "You are watching Ada Lovelace: its changes show on your watchlist." in shown
    assert "Watching Unwatch" in shown
    assert "Watch this page" not in shown
    assert list(
        Watch.objects.filter(user=contributor).values_list("page__title", flat=True)
    ) == ["Ada Lovelace"]

    # A stale "Watch" button sent again does what it says: still one watch.
    client.post(watch_url(person), {"action": "watch"})
    assert Watch.objects.filter(user=contributor).count() == 1

    client.post(watch_url(person), {"action": "unwatch"})
    shown = text(client.get(person.get_absolute_url()))
    assert "You no longer watch Ada Lovelace." in shown
    assert "Watch this page" in shown
    assert not Watch.objects.filter(user=contributor).exists()


def test_readers_get_no_watch_button_and_must_log_in_to_watch(client, person):
    assert "Watch this page" not in text(client.get(person.get_absolute_url()))
    response = client.post(watch_url(person), {"action": "watch"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert watchers(person) == ["first-author"]  # who made it


def test_watch_refuses_a_forged_action_and_a_get(client, contributor, person):
    client.force_login(contributor)
    response = client.post(watch_url(person), {"action": "follow"})
    assert response.status_code == 400
    assert "This form was not one the site sent: nothing changed." in text(response)
    assert client.get(watch_url(person)).status_code == 405
    missing = reverse(
        "watchlist:page_watch", kwargs={"section": "people", "slug": "nobody"}
    )
    assert client.post(missing, {"action": "watch"}).status_code == 404
    assert watchers(person) == ["first-author"]  # who made it


def test_watch_goes_back_to_a_page_on_this_site_only(client, contributor, person):
    client.force_login(contributor)
    response = client.post(
        watch_url(person), {"action": "watch", "next": "https://evil.example/"}
    )
    assert response["Location"] == person.get_absolute_url()


# -- watched for their editors -------------------------------------------------


def test_editing_a_page_watches_it(client, moderator, person):
    client.force_login(moderator)
    response = client.post(
        edit_url(person), edit(person, summary="Tidy", body="Fresh text.")
    )
    assert response.status_code == 302
    assert Watch.objects.filter(user=moderator, page=person).exists()


def test_proposing_a_change_watches_the_page(contributor, person):
    submit(person, contributor, summary="Add a date")
    assert Watch.objects.filter(user=contributor, page=person).exists()


def test_approving_watches_for_the_author_not_the_moderator(
    contributor, moderator, person
):
    WatchPreferences.objects.create(user=contributor, watch_edits=False)
    proposal = submit(person, contributor, summary="Add a date")
    moderation.proposal_approve(
        proposal=proposal, by=moderator, seen=moderation.seen_now(proposal)
    )
    assert watchers(person) == ["first-author"]  # who made it


def test_editors_who_turned_it_off_do_not_watch(client, contributor, person):
    client.force_login(contributor)
    response = client.post(
        reverse("watchlist:preferences"),
        {"daily_digest": "on", "next": WATCHLIST},  # watch_edits left unticked
    )
    assert response.status_code == 302
    assert response["Location"] == WATCHLIST
    preferences = WatchPreferences.objects.get(user=contributor)
    assert (preferences.watch_edits, preferences.daily_digest) == (False, True)

    submit(person, contributor, summary="Add a date")
    republish(person, contributor, summary="Fix a typo")
    assert watchers(person) == ["first-author"]  # who made it


def test_preferences_show_on_your_own_contributor_page_only(
    client, contributor, moderator
):
    own = reverse("wiki:contributor", kwargs={"username": "carol"})
    client.force_login(contributor)
    shown = text(client.get(own))
    assert "Watch the pages I edit or propose changes to" in shown
    assert "Mail me a daily digest of changes to my watched pages" in shown
    client.force_login(moderator)
    assert "Mail me a daily digest" not in text(client.get(own))


# -- the watchlist -------------------------------------------------------------


@pytest.fixture
def watcher(roles, person):
    """Dan, a contributor who watches Ada Lovelace (and nothing else)."""
    user = member("dan", CONTRIBUTORS)
    services.page_watch(user=user, page=person)
    return user


def test_watchlist_lists_a_publish_on_a_watched_page(client, watcher, person):
    editor = member("eve", MODERATORS)
    other = PersonFactory(title="Charles Babbage", slug="charles-babbage")
    page_publish(page=other, user=editor, summary="Not watched")
    republish(person, editor, summary="Add her birth year")

    client.force_login(watcher)
    response = client.get(WATCHLIST)
    assert response.status_code == 200
    html = response.content.decode()
    listed = rows(html, "watchlist-changes-h")
    assert len(listed) == 2
    assert [TIME.sub("", row) for row in listed] == [
        "( diff | hist ) Ada Lovelace Person (0) · eve “Add her birth year”",
        "( new | hist ) Ada Lovelace Person (+125) · first-author “Create”",
    ]
    assert "Charles Babbage" not in html
    assert rows(html, "watchlist-proposals-h") == []
    assert "No proposal is waiting on the pages you watch." in text(response)


def test_a_deleted_watched_page_leaves_the_watchlist_but_for_those_who_may_see_it(
    client, watcher, person
):
    from wiki.history import page_delete

    editor = member("eve", MODERATORS)
    services.page_watch(user=editor, page=person)
    page_delete(page=person, user=editor, reason="Copyright violation")

    client.force_login(watcher)
    assert rows(client.get(WATCHLIST).content.decode(), "watchlist-changes-h") == []
    client.force_login(editor)  # a moderator reads deleted pages' history
    listed = rows(client.get(WATCHLIST).content.decode(), "watchlist-changes-h")
    assert [TIME.sub("", row) for row in listed] == [
        "( diff | hist ) Ada Lovelace Person page deleted Delete (0) · eve "
        "“Copyright violation”",
        "( new | hist ) Ada Lovelace Person page deleted (+125) · first-author "
        "“Create”",
    ]


def test_watchlist_shows_only_what_the_viewer_may_see_of_a_proposal(
    client, watcher, contributor, person
):
    submit(person, contributor, summary="Secret plan")
    own = submit(person, watcher, summary="My own idea")

    client.force_login(watcher)
    listed = rows(client.get(WATCHLIST).content.decode(), "watchlist-proposals-h")
    assert [TIME.sub("", row) for row in listed] == [
        "Ada Lovelace Person · yours “My own idea” ( see it )",
        "Ada Lovelace Person · a change awaiting review",
    ]
    html = client.get(WATCHLIST).content.decode()
    assert "Secret plan" not in html
    assert "carol" not in html
    assert own.get_absolute_url() in html

    moderator = member("mia", MODERATORS)
    services.page_watch(user=moderator, page=person)
    client.force_login(moderator)
    listed = rows(client.get(WATCHLIST).content.decode(), "watchlist-proposals-h")
    assert [TIME.sub("", row) for row in listed] == [
        "Ada Lovelace Person · by dan “My own idea” ( review it )",
        "Ada Lovelace Person · by carol “Secret plan” ( review it )",
    ]


def test_watchlist_filters_as_recent_changes_do(client, watcher, contributor, person):
    editor = member("eve", MODERATORS)
    republish(person, editor, summary="Add her birth year")
    republish(person, editor, summary="Comma", minor=True)
    submit(person, contributor, summary="Secret plan")
    submit(person, watcher, summary="My own idea")
    client.force_login(watcher)

    def listed(**query):
        html = client.get(WATCHLIST, query).content.decode()
        return (
            [
                row.rsplit("·", 1)[1].strip()
                for row in rows(html, "watchlist-changes-h")
            ],
            [
                row.split("·", 1)[1].strip()
                for row in rows(html, "watchlist-proposals-h")
            ],
        )

    assert listed(user="eve") == (["eve “Comma”", "eve “Add her birth year”"], [])
    assert listed(hide_minor="on")[0] == [
        "eve “Add her birth year”",
        "first-author “Create”",
    ]
    assert listed(q="birth") == (["eve “Add her birth year”"], [])
    # A filter by author never finds what the viewer may not see was theirs.
    assert listed(user="carol") == ([], [])
    assert listed(user="dan") == ([], ["yours “My own idea” ( see it )"])
    assert listed(kind="theme") == ([], [])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert listed(since=tomorrow.isoformat()) == ([], [])
    response = client.get(WATCHLIST, {"since": "2026-02-02", "until": "2026-01-01"})
    assert response.status_code == 200
    assert "The start date is after the end date." in text(response)


def test_watchlist_is_for_signed_in_users(client):
    response = client.get(WATCHLIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_watched_pages_lists_them_with_an_unwatch_button(client, watcher, person):
    client.force_login(watcher)
    url = reverse("watchlist:watched_pages")
    assert "Ada Lovelace Person Unwatch" in text(client.get(url))
    response = client.post(watch_url(person), {"action": "unwatch", "next": url})
    assert response["Location"] == url
    assert "You watch no page yet." in text(client.get(url))


def _watch_many(user, count: int) -> None:
    pages = [
        PersonFactory(title=f"Person {n}", slug=f"person-{n}") for n in range(count)
    ]
    author = UserFactory(username="bulk-author")
    for page in pages:
        page_publish(page=page, user=author, summary="Create")
    Watch.objects.bulk_create([Watch(user=user, page=page) for page in pages])


def test_watchlist_queries_do_not_grow_with_the_watched_pages(
    client, watcher, django_assert_num_queries
):
    client.force_login(watcher)
    submit(Person.objects.get(slug="ada-lovelace"), watcher, summary="Mine")
    # Session, user, the watched count, the page of revision ids, those
    # revisions, their pages, the proposals, permissions (2), the header's
    # unread count, the watch preferences.
    with django_assert_num_queries(11):
        assert client.get(WATCHLIST).status_code == 200
    _watch_many(watcher, 60)
    with django_assert_num_queries(11):
        response = client.get(WATCHLIST)
    assert len(rows(response.content.decode(), "watchlist-changes-h")) == 50
    assert "Next" in text(response)


# -- notifications -------------------------------------------------------------


def test_a_publish_notifies_each_watcher_once_but_not_its_editor(
    client, watcher, person
):
    editor = member("eve", MODERATORS)
    services.page_watch(user=editor, page=person)
    revision = republish(person, editor, summary="Add her birth year")

    assert sorted(
        Notification.objects.values_list(
            "recipient__username", "verb", "page__title", "revision", "proposal"
        )
    ) == [
        ("dan", "changed", "Ada Lovelace", revision.pk, None),
        ("first-author", "changed", "Ada Lovelace", revision.pk, None),
    ]

    client.force_login(watcher)
    shown = text(client.get(reverse("moderation:notifications")))
    assert "Notifications 1" in shown
    assert "Ada Lovelace , which you watch, was changed ( history )" in shown


def test_a_proposal_notifies_watchers_once_showing_reviewers_more(
    client, watcher, contributor, person
):
    moderator = member("mia", MODERATORS)
    services.page_watch(user=moderator, page=person)
    proposal = submit(person, contributor, summary="Secret plan")
    moderation.proposal_amend(
        proposal=proposal,
        data=proposal.data,
        base_revision=proposal.base_revision,
        base_data=proposal.base_data,
        summary="Secret plan, amended",
        minor=False,
        by=contributor,
        seen_version=proposal.version,
    )
    assert sorted(
        Notification.objects.values_list("recipient__username", "verb", "proposal")
    ) == [
        ("dan", "proposed", proposal.pk),
        ("first-author", "proposed", proposal.pk),
        ("mia", "proposed", proposal.pk),
    ]

    client.force_login(watcher)
    shown = text(client.get(reverse("moderation:notifications")))
    assert (
        "A change to Ada Lovelace , which you watch, was proposed ; it awaits review"
        in shown
    )
    assert "carol" not in shown
    client.force_login(moderator)
    shown = text(client.get(reverse("moderation:notifications")))
    assert (
        "A change to Ada Lovelace , which you watch, was proposed by carol "
        "( review it )" in shown
    )


def test_notifying_many_watchers_is_one_statement(
    watcher, person, django_assert_num_queries
):
    users = UserFactory.create_batch(300)
    Watch.objects.bulk_create([Watch(user=user, page=person) for user in users])
    editor = member("eve", MODERATORS)
    revision = republish(person, editor)
    Notification.objects.all().delete()
    with django_assert_num_queries(1):
        services._notify_watchers(
            page_id=person.pk,
            verb=Notification.Verb.CHANGED,
            revision_id=revision.pk,
            proposal_id=None,
            except_ids={editor.pk},
        )
    # Dan, the page's first author and the three hundred; not its editor.
    assert Notification.objects.filter(revision=revision).count() == 302


def test_a_publish_costs_the_same_queries_for_two_watchers_or_three_hundred(
    watcher, person
):
    editor = member("eve", MODERATORS)
    republish(person, editor, summary="Warm up")
    with CaptureQueriesContext(connection) as one:
        republish(person, editor, summary="One watcher")
    users = UserFactory.create_batch(300)
    Watch.objects.bulk_create([Watch(user=user, page=person) for user in users])
    with CaptureQueriesContext(connection) as many:
        republish(person, editor, summary="Three hundred")
    assert len(many.captured_queries) == len(one.captured_queries)
    assert Notification.objects.filter(verb="changed").count() == 2 + 2 + 302


# -- the daily digest ----------------------------------------------------------


def test_digest_mails_the_days_changes_once(watcher, person):
    WatchPreferences.objects.create(user=watcher, daily_digest=True)
    editor = member("eve", MODERATORS)
    revision = republish(person, editor, summary="Add her birth year")
    mail.outbox.clear()
    day = timezone.localdate()

    call_command("send_watchlist_digest", "--day", day.isoformat(), stdout=None)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dan@example.org"]
    shown_day = f"{day.day} {day:%B %Y}"
    assert message.subject == (f"Lineage: 2 changes to pages you watch, {shown_day}")
    site = settings.LINEAGE_SITE_URL
    create, edit_ = page_history(person).order_by("revision_id")
    assert edit_.revision_id == revision.pk
    assert message.body == (
        f"Hello dan,\n\n"
        f"changes published on {shown_day} to the pages you watch:\n\n"
        f"- {timezone.localtime(create.revision.date_created):%H:%M} Ada Lovelace "
        f'by first-author: "Create"\n'
        f"  {site}/people/ada-lovelace/history/\n\n"
        f"- {timezone.localtime(revision.date_created):%H:%M} Ada Lovelace by eve: "
        f'"Add her birth year"\n'
        f"  {site}/people/ada-lovelace/diff/?from={create.revision_id}"
        f"&to={revision.pk}\n\n"
        f"Your watchlist: {site}/watchlist/\n"
        f"To stop these mails, untick the daily digest at {site}/users/dan/\n\n"
        f"-- Lineage\n"
    )

    # Run again (cron twice, or a task run twice): nothing more.
    assert send_digests(day=day) == 0
    assert len(mail.outbox) == 1


def test_digest_goes_to_subscribers_with_changes_only(watcher, person):
    unsubscribed = member("ulf", CONTRIBUTORS)
    services.page_watch(user=unsubscribed, page=person)
    quiet = member("quinn", CONTRIBUTORS)
    WatchPreferences.objects.create(user=quiet, daily_digest=True)
    WatchPreferences.objects.create(user=watcher, daily_digest=True)
    mail.outbox.clear()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert send_digests(day=yesterday) == 0
    assert send_digests(day=timezone.localdate()) == 1
    assert [message.to for message in mail.outbox] == [["dan@example.org"]]


def test_digest_command_refuses_a_malformed_day():
    with pytest.raises(CommandError, match="--day must be a date written YYYY-MM-DD"):
        call_command("send_watchlist_digest", "--day", "yesterday")


def test_a_change_lists_links_are_those_reverse_gives(db):
    """Filled in from a pattern reversed once (wiki.history.page_url), even
    for a slug holding the stand-ins' own text."""
    from django.urls import reverse

    from tests.factories import PersonFactory
    from wiki.history import page_url

    for slug in ("ada", "sl4g-987654321", "x-987654321-sl4g"):
        page = PersonFactory(title=f"T {slug}", slug=slug)
        names = {"section": "people", "slug": slug}
        assert page_url("wiki:page_history", page) == reverse(
            "wiki:page_history", kwargs=names
        )
        assert page_url("wiki:revision_detail", page, 987654321) == reverse(
            "wiki:revision_detail", kwargs={**names, "revision_id": 987654321}
        )
        assert page_url("wiki:revision_detail", page, 12) == reverse(
            "wiki:revision_detail", kwargs={**names, "revision_id": 12}
        )
