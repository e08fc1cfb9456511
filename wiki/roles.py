"""The groups behind Lineage's roles, and the demo accounts of ``make run``."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from wiki import registry

MODERATORS = "Moderators"
CONTRIBUTORS = "Contributors"
# Contributors a moderator freed from the limits on proposals (wiki/limits.py).
TRUSTED_CONTRIBUTORS = "Trusted contributors"

# Core models moderators edit in the admin (every change is a revision there
# too); each kind adds its own (wiki.registry.Kind.moderated_models).
#
# The model permissions given here say who reaches a model's admin; what the
# admin may do to history is decided by the admin classes, for every role
# alike: nothing that is history is deleted outright there (pages are deleted
# softly; sources, proposals, links, purge records and accounts with history
# are kept; revisions and the admin's log have no admin pages).  The one hard
# delete is the purge (wiki.purge_page), which no group is given: superusers
# hold it, and every purge is recorded (wiki.models.PurgeRecord).
CORE_MODERATED_MODELS = [
    ("wiki", "page"), ("wiki", "relatedpage"), ("wiki", "pagelink"),
    ("wiki", "pageredirect"),  # to free a renamed page's old address
]  # fmt: skip


def moderated_models() -> list[tuple[str, str]]:
    """Models moderators edit in the admin: the core's and every kind's."""
    return [*CORE_MODERATED_MODELS, *registry.moderated_models()]


# Permissions moderators hold besides those on the models above.
MODERATOR_PERMISSIONS = [
    ("wiki", "revert_page"),
    ("wiki", "publish_page"),  # edits publish at once, without review
    ("wiki", "review_proposal"),  # the review queue: approve, reject, amend
    ("wiki", "hide_revision"),  # revision deletion: hide text, summary, author
]

DEMO_ACCOUNTS = [
    # username, password, group, is_staff, is_superuser
    ("admin", "lineage-admin", None, True, True),
    ("moderator", "lineage-moderator", MODERATORS, True, False),
    ("contributor", "lineage-contributor", CONTRIBUTORS, False, False),
]


def ensure_roles() -> None:
    """Create the groups with their permissions (idempotent)."""
    moderators, _ = Group.objects.get_or_create(name=MODERATORS)
    Group.objects.get_or_create(name=CONTRIBUTORS)
    trusted, _ = Group.objects.get_or_create(name=TRUSTED_CONTRIBUTORS)
    trusted.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="wiki", codename="file_unlimited_proposals"
        )
    )
    permissions = Permission.objects.none()
    for app_label, model in moderated_models():
        permissions |= Permission.objects.filter(
            content_type__app_label=app_label, content_type__model=model
        )
    for app_label, codename in MODERATOR_PERMISSIONS:
        permissions |= Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        )
    moderators.permissions.add(*permissions)


def ensure_demo_accounts() -> list[str]:
    """Create the development accounts that are missing; return their names."""
    ensure_roles()
    user_model = get_user_model()
    created = []
    for username, password, group, is_staff, is_superuser in DEMO_ACCOUNTS:
        if user_model.objects.filter(username=username).exists():
            continue
        user = user_model.objects.create_user(
            username=username,
            password=password,
            email=f"{username}@example.org",
            is_staff=is_staff,
            is_superuser=is_superuser,
        )
        if group:
            user.groups.add(Group.objects.get(name=group))
        created.append(username)
    return created
