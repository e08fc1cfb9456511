"""Every error of the API as JSON: what went wrong, in words, and which
query parameter it was, if one was."""

from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


class InvalidParameter(exceptions.ValidationError):
    """A query parameter the API cannot take (answered 400)."""

    def __init__(self, parameter: str, message: str):
        self.parameter = parameter
        super().__init__({parameter: [message]})


def invalid(parameter: str, message: str) -> InvalidParameter:
    return InvalidParameter(parameter, message)


class Withheld(exceptions.PermissionDenied):
    """Something the public may not read (a hidden revision's text)."""

    default_code = "hidden"


def exception_handler(exc, context):
    """DRF's handler (status and headers: Retry-After on a 429, Allow on a
    405), with one body for every error:
    ``{"error": code, "detail": message, "parameters": {name: message}}``."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        parameters = {
            name: " ".join(str(m) for m in messages)
            if isinstance(messages, list)
            else str(messages)
            for name, messages in (
                exc.detail.items() if isinstance(exc.detail, dict) else []
            )
        }
        names = ", ".join(parameters)
        detail = f"Invalid {names}: " + " ".join(parameters.values())
        body = {"error": "invalid", "detail": detail, "parameters": parameters}
    else:
        code = exc.get_codes() if hasattr(exc, "get_codes") else "error"
        body = {
            "error": code if isinstance(code, str) else "error",
            "detail": str(exc.detail),
        }
    response.data = body
    return response
