"""README.md documents every environment variable the settings read (in the
Production section's table, or in the table of the section about its feature)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READERS = re.compile(
    r"""(?:os\.environ\.get|os\.environ\[|env_bool|env_list|env_int|env_flag)\(?\s*"""
    r"""["']([A-Z][A-Z0-9_]+)["']"""
    r"""|["']([A-Z][A-Z0-9_]+)["']\s+(?:not\s+)?in\s+os\.environ"""
)


# What reads the environment: the settings, gunicorn's configuration, and the
# access log (which gunicorn's logger runs).
FILES = ("wiki/settings.py", "deploy/gunicorn.conf.py", "wiki/access_log.py")
# Read by a library: dj_database_url.config() reads DATABASE_URL.
IMPLICIT = {"DATABASE_URL"}


def variables_read() -> set[str]:
    found = set(IMPLICIT)
    for name in FILES:
        text = (ROOT / name).read_text()
        found |= {a or b for a, b in READERS.findall(text)}
    return found


def documented(text: str | None = None) -> set[str]:
    """The variables named in the first column of a table of ``text``."""
    text = (ROOT / "README.md").read_text() if text is None else text
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", text, re.MULTILINE))


def production_table() -> str:
    readme = (ROOT / "README.md").read_text()
    return readme.split("### Environment variables", 1)[1].split("\n## ", 1)[0]


def test_every_variable_the_settings_and_gunicorn_read_is_documented():
    read = variables_read()

    assert {"DJANGO_DEBUG", "DATABASE_URL", "GUNICORN_WORKERS"} <= read
    assert sorted(read - documented()) == []


def test_the_production_table_lists_no_variable_that_nothing_reads():
    read = variables_read()

    assert sorted(documented(production_table()) - read) == []
