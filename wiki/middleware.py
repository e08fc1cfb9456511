"""Requests no page can answer, refused before any view reads them."""

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse


def refuse_nul_characters(get_response):
    """A 400 for a NUL character in the address or its query string.

    NUL is never text, and PostgreSQL refuses it in any query, so a view that
    looked it up (a slug, a filter, a search) would fail.  Posted forms strip it
    from what they keep.
    """

    def middleware(request):
        query = request.GET
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in query.getlist(key))
            for key in query
        ):
            message = "This address contains a NUL character (%00), which no page has."
            if request.path.startswith("/api/"):  # the read API answers in JSON
                return JsonResponse({"error": "invalid", "detail": message}, status=400)
            return HttpResponseBadRequest(
                message, content_type="text/plain; charset=utf-8"
            )
        return get_response(request)

    return middleware


def permissions_policy(get_response):
    """The Permissions-Policy header: the browser features no page uses
    (``PERMISSIONS_POLICY``) are refused to the page and to anything in it."""
    header = ", ".join(
        f"{feature}=({' '.join(origins)})"
        for feature, origins in settings.PERMISSIONS_POLICY.items()
    )

    def middleware(request):
        response = get_response(request)
        if header:
            response.headers.setdefault("Permissions-Policy", header)
        return response

    return middleware
