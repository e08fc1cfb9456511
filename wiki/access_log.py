"""Structured access logs: one JSON line per request, written by gunicorn.

``deploy/gunicorn.conf.py`` names :class:`JsonAccessLogger` as gunicorn's
logger class, so the line covers every response the server sends (static files,
a 400 from a bad request line, a worker's timeout) with the bytes actually sent
and the whole time spent.  What only Django knows travels in the WSGI environ,
which is ``request.META``: :func:`mark_user_type` records whether the reader was
logged in, and a cache layer may record its hit or miss under ``lineage.cache``
(or answer with an ``X-Cache`` header).  No line names a user, and the remote
address is logged only when ``LINEAGE_ACCESS_LOG_REMOTE_ADDR`` is on.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime

from django.conf import settings
from django.utils.functional import SimpleLazyObject, empty
from gunicorn.glogging import Logger

USER_KEY = "lineage.user"
CACHE_KEY = "lineage.cache"
CACHE_HEADER = "x-cache"


def user_type(request) -> str:
    """Return "logged-in" or "anonymous", without a query the view did not make."""
    user = getattr(request, "user", None)
    if user is None:
        return "anonymous"
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        # Nothing looked the user up (a static file, a cached page): the
        # session cookie tells, since logging out deletes it.
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return "logged-in"
        return "anonymous"
    return "logged-in" if user.is_authenticated else "anonymous"


def mark_user_type(get_response):
    """Record the reader's type in the environ, for the access log line."""

    def middleware(request):
        response = get_response(request)
        request.META[USER_KEY] = user_type(request)
        return response

    return middleware


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def access_record(*, status, method, path, sent, seconds, environ, headers) -> dict:
    """Return the fields of one access log line."""
    cache = environ.get(CACHE_KEY)
    if cache is None:
        cache = next(
            (value for name, value in headers if name.lower() == CACHE_HEADER), None
        )
    record = {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "method": method,
        "path": path,
        "status": status,
        "bytes": sent,
        "duration_ms": round(seconds * 1000, 1),
        "user": environ.get(USER_KEY, "anonymous"),
        "cache": cache.lower() if cache else None,
    }
    if env_flag("LINEAGE_ACCESS_LOG_REMOTE_ADDR"):
        # Behind the proxy REMOTE_ADDR is the proxy; the client is the last
        # address it appended to X-Forwarded-For.
        forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
        record["remote_addr"] = (
            forwarded.rsplit(",", 1)[-1].strip()
            if forwarded
            else environ.get("REMOTE_ADDR")
        )
    return record


class JsonAccessLogger(Logger):
    """Gunicorn's logger, with each access line written as one JSON object."""

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        headers = resp.headers
        if hasattr(headers, "items"):
            headers = headers.items()
        try:
            record = access_record(
                status=int(status),
                method=environ.get("REQUEST_METHOD"),
                path=environ.get("PATH_INFO"),
                sent=getattr(resp, "sent", None),
                seconds=request_time.total_seconds(),
                environ=environ,
                headers=headers,
            )
            self.access_log.info(json.dumps(record, ensure_ascii=False))
        except Exception:
            self.exception("Could not write an access log line")
