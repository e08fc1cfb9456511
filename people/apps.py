from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People and organizations"

    def ready(self):
        import reversion

        from people import forms, navigation
        from people.models import Affiliation, Organization, Person
        from wiki import registry
        from wiki.models import Page

        registry.register_page_type(
            kind=Page.Kind.PERSON,
            model=Person,
            section="people",
            plural="People",
            index="people:person_index",
        )
        registry.register_page_type(
            kind=Page.Kind.ORGANIZATION,
            model=Organization,
            section="organizations",
            plural="Organizations",
            index="people:organization_index",
        )
        navigation.register()
        forms.register()
        reversion.register(Affiliation)
        reversion.register(Person, follow=["page_ptr", "affiliations"])
        reversion.register(Organization, follow=["page_ptr"])
