"""Telling authors what became of their proposals: on the site and by mail."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from wiki.models import Notification, Proposal
from wiki.text import clean_line

logger = logging.getLogger(__name__)


def notify_decision(*, proposal: Proposal) -> Notification | None:
    """Tell the author what became of their proposal: on the site and by mail."""
    if proposal.reviewer_id == proposal.author_id:
        return None  # a moderator's own edit
    notification = Notification.objects.create(
        recipient=proposal.author,
        proposal=proposal,
        verb=proposal.status,
    )
    if proposal.author.email:
        notification_id = notification.pk
        transaction.on_commit(
            lambda: mail_decision_task.enqueue(notification_id=notification_id)
        )
    return notification


@task
def mail_decision_task(*, notification_id: int) -> bool:
    """Mail the author of a decided proposal, once: whether it was mailed now.

    A task (settings.TASKS), so it may run late or twice: it reads the
    notification, the proposal and the author's address as they are then, and
    claims the notification first, so a second run sends nothing.
    """
    claimed = Notification.objects.filter(
        pk=notification_id, mailed_at__isnull=True
    ).update(mailed_at=timezone.now())
    if not claimed:  # mailed already, or gone with its proposal or author
        return False
    notification = Notification.objects.select_related(
        "proposal__author", "proposal__reviewer"
    ).get(pk=notification_id)
    if not notification.proposal.author.email:
        return False
    if not _mail_decision(notification.proposal):
        # Not sent: let a later run try again.
        Notification.objects.filter(pk=notification_id).update(mailed_at=None)
        return False
    return True


def _mail_decision(proposal: Proposal) -> bool:
    path = reverse("moderation:proposal_detail", kwargs={"pk": proposal.pk})
    resubmit = reverse("moderation:proposal_resubmit", kwargs={"pk": proposal.pk})
    context = {
        "proposal": proposal,
        "url": settings.LINEAGE_SITE_URL + path,
        "resubmit_url": settings.LINEAGE_SITE_URL + resubmit,
    }
    status = proposal.get_status_display().lower()
    # A title stored before titles were one line must not break the header.
    subject = clean_line(f"Your change to {proposal.title} was {status}")
    if proposal.kept_fields:
        labels = ", ".join(str(kept["label"]) for kept in proposal.kept_fields)
        subject += f", except: {labels}"
    try:
        send_mail(
            subject,
            render_to_string("wiki/email/proposal_decided.txt", context),
            settings.DEFAULT_FROM_EMAIL,
            [proposal.author.email],
        )
    except OSError:  # SMTP errors too: the notification on the site stands
        logger.exception(
            "Could not mail %s about proposal %s", proposal.author, proposal.pk
        )
        return False
    return True


def notifications_mark_read(*, user) -> int:
    count = 0
    for notification in Notification.objects.filter(
        recipient=user, read_at__isnull=True
    ):
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        count += 1
    return count
