"""The maintenance page: the first entries of every list, and each list in
full, a page at a time."""

from django.http import Http404
from django.shortcuts import render

from wiki import maintenance
from wiki.pagination import paginate

# Entries each list shows on the maintenance page; the rest on its own page.
PREVIEW_SIZE = 10
PER_PAGE = 100


def maintenance_overview(request):
    """Every list, its first entries each (one query per list)."""
    sections = []
    for section in maintenance.sections():
        rows = list(section.rows()[: PREVIEW_SIZE + 1])
        sections.append((section, rows[:PREVIEW_SIZE], len(rows) > PREVIEW_SIZE))
    return render(request, "wiki/maintenance/overview.html", {"sections": sections})


def maintenance_section(request, section):
    """One list in full, a page at a time, uncounted (it may be as long as
    the site)."""
    found = maintenance.section(section)
    if found is None:
        raise Http404("No such maintenance list.")
    context = paginate(request, found.rows(), PER_PAGE, counted=False)
    return render(
        request, "wiki/maintenance/section.html", {"section": found, **context}
    )
