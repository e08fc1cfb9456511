"""System checks that the registered kinds fit the core (``manage.py check``)."""

from django.core import checks

from wiki import registry


def check_kinds(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from wiki.models import Page

    errors = []
    width = Page._meta.get_field("kind").max_length
    sections: dict[str, str] = {}
    for declaration in registry.kinds():
        where = f"kind {declaration.kind!r}"
        if len(declaration.kind) > width:
            errors.append(
                checks.Error(
                    f"{where} is longer than {width} characters.", id="wiki.E001"
                )
            )
        if declaration.is_page and not issubclass(declaration.model, Page):
            errors.append(
                checks.Error(
                    f"{where}: {declaration.model} is not a Page.", id="wiki.E002"
                )
            )
        if declaration.is_page and declaration.form is None:
            errors.append(
                checks.Error(f"{where} declares no edit form.", id="wiki.E003")
            )
        if declaration.is_page and declaration.section in sections:
            errors.append(
                checks.Error(
                    f"{where} takes the URL section {declaration.section!r} of "
                    f"kind {sections[declaration.section]!r}.",
                    id="wiki.E004",
                )
            )
        sections.setdefault(declaration.section, declaration.kind)
    return errors


def register() -> None:
    checks.register(check_kinds)
