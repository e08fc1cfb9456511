"""Proposals and review: how an edit made on the site becomes a revision.

The public entry of the moderation package; its modules, by concern:
``preview`` (a change applied and rolled back), ``flags`` (assessing a
change), ``targets`` (pages and records behind one interface), ``rebase``
(merging an edit onto the latest revision), ``proposals`` (the lifecycle),
``notify`` (notifications and mail), ``review`` (the review page's read
model), ``follow`` (what a decided proposal changed), ``seen`` (what a decision
form showed), ``section_edit``, ``form_flow``,
``submit`` (one service for whatever an edit form submits).
"""

from wiki.diff import DIFF_CONTEXT
from wiki.moderation import rebase
from wiki.moderation.errors import (
    EditConflict,
    EditInvalid,
    ModerationError,
    PageChanged,
    ProposalChanged,
)
from wiki.moderation.flags import Assessment, flag_labels, register
from wiki.moderation.follow import ProposalChanges, proposal_changes
from wiki.moderation.notify import notifications_mark_read, notify_decision
from wiki.moderation.permissions import can_publish, can_review
from wiki.moderation.preview import (
    Applied,
    apply_preview,
    current_data,
    data_at_revision,
    external_links,
)
from wiki.moderation.proposals import (
    page_edit_publish,
    proposal_amend,
    proposal_amend_approve,
    proposal_approve,
    proposal_reject,
    proposal_submit,
    proposal_withdraw,
)
from wiki.moderation.rebase import (
    Prepared,
    edit_prepare,
    kept_from_page,
    proposal_as_submitted,
    proposal_merge,
)
from wiki.moderation.review import (
    ConflictView,
    Review,
    changes_since_seen,
    changes_since_version,
    proposal_review,
)
from wiki.moderation.section_edit import (
    SectionPrepared,
    body_at_revision,
    section_edit_prepare,
)
from wiki.moderation.seen import Seen, seen_now
from wiki.moderation.submit import (
    EditOutcome,
    Result,
    edit_submit,
    shown_after_save,
    submitted_before,
)
from wiki.moderation.targets import PageTarget, RecordTarget, target_for

__all__ = [
    "DIFF_CONTEXT",
    "Applied",
    "EditOutcome",
    "Result",
    "edit_submit",
    "shown_after_save",
    "submitted_before",
    "Assessment",
    "ConflictView",
    "EditConflict",
    "EditInvalid",
    "ModerationError",
    "PageChanged",
    "PageTarget",
    "Prepared",
    "ProposalChanged",
    "ProposalChanges",
    "RecordTarget",
    "Review",
    "SectionPrepared",
    "Seen",
    "apply_preview",
    "body_at_revision",
    "can_publish",
    "can_review",
    "changes_since_seen",
    "changes_since_version",
    "current_data",
    "data_at_revision",
    "edit_prepare",
    "external_links",
    "flag_labels",
    "kept_from_page",
    "notifications_mark_read",
    "notify_decision",
    "page_edit_publish",
    "proposal_amend",
    "proposal_amend_approve",
    "proposal_approve",
    "proposal_as_submitted",
    "proposal_changes",
    "proposal_merge",
    "proposal_reject",
    "proposal_review",
    "proposal_submit",
    "proposal_withdraw",
    "rebase",
    "register",
    "section_edit_prepare",
    "seen_now",
    "target_for",
]
