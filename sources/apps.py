from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = "Works and sources"

    def ready(self):
        import reversion

        from sources import (
            citations,
            coverage,
            forms,
            kinds,
            maintenance,
            navigation,
            services,
        )
        from sources.models import Authorship, Citation, Source, Work
        from wiki import registry, tallies, versioning

        registry.register_kind(kinds.WORK_KIND)
        registry.register_kind(kinds.SOURCE)
        citations.register()
        tallies.register_refresher(services.refresh_source_tally)
        registry.register_render_summary("coverage", coverage.summarize)
        registry.register_render_hook(coverage.record)
        tallies.register_refresher(coverage.refresh_all)
        maintenance.register()
        navigation.register()
        forms.register()
        reversion.register(Citation)
        reversion.register(Authorship)
        reversion.register(Source)
        reversion.register(Work, follow=["page_ptr", "authorships"])
        versioning.follow_from_pages("citations")
