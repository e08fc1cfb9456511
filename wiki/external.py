"""What leaves the site: links and images that point at other hosts.

An image is fetched by every reader's browser as the page loads, so an image on
another host tells that host who reads the page, and when (a tracking pixel).
Lineage therefore shows images from its own origin, and over https from the
hosts in ``LINEAGE_IMAGE_HOSTS`` only; the renderer drops the address of any
other image, and the Content-Security-Policy names the same hosts
(wiki/settings.py), so the browser refuses what slips past.  Links are
followed only when a reader chooses to, so any host may be linked; links and
images on other hosts flag a proposal for review (wiki/moderation/flags.py).
"""

from typing import NamedTuple
from urllib.parse import SplitResult, urlsplit, urlunsplit

from django.conf import settings

WEB_SCHEMES = {"http", "https"}


class ExternalRef(NamedTuple):
    """A link (``<a href>``, a URL field) or an image (``<img src>``) elsewhere."""

    kind: str  # "link" or "image"
    url: str


def _split(url: str) -> SplitResult | None:
    # Browsers read a backslash as a slash in web addresses: "/\host" is "//host".
    try:
        return urlsplit(url.strip().replace("\\", "/"))
    except ValueError:  # e.g. "https://[" (a broken IPv6 host)
        return None


def leaves_site(url: str) -> bool:
    """Whether ``url``, on one of our pages, names another host.

    Protocol-relative addresses (``//host/…``) do, and so do ``http:host``
    forms, which browsers complete to ``http://host``.
    """
    parts = _split(url)
    if parts is None:
        return True
    return bool(parts.netloc) or parts.scheme.lower() in WEB_SCHEMES


def image_hosts() -> set[str]:
    return {host.strip().lower() for host in settings.LINEAGE_IMAGE_HOSTS if host}


def image_source(url: str) -> str | None:
    """``url`` as the address of an image a page may show, or None if it may not.

    Addresses on this site stay as they are; an image on an allowed host is
    fetched over https (a protocol-relative address becomes an https one).
    """
    parts = _split(url)
    if parts is None:
        return None
    if not parts.netloc and not parts.scheme:
        return url
    if parts.scheme.lower() not in {"https", ""} or not parts.hostname:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    # The policy names hosts on the default port: another port would be refused.
    if port is not None or parts.hostname.lower() not in image_hosts():
        return None
    return urlunsplit(parts._replace(scheme="https"))
