from contextlib import contextmanager

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from markdownx.models import MarkdownxField
from reversion.admin import VersionAdmin
from reversion.models import Revision, Version

from wiki import history, registry
from wiki.accounts import DistinctUsernameMixin
from wiki.diff import diff_revisions
from wiki.forms import MarkdownFormField, PageForm
from wiki.ids import parse_id
from wiki.models import (
    Page,
    PageLink,
    PageRedirect,
    Proposal,
    PurgeRecord,
    RelatedPage,
    RevisionMeta,
    Theme,
)
from wiki.services import PurgeRefused, page_publish, page_purge
from wiki.text import clean_block
from wiki.widgets import AdminMarkdownWidget


class RelatedPageInline(admin.TabularInline):
    model = RelatedPage
    fk_name = "page"
    extra = 0
    autocomplete_fields = ["target"]
    verbose_name = "related page"
    verbose_name_plural = "related pages (in this order)"


class PageAdminForm(forms.ModelForm):
    """The admin's page form: the site's slug rules, and every constraint of
    the page's kind checked as a form error rather than left to the database."""

    clean_slug = PageForm.clean_slug

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.kind:
            model = type(self.instance)
            self.instance.kind = next(
                t.kind for t in registry.page_types() if t.model is model
            )

    def _get_validation_exclusions(self):
        # The kind is no form field, but it is known: constraints per kind
        # (one page per slug) apply.
        exclude = super()._get_validation_exclusions()
        exclude.discard("kind")
        return exclude


class RevisionShownReadOnly:
    """On VersionAdmin's revert page the revision is shown read-only, inlines
    too: saving there restores the revision exactly (edits typed in the form
    would not be taken), recorded as a revert."""

    def revision_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            return self.revert_to_revision(request, object_id, version_id)
        request.lineage_revision_view = True
        revision_id = (
            Version.objects.filter(pk=id_or_none(version_id))
            .values_list("revision_id", flat=True)
            .first()
        )
        return super().revision_view(
            request,
            object_id,
            version_id,
            {"revision_id": revision_id, **(extra_context or {})},
        )

    def get_readonly_fields(self, request, obj=None):
        if getattr(request, "lineage_revision_view", False):
            request.lineage_revision_view = False  # get_fieldsets may ask again
            try:
                return flatten_fieldsets(self.get_fieldsets(request, obj))
            finally:
                request.lineage_revision_view = True
        return super().get_readonly_fields(request, obj)

    def get_prepopulated_fields(self, request, obj=None):
        if getattr(request, "lineage_revision_view", False):
            return {}
        return super().get_prepopulated_fields(request, obj)

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        if not getattr(request, "lineage_revision_view", False):
            return super().get_inline_formsets(request, formsets, inline_instances, obj)
        # Inlines are editable only where the parent is: here they are shown.
        request.lineage_inlines_shown = True
        try:
            return super().get_inline_formsets(request, formsets, inline_instances, obj)
        finally:
            request.lineage_inlines_shown = False

    def has_change_permission(self, request, obj=None):
        if getattr(request, "lineage_inlines_shown", False):
            return False
        return super().has_change_permission(request, obj)


class PageAdmin(RevisionShownReadOnly, VersionAdmin):
    """The admin editor of every page kind: each save is one revision."""

    form = PageAdminForm
    formfield_overrides = {
        MarkdownxField: {
            "widget": AdminMarkdownWidget,
            "form_class": MarkdownFormField,
        }
    }
    list_display = ["title", "slug", "updated_at"]
    list_filter = ["is_deleted", "updated_at"]
    search_fields = ["title", "short_title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at"]
    inlines = [RelatedPageInline]
    history_latest_first = True
    page_fieldsets = [
        (None, {"fields": ["title", "short_title", "slug", "summary"]}),
        ("Text", {"fields": ["body", "reading_title", "reading"]}),
    ]
    kind_fields: list[str] = []

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(self.page_fieldsets)
        if self.kind_fields:
            fieldsets.insert(
                1,
                (
                    self.model._meta.verbose_name.capitalize(),
                    {"fields": self.kind_fields},
                ),
            )
        return [*fieldsets, ("Dates", {"fields": ["created_at", "updated_at"]})]

    def get_urls(self):
        opts = self.model._meta
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name=f"{opts.app_label}_{opts.model_name}_compare",
        )
        purge = path(
            "<path:object_id>/purge/",
            self.admin_site.admin_view(self.purge_view),
            name=f"{opts.app_label}_{opts.model_name}_purge",
        )
        return [compare, purge, *super().get_urls()]

    def purge_view(self, request, object_id):
        """Remove a deleted page and its history for good (wiki.purge_page)."""
        if not request.user.has_perm("wiki.purge_page"):
            raise PermissionDenied
        page = self.get_object(request, unquote(object_id))
        if page is None:
            raise Http404("No such page.")
        error = ""
        if request.method == "POST":
            try:
                page_purge(
                    page=page,
                    user=request.user,
                    reason=clean_block(request.POST.get("reason", "")),
                )
            except PurgeRefused as exc:
                error = str(exc)
            else:
                messages.success(request, f"{page} and its history are purged.")
                return redirect(self._url("changelist"))
        elif not page.is_deleted:
            return self._confirm(
                request,
                page,
                title=f"Purge {page}",
                error=f"{page} is not deleted; delete it first.",
                status=400,
            )
        revisions = Version.objects.get_for_object(page).count()
        return self._confirm(
            request,
            page,
            title=f"Purge {page}",
            text=f"This removes the page and its {revisions} revisions for good; "
            "it cannot be recovered. What was removed is recorded.",
            button="Purge for good",
            reason_label="Reason for purging",
            error=error,
            status=400 if error else 200,
        )

    def compare_view(self, request, object_id):
        """Compare any two revisions of a page, field by field."""
        page = self.get_object(request, unquote(object_id))
        if page is None or not self.has_view_or_change_permission(request, page):
            raise PermissionDenied
        versions = Version.objects.get_for_object(page).select_related("revision__user")
        try:
            ids = [parse_id(request.GET["from"]), parse_id(request.GET["to"])]
        except (KeyError, ValueError):
            return HttpResponseBadRequest("Choose two revisions to compare.")
        revisions = {
            v.revision_id: v.revision for v in versions.filter(revision_id__in=ids)
        }
        if len(revisions) != len(set(ids)):
            raise Http404("Not a revision of this page.")
        if ids[0] == ids[1]:
            return HttpResponseBadRequest("Choose two different revisions.")
        old, new = (revisions[i] for i in sorted(ids))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": page,
            "title": f"Compare revisions of {page}",
            "old": old,
            "new": new,
            "changes": diff_revisions(old, new, page),
        }
        return TemplateResponse(request, "admin/wiki/compare.html", context)

    def get_inlines(self, request, obj):
        return [*self.inlines, *registry.page_admin_inlines()]

    # Every change goes through the site's services (wiki.services.page_publish,
    # wiki.history): one revision each, with the site's metadata and upkeep.
    # VersionAdmin's own revision around its views is switched off, so the
    # service's revision is the only one.

    change_form_template = "admin/wiki/page_change_form.html"

    @contextmanager
    def create_revision(self, request):
        yield

    def change_view(self, request, object_id, form_url="", extra_context=None):
        page = self.get_object(request, unquote(object_id))
        extra = {}
        if page is not None and page.is_deleted:
            extra["page_deleted"] = True
            if request.user.has_perm("wiki.purge_page"):
                extra["purge_url"] = self._url("purge", page)
        return super().change_view(
            request, object_id, form_url, {**extra, **(extra_context or {})}
        )

    def has_change_permission(self, request, obj=None):
        # A deleted page is read-only, as on the site: recover it first.
        if obj is not None and obj.is_deleted:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_deleted:
            return False  # already deleted; purged, if at all, by "Purge"
        return super().has_delete_permission(request, obj)

    def get_view_on_site_url(self, obj=None):
        if obj is not None and obj.is_deleted:
            return None  # the site answers 410 Gone
        return super().get_view_on_site_url(obj)

    def save_model(self, request, obj, form, change):
        pass  # saved in save_related, with the inlines, as one revision

    def save_related(self, request, form, formsets, change):
        page = form.instance

        def save_inlines():
            super(PageAdmin, self).save_related(request, form, formsets, change)

        page_publish(
            page=page,
            user=request.user,
            summary=admin_summary(form, change),
            action=RevisionMeta.Action.EDIT,
            save_related=save_inlines,
        )

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        # "Delete selected" would delete outright; pages are deleted one by
        # one, softly, with a reason (delete_view).
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request, obj):
        raise PermissionDenied("Pages are deleted softly, with a reason.")

    def delete_queryset(self, request, queryset):
        raise PermissionDenied("Pages are deleted softly, with a reason.")

    def delete_view(self, request, object_id, extra_context=None):
        """The site's soft delete (wiki.history.page_delete), with a reason."""
        page = self.get_object(request, unquote(object_id))
        if page is None:
            raise Http404("No such page.")
        if page.is_deleted:
            messages.error(request, f"{page} is already deleted.")
            return redirect(self._url("change", page))
        if not self.has_delete_permission(request, page):
            raise PermissionDenied
        error = ""
        if request.method == "POST":
            try:
                history.page_delete(
                    page=page,
                    user=request.user,
                    reason=clean_block(request.POST.get("reason", "")),
                )
            except history.HistoryError as exc:
                error = str(exc)
            else:
                messages.success(
                    request,
                    f"{page} is deleted; it is listed among the deleted pages "
                    "and can be recovered on the site.",
                )
                return redirect(self._url("changelist"))
        return self._confirm(
            request,
            page,
            title=f"Delete {page}",
            text="The page leaves every public list but keeps its history; "
            "it can be recovered from the deleted pages.",
            button="Delete",
            reason_label="Reason for deleting",
            error=error,
            status=400 if error else 200,
        )

    def revert_to_revision(self, request, object_id, version_id):
        """A POST on the revert page reverts to the revision through the
        site's revert (wiki.history.page_revert)."""
        page = self.get_object(request, unquote(object_id))
        version = Version.objects.filter(
            pk=id_or_none(version_id), object_id=unquote(object_id)
        ).first()
        if page is None or version is None:
            raise Http404("Not a revision of this page.")
        if not self.has_change_permission(request, page):
            raise PermissionDenied
        try:
            history.page_revert(page=page, revision=version.revision, user=request.user)
        except history.HistoryError as exc:
            messages.error(request, str(exc))
            return redirect(self._url("history", page))
        messages.success(
            request, f"{page} is reverted to revision {version.revision_id}."
        )
        return redirect(self._url("change", page))

    def recoverlist_view(self, request, extra_context=None):
        # Deleted pages are kept (soft delete) and recovered on the site.
        return redirect("wiki:deleted_pages")

    def recover_view(self, request, version_id, extra_context=None):
        """Recover a deleted page through the site's recover
        (wiki.history.page_recover); a purged page cannot come back."""
        version = get_object_or_404(Version, pk=id_or_none(version_id))
        page = Page.objects.filter(pk=version.object_id).first()
        if page is None:
            messages.error(request, "This page was purged; it cannot be recovered.")
            return redirect(self._url("changelist"))
        page = page.specific
        if not self.has_change_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            try:
                history.page_recover(page=page, user=request.user)
            except history.HistoryError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"{page} is recovered.")
            return redirect(self._url("change", page))
        return self._confirm(
            request,
            page,
            title=f"Recover {page}",
            text="The page comes back as it was when it was deleted.",
            button="Recover",
        )

    def _url(self, name, page=None):
        opts = self.model._meta
        args = [page.pk] if name != "changelist" else []
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=args)

    def _confirm(self, request, page, *, status=200, **context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": page,
            **context,
        }
        return TemplateResponse(
            request, "admin/wiki/confirm.html", context, status=status
        )


def id_or_none(value: str) -> int | None:
    try:
        return parse_id(value)
    except ValueError:
        return None


def admin_summary(form, change: bool) -> str:
    """The summary of an admin save: what it changed."""
    if not change:
        return "Created in the admin"
    fields = [
        str(form.fields[name].label or name)
        for name in form.changed_data
        if name in form.fields
    ]
    if not fields:
        return "Edited in the admin"
    return "Edited in the admin: " + ", ".join(fields)


@admin.register(Page)
class AllPagesAdmin(admin.ModelAdmin):
    """Every page of every kind, read-only: the search behind page autocompletes.

    Pages are edited in their own kind's admin, where each save is a revision.
    """

    list_display = ["title", "kind", "slug", "updated_at", "edit_link"]
    list_filter = ["kind", "is_deleted"]
    search_fields = ["title", "short_title", "slug"]

    def has_add_permission(self, request):
        return False

    actions = None

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # read-only: pages are deleted in their own kind's admin

    @admin.display(description="edit")
    def edit_link(self, obj):
        model = registry.page_type(obj.kind).model
        url = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_change",
            args=[obj.pk],
        )
        return format_html('<a href="{}">Edit this {}</a>', url, obj.get_kind_display())


@admin.register(Theme)
class ThemeAdmin(PageAdmin):
    pass


@admin.register(PurgeRecord)
class PurgeRecordAdmin(admin.ModelAdmin):
    """What purges removed, for staff to look up; purges are made from a
    deleted page's admin ("purge")."""

    list_display = ["title", "kind", "slug", "revision_count", "purged_by", "purged_at"]
    list_filter = ["kind"]
    search_fields = ["title", "slug", "reason"]
    readonly_fields = [f.name for f in PurgeRecord._meta.fields]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PageLink)
class PageLinkAdmin(admin.ModelAdmin):
    """The link graph, to look up: derived from the pages' text by the write
    path, which alone adds and removes its rows."""

    list_display = ["source", "target_title", "target"]
    search_fields = ["target_title", "source__title"]
    list_select_related = ["source", "target"]
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PageRedirect)
class PageRedirectAdmin(admin.ModelAdmin):
    """Old addresses of renamed pages, each kept for its page so that no other
    page takes it; deleting one frees the address (links to it then stop
    arriving at the renamed page)."""

    list_display = ["slug", "kind", "page", "created_at"]
    list_filter = ["kind"]
    search_fields = ["slug", "page__title"]
    list_select_related = ["page"]

    def has_add_permission(self, request):
        return False  # renames record them

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """Proposals, to look up; they are decided on the site's review pages."""

    list_display = ["title", "kind", "author", "status", "created_at", "review_link"]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["title", "summary", "author__username"]
    list_select_related = ["author", "reviewer"]
    readonly_fields = [f.name for f in Proposal._meta.fields]
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A proposal is part of the record: the revision it became, or why
        # it was not taken.  It goes only with its page, in a purge.
        return False

    @admin.display(description="review")
    def review_link(self, obj):
        url = reverse("moderation:review_detail", kwargs={"pk": obj.pk})
        return format_html('<a href="{}">Review on the site</a>', url)


class UserCreationForm(DistinctUsernameMixin, AdminUserCreationForm):
    pass


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class LineageUserAdmin(UserAdmin):
    """Django's user admin; a new account's name may not pass for another.

    An account with history (revisions, proposals, reviews) is not deleted,
    which would take its proposals with it and its name off its revisions:
    it is deactivated ("Active" unticked) instead.
    """

    add_form = UserCreationForm

    def has_delete_permission(self, request, obj=None):
        if obj is not None and has_history(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        # Accounts are deleted one by one, where their history is checked.
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions


def has_history(user) -> bool:
    """Whether ``user`` wrote a revision or a proposal, or decided one."""
    return (
        Revision.objects.filter(user=user).exists()
        or Proposal.objects.filter(Q(author=user) | Q(reviewer=user)).exists()
    )
