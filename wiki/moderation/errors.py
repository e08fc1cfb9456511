"""What a moderation step raises when it cannot happen."""

from wiki.editing import Editor, Merge
from wiki.models import Proposal


class ModerationError(Exception):
    """A moderation step that cannot happen; the message says why, for people.
    ``status`` is the HTTP status of a form refused for it."""

    status = 409


class ProposalLimitReached(ModerationError):
    """The contributor has as many proposals waiting, or filed this hour, as
    the abuse limits allow (wiki/limits.py)."""

    status = 429


class EditInvalid(ModerationError):
    """The form data does not validate (any more) against the page."""

    def __init__(self, editor: Editor, message: str = ""):
        self.editor = editor
        super().__init__(
            message or "The change no longer fits the page; see the marked fields."
        )


class EditConflict(ModerationError):
    """The page changed since the edit began, in fields the edit also changed."""

    def __init__(self, merged: Merge, message: str = ""):
        self.merge = merged
        super().__init__(
            message
            or "The page changed since this edit began, in fields it also changes."
        )


class PageChanged(ModerationError):
    """The page changed after the form (or the review page) was shown."""

    def __init__(self, message: str, *, seen_revision_id: int | None = None):
        self.seen_revision_id = seen_revision_id
        super().__init__(message)


class ProposalChanged(ModerationError):
    """The proposal was amended after the decision form was shown."""

    def __init__(self, proposal: Proposal, *, seen_version: int):
        self.proposal = proposal
        self.seen_version = seen_version
        super().__init__(
            f"The proposal was amended after you opened it: you saw version "
            f"{seen_version}, it is now version {proposal.version}. Review what "
            "changed, then decide again."
        )
