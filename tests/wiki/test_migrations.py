"""Migrations that check the data before they constrain it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE_UNIQUE_TITLES = ("wiki", "0006_revision_visibility")
UNIQUE_TITLES = ("wiki", "0007_page_title_unique_ci")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_unique_titles_wait_until_pages_titled_alike_are_renamed():
    apps = _migrate([BEFORE_UNIQUE_TITLES])
    pages = apps.get_model("wiki", "Page").objects
    first = pages.create(kind="theme", title="Scaling laws", slug="scaling-laws")
    second = pages.create(kind="theme", title="scaling LAWS", slug="scaling")
    pages.create(kind="work", title="Scaling Laws", slug="scaling-laws")  # a work

    with pytest.raises(RuntimeError) as error:
        _migrate([UNIQUE_TITLES])
    assert str(error.value).endswith(
        "\n  theme: “Scaling laws” (id "
        f"{first.pk}, …/scaling-laws/), “scaling LAWS” (id {second.pk}, …/scaling/)"
    )

    second.title = "Scaling laws (critique)"
    second.save()
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
