from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = "Works and sources"

    def ready(self):
        import reversion

        from sources import citations, forms, kinds, navigation, services
        from sources.models import Authorship, Citation, Source, Work
        from wiki import registry, tallies, versioning

        registry.register_kind(kinds.WORK_KIND)
        registry.register_kind(kinds.SOURCE)
        citations.register()
        tallies.register_refresher(services.refresh_source_tally)
        navigation.register()
        forms.register()
        reversion.register(Citation)
        reversion.register(Authorship)
        reversion.register(Source)
        reversion.register(Work, follow=["page_ptr", "authorships"])
        versioning.follow_from_pages("citations")
