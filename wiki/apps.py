from django.apps import AppConfig


class WikiConfig(AppConfig):
    name = "wiki"
    verbose_name = "Wiki"

    def ready(self):
        from wiki import links, registry, versioning
        from wiki.models import Page, Theme

        registry.register_page_type(
            kind=Page.Kind.THEME, model=Theme, section="themes", plural="Themes"
        )
        links.register()
        versioning.register_core()
