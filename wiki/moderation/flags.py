"""Assessing a change: what it does to a page or record, and the review
flags (registered in ``wiki.registry``) the queue shows for it."""

from dataclasses import dataclass

from wiki import registry
from wiki.diff import FieldChange, Snapshot, diff_snapshots
from wiki.external import ExternalRef


@dataclass
class Assessment:
    """What a change does to a page: what flags and the queue show."""

    kind: str
    before: Snapshot
    after: Snapshot
    changes: list[FieldChange]
    links_before: set[ExternalRef]
    links_after: set[ExternalRef]
    size_delta: int
    flags: list[str]


def assessment(
    *,
    kind: str,
    before: Snapshot,
    after: Snapshot,
    links_before: set[ExternalRef],
    links_after: set[ExternalRef],
    size_delta: int,
) -> Assessment:
    """The change from ``before`` to ``after``, with the flags it raises."""
    assessed = Assessment(
        kind=kind,
        before=before,
        after=after,
        changes=diff_snapshots(before, after),
        links_before=links_before,
        links_after=links_after,
        size_delta=size_delta,
        flags=[],
    )
    assessed.flags = [
        flag.name for flag in registry.review_flags() if flag.test(assessed)
    ]
    return assessed


def _external_added(kind: str):
    def test(assessment: Assessment) -> bool:
        added = assessment.links_after - assessment.links_before
        return any(ref.kind == kind for ref in added)

    return test


def register() -> None:
    registry.register_review_flag(
        registry.ReviewFlag(
            "external-links-added", "external links added", _external_added("link")
        )
    )
    registry.register_review_flag(
        registry.ReviewFlag(
            "external-images-added",
            "external images added",
            _external_added("image"),
        )
    )


def flag_labels() -> dict[str, str]:
    return {flag.name: flag.label for flag in registry.review_flags()}
