"""Sources as a record kind: contributors propose new sources and changes to
sources through the site's proposals and review, like pages.

The core's ``Proposal`` knows pages only; a proposal of kind "source" has no
page, and ``SourceProposal`` beside it says which source it changes (or, once
approved, which source it created) and which key it proposes.
"""

from django.urls import reverse
from reversion.models import Version

from sources.models import SOURCE_KIND, Source, SourceProposal
from sources.services import source_latest_revision, source_publish
from sources.snapshots import source_snapshots
from wiki.diff import RevisionDataError, Snapshot, deserialized
from wiki.external import ExternalRef


class SourceRecords:
    """What moderation needs to know of sources (``wiki.registry.RecordKind``)."""

    kind = SOURCE_KIND
    label = "source"
    plural = "Sources"
    model = Source

    def record_of(self, proposal, *, lock: bool = False) -> Source | None:
        source_id = (
            SourceProposal.objects.filter(proposal_id=proposal.pk)
            .values_list("source_id", flat=True)
            .first()
        )
        if source_id is None:
            return None
        queryset = (
            Source.objects.select_for_update(no_key=True) if lock else Source.objects
        )
        return queryset.filter(pk=source_id).first()

    def attach(self, proposal, *, record, proposed) -> None:
        SourceProposal.objects.update_or_create(
            proposal=proposal,
            defaults={
                "source": record if record is not None and record.pk else None,
                "key": proposed.key,
            },
        )

    def latest_revision(self, record):
        return source_latest_revision(record)

    def at_revision(self, record, revision_id: int) -> Source | None:
        version = (
            Version.objects.get_for_object(record, model_db=None)
            .filter(revision_id=revision_id)
            .first()
        )
        if version is None:
            return None
        try:
            return deserialized(version).object
        except RevisionDataError:
            return None

    def snapshot(self, record) -> Snapshot:
        return source_snapshots([record])[0]

    def revision_snapshots(self, record, revision_ids) -> dict[int, Snapshot]:
        versions = Version.objects.get_for_object(record, model_db=None).filter(
            revision_id__in=list(revision_ids)
        )
        readable = {}
        for version in versions:
            try:
                readable[version.revision_id] = deserialized(version).object
            except RevisionDataError:
                continue
        ids = list(readable)
        return dict(zip(ids, source_snapshots([readable[i] for i in ids]), strict=True))

    def external_links(self, record) -> set[ExternalRef]:
        links = (record.url, record.doi_url, record.arxiv_url)
        return {ExternalRef("link", link) for link in links if link}

    def publish(self, *, record, author, approver, summary, minor, proposal, note):
        return source_publish(
            source=record,
            user=author,
            summary=summary,
            approved_by=approver,
            minor=minor,
            proposal=proposal,
            note=note,
        )

    def records_by_id(self, ids) -> dict:
        return Source.objects.in_bulk([int(i) for i in ids])

    def history_url(self, record) -> str:
        return reverse("sources:source_history", kwargs={"key": record.key})

    def amend_url(self, proposal) -> str:
        return reverse("sources:proposal_amend", kwargs={"pk": proposal.pk})
