"""Keyset pagination with opaque cursors, stable while rows are added.

A cursor names the last row a page showed by its whole ordering key (e.g.
``(updated_at, id)``, unique because the id is), and the next page is the
rows after it: ``WHERE updated_at > t OR (updated_at = t AND id > i)``, read
from an index in key order.  Rows inserted between two requests take their
place in the order without shifting the others, so walking every page
shows each row once.  (Django REST framework's ``CursorPagination`` keys on
the first field alone, with an offset among equal values.)
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.dateparse import parse_datetime
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from api.errors import invalid


@dataclass(frozen=True)
class Key:
    """One field of an ordering key: its lookup, direction and type."""

    field: str
    descending: bool = False
    type: type = int

    @property
    def order_by(self) -> str:
        return f"-{self.field}" if self.descending else self.field

    def value_of(self, row):
        value = row
        for part in self.field.split("__"):
            value = getattr(value, part)
        return value

    def encode(self, value):
        return value.isoformat() if isinstance(value, datetime) else value

    def decode(self, value):
        if self.type is datetime:
            parsed = parse_datetime(value) if isinstance(value, str) else None
            if parsed is None:
                raise ValueError(value)
            return parsed
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(value)
        return value


def page_size_param(request) -> int:
    """``page_size`` from the query string, or the default; 400 when it is
    not a whole number from 1 to the maximum."""
    default, most = settings.LINEAGE_API_PAGE_SIZE, settings.LINEAGE_API_MAX_PAGE_SIZE
    raw = request.query_params.get("page_size")
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= most:
        raise invalid("page_size", f"Give a whole number from 1 to {most}.")
    return int(raw)


def encode_cursor(keys: tuple[Key, ...], row) -> str:
    """The cursor of the rows after ``row``."""
    values = [key.encode(key.value_of(row)) for key in keys]
    data = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def with_cursor(request, path: str, cursor: str, params=None) -> str:
    """The absolute address of ``path`` with the query ``params`` and ``cursor``."""
    params = params.copy() if params is not None else QueryDict(mutable=True)
    params["cursor"] = cursor
    query = urlencode(sorted(params.lists()), doseq=True)
    return f"{request.build_absolute_uri(path)}?{query}"


class KeysetPagination(BasePagination):
    """Pages of a queryset in the order of ``keys``, ``page_size`` at a time."""

    keys: tuple[Key, ...] = ()

    @classmethod
    def by(cls, *keys: Key) -> type:
        return type("KeysetPagination", (cls,), {"keys": keys})

    def paginate_queryset(self, queryset: QuerySet, request, view=None) -> list:
        self.request = request
        size = page_size_param(request)
        position = self.position(request)
        if position is not None:
            queryset = queryset.filter(self.after(position))
        rows = list(queryset.order_by(*(key.order_by for key in self.keys))[: size + 1])
        self.next_cursor = None
        if len(rows) > size:
            rows = rows[:size]
            self.next_cursor = encode_cursor(self.keys, rows[-1])
        return rows

    def position(self, request) -> list | None:
        raw = request.query_params.get("cursor")
        if raw is None:
            return None
        try:
            padded = raw + "=" * (-len(raw) % 4)
            values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            if not isinstance(values, list) or len(values) != len(self.keys):
                raise ValueError(values)
            return [key.decode(v) for key, v in zip(self.keys, values, strict=True)]
        except (ValueError, UnicodeError, binascii.Error, TypeError):
            raise invalid(
                "cursor",
                "Not a cursor of this list: use the next link of a previous page.",
            ) from None

    def after(self, position: list) -> Q:
        """Rows after ``position`` in key order."""
        condition = None
        for key, value in reversed(list(zip(self.keys, position, strict=True))):
            beyond = Q(**{f"{key.field}__{'lt' if key.descending else 'gt'}": value})
            if condition is None:
                condition = beyond
            else:
                condition = beyond | (Q(**{key.field: value}) & condition)
        # The first field's bound alone, so the database reads the index from
        # there rather than testing the OR on every row.
        first = self.keys[0]
        bound = Q(
            **{f"{first.field}__{'lte' if first.descending else 'gte'}": position[0]}
        )
        return bound & condition

    def next_link(self) -> str | None:
        if self.next_cursor is None:
            return None
        request = self.request
        return with_cursor(
            request, request.path, self.next_cursor, request.query_params
        )

    def get_paginated_response(self, data) -> Response:
        return Response({"next": self.next_link(), "results": data})

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page, or null on the last.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "description": "Where the page starts: the cursor of the `next` "
                "link of the page before.",
                "schema": {"type": "string"},
            },
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "description": "Rows per page.",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": settings.LINEAGE_API_MAX_PAGE_SIZE,
                    "default": settings.LINEAGE_API_PAGE_SIZE,
                },
            },
        ]
