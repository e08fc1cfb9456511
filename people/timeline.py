"""A person's career as one list by year: affiliations as spans, works as points.

Built from what the person page reads already: the affiliations it prefetches
and its bounded works list (sources/navigation.py, newest first), so the
timeline costs no query of its own and reads a bounded number of rows.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

WORKS_LIST = "works"


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    kind: str  # "span" (an affiliation) or "point" (a work)
    years: str  # as a reader reads it: "2016–present", "2019"
    title: str
    url: str  # empty where the page is deleted
    note: str
    order: tuple


def _span_years(start: int | None, end: int | None) -> str:
    if start and end:
        return str(start) if start == end else f"{start}–{end}"
    if start:
        return _("%(start)s–present") % {"start": start}
    if end:
        return _("until %(end)s") % {"end": end}
    return _("Undated")


def _sort_year(*years: int | None) -> int:
    # Undated entries go last.
    return next((y for y in years if y), 10_000)


def career_timeline(person, navigation) -> dict:
    """The person's timeline entries, oldest first (spans before the works of
    their year), and the works list it drew on (for "see all")."""
    entries = []
    for affiliation in person.affiliations.all():
        organization = affiliation.organization
        entries.append(
            TimelineEntry(
                kind="span",
                years=_span_years(affiliation.start_year, affiliation.end_year),
                title=organization.title,
                url="" if organization.is_deleted else organization.get_absolute_url(),
                note=affiliation.role,
                order=(
                    _sort_year(affiliation.start_year, affiliation.end_year),
                    0,
                    affiliation.position,
                    affiliation.pk or 0,
                ),
            )
        )
    works = next((g for g in navigation or () if g.key == WORKS_LIST), None)
    for item in works.items if works else ():
        work = item.page
        entries.append(
            TimelineEntry(
                kind="point",
                years=str(work.year) if work.year else _("Undated"),
                title=work.display_title,
                url=work.get_absolute_url(),
                note="",
                order=(_sort_year(work.year), 1, work.title, work.pk),
            )
        )
    entries.sort(key=lambda e: e.order)
    return {"entries": entries, "works": works}
