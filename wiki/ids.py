"""Database ids in URLs and query strings: digits that fit a 64-bit integer.

A longer number would overflow in the database (a 500); here it is simply not
an id, so the caller answers 400 or 404.
"""

import re

ID_PATTERN = "[0-9]{1,18}"


def parse_id(value: str) -> int:
    """The id written in ``value``; ValueError when it is not one."""
    if not re.fullmatch(ID_PATTERN, value.strip()):
        raise ValueError(f"{value[:30]!r} is not an id")
    return int(value)


class IdConverter:
    regex = ID_PATTERN

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)
