from django.apps import AppConfig


class ToyKindConfig(AppConfig):
    """A kind of page that only the tests install, declared in one module."""

    name = "tests.toykind"
    label = "toykind"
    verbose_name = "Datasets (test-only)"

    def ready(self):
        import reversion

        from tests.toykind import kinds
        from tests.toykind.models import Dataset
        from wiki import registry

        registry.register_kind(kinds.DATASET_KIND)
        reversion.register(Dataset, follow=["page_ptr"])
