"""The kinds this app declares: works (pages) and sources (records)."""

from django.db.models import Prefetch

from sources import forms, navigation, proposals
from sources.models import SOURCE_KIND, WORK, Authorship, Source, Work
from sources.search import source_document, work_authors, work_facets
from sources.sitemaps import SourceSitemap
from wiki.models import Theme
from wiki.registry import Kind

WORK_KIND = Kind(
    kind=WORK,
    model=Work,
    section="works",
    plural="Works",
    form=forms.WorkForm,
    formsets=forms.WORK_ROWS,
    navigation=(navigation.works_sharing_themes, navigation.citing_pages),
    prefetches=(
        Prefetch("themes", Theme.objects.published()),
        "sources",
        Prefetch("authorships", Authorship.objects.select_related("person")),
    ),
    template="sources/work_detail.html",
    json_ld=navigation.work_structured_data,
    search_facets=work_facets,
    search_more=work_authors,
    index="sources:work_index",
    urls="sources.urls",
    moderated_models=(("sources", "work"), ("sources", "authorship")),
    menu=20,
    order=30,
)

SOURCE = Kind(
    kind=SOURCE_KIND,
    model=Source,
    section="sources",
    plural="Sources",
    form=forms.SourceForm,
    index="sources:source_index",
    urls="sources.urls",
    sitemap=SourceSitemap,
    moderated_models=(("sources", "source"), ("sources", "citation")),
    menu=50,
    order=50,
    records=proposals.SourceRecords(),
    search_document=source_document,
)
