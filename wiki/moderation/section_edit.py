"""Editing one section of a page's body: made into an edit of the whole
page as it is now."""

from dataclasses import dataclass, field

from reversion.models import Version

from wiki import sections
from wiki.diff import RevisionDataError, deserialized
from wiki.editing import FormData, Merge
from wiki.models import Page
from wiki.moderation.rebase import Prepared, snapshot
from wiki.moderation.targets import target_for


@dataclass
class SectionPrepared(Prepared):
    """A section edit made into an edit of the whole page."""

    mine: FormData = field(default_factory=dict)  # the page as the editor meant it
    body_changed: bool = True


def body_at_revision(page: Page, revision_id: int | None) -> str | None:
    """The body ``page`` had at ``revision_id``, if that is one of its revisions."""
    if revision_id is None:
        return None
    version = (
        Version.objects.get_for_object_reference(Page, page.pk, model_db=None)
        .filter(revision_id=revision_id)
        .first()
    )
    if version is None:
        return None
    try:
        return deserialized(version).object.body
    except RevisionDataError:
        return None


def section_edit_prepare(
    *, page: Page, number: int, text: str, base_revision_id: int | None
) -> SectionPrepared:
    """Make an edit of section ``number`` of the body, begun at
    ``base_revision_id``, into form data for the whole page as it is now.

    If the page changed meanwhile, the section is merged back into the body
    as the page has it now (``sections.merge_section``); if that section
    itself changed, the body is a conflict, as in a full edit.  Raise
    ``sections.SectionMissing`` if the body had no such section.
    """
    live, current_revision, editor, now = snapshot(
        target_for(page.kind), page.kind, page
    )
    if current_revision is not None and base_revision_id == current_revision.pk:
        base_body = live.body
    else:
        base_body = body_at_revision(live, base_revision_id)
    body = next(group for group in editor.groups() if group.name == "body")
    merged_body = None
    if base_body is not None:
        mine_body = sections.replace_section(base_body, number, text)
        merged_body = sections.merge_section(
            base=base_body, current=live.body, number=number, new=text
        )
    else:
        mine_body = text
    mine = {**now, "body": [mine_body]}
    changed_meanwhile = [body] if base_body is None or base_body != live.body else []
    if merged_body is None:
        return SectionPrepared(
            data=now,
            base_revision=current_revision,
            base_data=now,
            merge=Merge(
                data=now,
                changed=[body],
                changed_meanwhile=changed_meanwhile,
                conflicts=[body],
            ),
            mine=mine,
        )
    data = {**now, "body": [merged_body]}
    return SectionPrepared(
        data=data,
        base_revision=current_revision,
        base_data=now,
        merge=Merge(data=data, changed=[body], changed_meanwhile=changed_meanwhile),
        mine=mine,
        body_changed=editor.group_value(body, data) != editor.group_value(body, now),
    )
