"""Requests no page can answer, refused before any view reads them."""

from django.http import HttpResponseBadRequest


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
            return HttpResponseBadRequest(
                "This address contains a NUL character (%00), which no page has.",
                content_type="text/plain; charset=utf-8",
            )
        return get_response(request)

    return middleware
