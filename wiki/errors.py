"""The pages for a server error: 503 while a dependency is down, else 500.

Django calls ``handler500`` (wiki/urls.py) from inside the ``except`` block of
the layer that caught the exception (a view or any middleware, the outermost
included), so ``sys.exc_info()`` names the error.  When it is the database or
Redis that could not be reached (a restart, a failover) the answer is 503 with
``Retry-After``: the outage is temporary and the client may try again; every
other error is a 500.  Neither page reads the database or the cache, nor runs
the context processors (``templates/error_page.html``), and with DEBUG off
neither shows anything of the error: the traceback goes to the log.
"""

import sys

import psycopg
import redis.exceptions
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

# Connection failures, lost connections and a server starting up or shutting
# down (psycopg's AdminShutdown, CannotConnectNow are OperationalErrors).
UNAVAILABLE = (
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)
RETRY_AFTER_SECONDS = 5


def dependency_unavailable(error: BaseException | None) -> bool:
    """Whether ``error``, or an error it was raised from, says the database
    or Redis could not be reached."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, UNAVAILABLE):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def server_error(request) -> HttpResponse:
    """``handler500``: the friendly 503 or 500 page."""
    if dependency_unavailable(sys.exc_info()[1]):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    else:
        response = HttpResponse(loader.render_to_string("500.html"), status=500)
    response.headers["Cache-Control"] = "no-store"
    return response
