import reversion
from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from markdownx.models import MarkdownxField
from reversion.admin import VersionAdmin
from reversion.models import Version

from wiki import redirects, registry
from wiki.accounts import DistinctUsernameMixin
from wiki.diff import diff_revisions
from wiki.forms import MarkdownFormField, PageForm
from wiki.ids import parse_id
from wiki.models import (
    Page,
    PageLink,
    PageRedirect,
    Proposal,
    RelatedPage,
    RevisionMeta,
    Theme,
)
from wiki.services import page_render, page_sync_derived, revision_meta_values
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


class PageAdmin(VersionAdmin):
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
        return [compare, *super().get_urls()]

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

    def save_model(self, request, obj, form, change):
        obj._rendered = page_render(obj)
        previous_slug = redirects.stored_slug(obj)
        super().save_model(request, obj, form, change)
        redirects.record_rename(page=obj, previous_slug=previous_slug)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        page = form.instance
        if not hasattr(page, "_rendered"):
            page._rendered = page_render(page)
        page_sync_derived(page=page, rendered=page._rendered)
        reversion.add_meta(
            RevisionMeta,
            approved_by=request.user,
            approved_at=timezone.now(),
            **revision_meta_values(page=page),
        )


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


@admin.register(PageLink)
class PageLinkAdmin(admin.ModelAdmin):
    list_display = ["source", "target_title", "target"]
    search_fields = ["target_title", "source__title"]
    list_select_related = ["source", "target"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
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
    """Django's user admin; a new account's name may not pass for another."""

    add_form = UserCreationForm
