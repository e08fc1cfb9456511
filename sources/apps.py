from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = "Works and sources"

    def ready(self):
        import reversion

        from sources import citations, forms, navigation, proposals
        from sources.models import Authorship, Citation, Source, Work
        from wiki import registry, versioning
        from wiki.models import Page

        registry.register_page_type(
            kind=Page.Kind.WORK,
            model=Work,
            section="works",
            plural="Works",
            index="sources:work_index",
        )
        registry.register_record_kind(proposals.SourceRecords())
        citations.register()
        navigation.register()
        forms.register()
        reversion.register(Citation)
        reversion.register(Authorship)
        reversion.register(Source)
        reversion.register(Work, follow=["page_ptr", "authorships"])
        versioning.follow_from_pages("citations")
