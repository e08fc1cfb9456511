from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People and organizations"

    def ready(self):
        import reversion

        from people import forms, kinds, navigation
        from people.models import Affiliation, Organization, Person
        from wiki import registry

        registry.register_kind(kinds.PERSON_KIND)
        registry.register_kind(kinds.ORGANIZATION_KIND)
        navigation.register()
        forms.register()
        reversion.register(Affiliation)
        reversion.register(Person, follow=["page_ptr", "affiliations"])
        reversion.register(Organization, follow=["page_ptr"])
