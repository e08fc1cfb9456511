"""The site's settings, with the test-only apps (a toy page kind) installed."""

from wiki.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.toykind.apps.ToyKindConfig"]  # noqa: F405
