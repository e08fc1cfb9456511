"""Template helpers of the edit form."""

from django import template

from wiki.forms import PageTitleField

register = template.Library()


@register.filter
def create_offer(bound_field) -> dict | None:
    """For a page field whose title names no page: the title, and the create
    forms of the kinds it may be (``{"title": ..., "links": [...]}``)."""
    field = bound_field.field
    if not isinstance(field, PageTitleField) or not bound_field.form.is_bound:
        return None
    errors = bound_field.form.errors.as_data().get(bound_field.name, [])
    if not any(error.code == "unknown" for error in errors):
        return None
    return field.create_offer(bound_field.value())
