"""What a decision form showed, so a decision on something that has moved
on since is refused rather than made blind."""

from dataclasses import dataclass

from wiki.models import Proposal
from wiki.moderation.errors import PageChanged, ProposalChanged
from wiki.moderation.targets import target_for


@dataclass(frozen=True)
class Seen:
    """What a decision form showed: the proposal's version and the page's
    latest revision (None for a new page).  A decision is refused when
    either has moved on."""

    version: int
    revision_id: int | None


def seen_now(proposal: Proposal) -> Seen:
    """The proposal and its page (or record) as a decision form shows them now."""
    target = target_for(proposal.kind)
    revision = target.latest_revision(target.record_of(proposal))
    return Seen(version=proposal.version, revision_id=revision.pk if revision else None)


def require_seen(proposal: Proposal, target, record, seen: Seen) -> None:
    """Raise if ``proposal`` or ``record`` moved on from what the form showed."""
    if proposal.version != seen.version:
        raise ProposalChanged(proposal, seen_version=seen.version)
    if record is None:
        return
    revision = target.latest_revision(record)
    if (revision.pk if revision else None) != seen.revision_id:
        raise PageChanged(
            f"The {target.label} changed while you were reviewing; look again.",
            seen_revision_id=seen.revision_id,
        )
