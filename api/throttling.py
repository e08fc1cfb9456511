"""How many requests one client may make of the API (``LINEAGE_API_RATE``).

Counted in the Django cache, per client address as ``wiki.limits`` reads it
(behind a trusted proxy, the address the proxy says it serves), never per
account: the API has none.  With the default local-memory cache each app
process counts on its own; with ``CACHE_URL`` (Redis) they share the count.
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from wiki.limits import client_address


class ClientAddressThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self) -> str:
        # Read on every request rather than at import, so a changed setting
        # (a test's) takes effect.
        return settings.LINEAGE_API_RATE

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {
            "scope": self.scope,
            "ident": client_address(request) or "unknown",
        }
