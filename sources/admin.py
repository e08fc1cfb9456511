import reversion
from django.contrib import admin
from django.utils import timezone
from reversion.admin import VersionAdmin

from sources.models import Authorship, Citation, Source, Work
from sources.services import refresh_citing_pages, source_meta_values
from wiki import registry
from wiki.admin import PageAdmin
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
    search_fields = [*PageAdmin.search_fields, "venue"]
    autocomplete_fields = ["themes"]
    kind_fields = [
        "work_type",
        "year",
        "month",
        "day",
        "venue",
        "url",
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
class SourceAdmin(VersionAdmin):
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

    def save_model(self, request, obj, form, change):
        # The site's write path (sources.services.source_publish) in the
        # admin's own revision: the same metadata, the same upkeep.
        sizes = source_meta_values(obj)
        super().save_model(request, obj, form, change)
        reversion.add_meta(
            RevisionMeta,
            approved_by=request.user,
            approved_at=timezone.now(),
            **sizes,
        )
        refresh_citing_pages(obj)
