"""The daily digest: each subscriber is mailed the day's published changes
to the pages they watch, by a task the worker runs (``manage.py
send_watchlist_digest`` enqueues it; cron runs that once a day)."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from wiki import history, revision_visibility
from wiki.models import Watch, WatchPreferences

logger = logging.getLogger(__name__)

# Changes listed in one mail; past it the mail says how many more.
DIGEST_CHANGES = 100


@task
def send_digests_task(*, day: str) -> int:
    """Mail the digests of ``day`` (ISO date): how many were sent."""
    return send_digests(day=datetime.date.fromisoformat(day))


def send_digests(*, day: datetime.date) -> int:
    """Mail each subscriber with an address the changes of ``day`` to the
    pages they watch, once: a subscriber is claimed for the day before their
    mail goes out, so a second run (or a second worker) sends nothing again.
    A subscriber without changes that day gets no mail."""
    due = Q(digest_day__isnull=True) | Q(digest_day__lt=day)
    subscribers = (
        WatchPreferences.objects.filter(due, daily_digest=True, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    sent = 0
    for preferences in subscribers.iterator(chunk_size=500):
        claimed = WatchPreferences.objects.filter(due, pk=preferences.pk).update(
            digest_day=day
        )
        if not claimed:
            continue
        try:
            sent += _mail_digest(preferences.user, day)
        except OSError:  # SMTP errors too: the next run tries again
            logger.exception("Could not mail %s their watchlist digest", preferences)
            WatchPreferences.objects.filter(pk=preferences.pk, digest_day=day).update(
                digest_day=preferences.digest_day
            )
    return sent


def digest_changes(user, day: datetime.date) -> list[history.Entry]:
    """The published revisions of ``day`` to the pages ``user`` watches,
    oldest first, at most DIGEST_CHANGES + 1 (the last tells there are more)."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    end = start + datetime.timedelta(days=1)
    watched = Watch.objects.filter(user=user).annotate(
        text_id=Cast("page_id", CharField())
    )
    versions = history.page_versions().filter(
        object_id__in=watched.values("text_id"),
        revision__date_created__gte=start,
        revision__date_created__lt=end,
    )
    versions = revision_visibility.listable(versions, user).order_by("revision_id")
    return history.entries(versions[: DIGEST_CHANGES + 1], with_pages=True)


def _mail_digest(user, day: datetime.date) -> bool:
    """Mail ``user`` their digest of ``day``: whether a mail went out
    (none without changes).  Raise OSError if it could not be sent."""
    changes = digest_changes(user, day)
    if not changes:
        return False
    site = settings.LINEAGE_SITE_URL
    lines = [
        _line(entry, site, sees_hidden=revision_visibility.sees_hidden(user))
        for entry in changes[:DIGEST_CHANGES]
    ]
    shown_day = date_format(day, "j F Y")
    count = len(lines)
    context = {
        "user": user,
        "day": shown_day,
        "lines": lines,
        "more": len(changes) > DIGEST_CHANGES,
        "watchlist_url": site + reverse("watchlist:watchlist"),
        "preferences_url": site
        + reverse("wiki:contributor", kwargs={"username": user.get_username()}),
    }
    subject = (
        f"Lineage: {count}{'+' if context['more'] else ''} "
        f"change{'' if count == 1 else 's'} to pages you watch, {shown_day}"
    )
    send_mail(
        subject,
        render_to_string("wiki/email/watchlist_digest.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
    return True


def _line(entry: history.Entry, site: str, *, sees_hidden: bool) -> dict:
    """One change as the mail tells it: nothing hidden from ``user``."""
    page = entry.page
    if page is None:
        url = ""
    elif entry.previous_id and (sees_hidden or not entry.text_hidden):
        url = site + reverse(
            "wiki:page_diff", kwargs={"section": page.section, "slug": page.slug}
        )
        url += f"?from={entry.previous_id}&to={entry.id}"
    else:
        url = site + reverse(
            "wiki:page_history", kwargs={"section": page.section, "slug": page.slug}
        )
    author = entry.revision.user
    return {
        "time": timezone.localtime(entry.revision.date_created).strftime("%H:%M"),
        "title": entry.title,
        "action": "" if entry.is_edit else entry.action_label,
        "author": (
            author.get_username()
            if author and (sees_hidden or not entry.author_hidden)
            else ""
        ),
        "summary": entry.summary if sees_hidden or not entry.summary_hidden else "",
        "url": url,
    }
