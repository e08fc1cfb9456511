from contextlib import contextmanager

from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from reversion.admin import VersionAdmin
from reversion.models import Version

from sources.models import Authorship, Citation, Source, Work
from sources.services import source_publish
from wiki import registry
from wiki.admin import PageAdmin, RevisionShownReadOnly, admin_summary, id_or_none
from wiki.models import RevisionMeta


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 0
    autocomplete_fields = ["source"]
    verbose_name_plural = "references (sources cited in the text are added on save)"


registry.register_page_admin_inline(CitationInline)


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    extra = 0
    autocomplete_fields = ["person"]
    verbose_name_plural = "authors (in printed order)"


@admin.register(Work)
class WorkAdmin(PageAdmin):
    list_display = ["title", "work_type", "year", "venue", "first_author"]
    list_filter = ["work_type", "year", "themes", "is_deleted"]
    search_fields = [*PageAdmin.search_fields, "venue", "=doi", "=arxiv_id"]
    autocomplete_fields = ["themes"]
    kind_fields = [
        "work_type",
        "year",
        "month",
        "day",
        "venue",
        "url",
        "doi",
        "arxiv_id",
        "authors_incomplete",
        "themes",
    ]
    inlines = [AuthorshipInline, *PageAdmin.inlines]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("authorships__person")

    @admin.display(description="first author")
    def first_author(self, obj):
        authorships = obj.authorships.all()
        return authorships[0].person if authorships else ""


@admin.register(Source)
class SourceAdmin(RevisionShownReadOnly, VersionAdmin):
    list_display = [
        "key",
        "title",
        "authors",
        "publisher",
        "date_display",
        "source_type",
    ]
    list_filter = ["source_type", "year"]
    search_fields = ["key", "title", "authors", "publisher", "doi", "arxiv_id"]
    autocomplete_fields = ["work"]
    history_latest_first = True

    # Every change goes through the site's write path
    # (sources.services.source_publish): one revision, the site's metadata,
    # citing pages refreshed.  VersionAdmin's own revision is switched off.

    @contextmanager
    def create_revision(self, request):
        yield

    def save_model(self, request, obj, form, change):
        source_publish(
            source=obj,
            user=request.user,
            summary=admin_summary(form, change),
        )

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request, obj):
        raise PermissionDenied(SOURCE_KEPT)

    def delete_queryset(self, request, queryset):
        raise PermissionDenied(SOURCE_KEPT)

    def delete_view(self, request, object_id, extra_context=None):
        """Sources are never deleted in the admin: a source has history (its
        revisions are in recent changes) and pages may cite it, at present or
        in a revision one could revert to."""
        messages.error(request, SOURCE_KEPT)
        opts = self.model._meta
        return redirect(f"admin:{opts.app_label}_{opts.model_name}_changelist")

    def revert_to_revision(self, request, object_id, version_id):
        """A POST on the revert page restores the revision through
        source_publish, recorded as a revert (the page shows it read-only)."""
        source = self.get_object(request, unquote(object_id))
        if source is None:
            raise Http404("No such source.")
        if not self.has_change_permission(request, source):
            raise PermissionDenied
        version = get_object_or_404(
            Version, pk=id_or_none(version_id), object_id=str(source.pk)
        )
        stored = version._object_version.object
        for field in Source._meta.concrete_fields:
            if not field.primary_key:
                setattr(source, field.attname, getattr(stored, field.attname))
        revision = version.revision
        source_publish(
            source=source,
            user=request.user,
            summary=f"Reverted to revision {revision.pk}",
            action=RevisionMeta.Action.REVERT,
        )
        messages.success(request, f"{source} is reverted to revision {revision.pk}.")
        opts = self.model._meta
        return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", source.pk)

    def recover_view(self, request, version_id, extra_context=None):
        raise PermissionDenied(SOURCE_KEPT)


SOURCE_KEPT = (
    "Sources are not deleted: each has a history and may be cited, now or in "
    "an earlier revision of a page. Edit it instead."
)
