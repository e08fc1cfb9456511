from django.apps import AppConfig


class WikiConfig(AppConfig):
    name = "wiki"
    verbose_name = "Wiki"

    def ready(self):
        from wiki import (
            cache,
            checks,
            forms,
            links,
            moderation,
            navigation,
            registry,
            themes,
            versioning,
        )

        registry.register_kind(themes.THEME_KIND)
        checks.register()
        links.register()
        navigation.register()
        versioning.register_core()
        forms.register()
        moderation.register()
        cache.register()
