from django.apps import AppConfig


class WikiConfig(AppConfig):
    name = "wiki"
    verbose_name = "Wiki"

    def ready(self):
        from wiki import forms, links, moderation, navigation, registry, versioning
        from wiki.models import Page, Theme

        registry.register_page_type(
            kind=Page.Kind.THEME,
            model=Theme,
            section="themes",
            plural="Themes",
            index="wiki:theme_index",
        )
        links.register()
        navigation.register()
        versioning.register_core()
        forms.register()
        moderation.register()
