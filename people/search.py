"""What search files people under: their organizations and core themes."""

from people.models import Affiliation, Person


def person_facets(page_ids: list[int]) -> dict[int, list[int]]:
    """For each person, the organizations they were at and their core themes
    (two queries for any number of people)."""
    found: dict[int, list[int]] = {pk: [] for pk in page_ids}
    for person_id, organization_id in Affiliation.objects.filter(
        person_id__in=page_ids
    ).values_list("person_id", "organization_id"):
        found[person_id].append(organization_id)
    for person_id, theme_id in Person.themes.through.objects.filter(
        person_id__in=page_ids
    ).values_list("person_id", "theme_id"):
        found[person_id].append(theme_id)
    return found
