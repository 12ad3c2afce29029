"""One exception handler for the API, one shape for every 4xx answer:

    {"code": "...", "detail": "...", "field": "latitude" | null}

``code`` is stable (clients switch on it), ``detail`` is in the user's language, ``field``
names the input the error is about (null when it is about none). When several inputs are
wrong (a serializer's or the validation service's errors) the first one is on top and
``errors`` lists them all, by field: ``{"latitude": [{"code": ..., "message": ...}]}``
(``non_field_errors`` for the ones about no single field). Nothing unexpected ever
answers with a bare 500 page.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from ..errors import DomainError
from ..validation import RecordInvalid

NO_FIELD = api_settings.NON_FIELD_ERRORS_KEY


def error_body(code: str, detail, field: str | None = None, **more) -> dict:
    return {"code": code, "detail": str(detail), "field": field, **more}


def _field(name: str | None) -> str | None:
    return None if name in (None, NO_FIELD) else name


def record_invalid_body(exc: RecordInvalid) -> dict:
    errors = {
        name: [{"code": p.code, "message": str(p.message)} for p in problems]
        for name, problems in exc.errors.items()
    }
    first = next(iter(errors), None)
    return error_body("invalid", _("The record is not valid."), _field(first), errors=errors)


def _flatten(detail, prefix: str = "") -> dict[str, list]:
    """A serializer's nested errors as {"field" or "items.0.field": [ErrorDetail, ...]}."""
    if isinstance(detail, dict):
        found = {}
        for name, value in detail.items():
            found.update(_flatten(value, f"{prefix}.{name}" if prefix else str(name)))
        return found
    if isinstance(detail, list) and any(isinstance(d, dict | list) for d in detail):
        found = {}
        for i, value in enumerate(detail):
            found.update(_flatten(value, f"{prefix}.{i}" if prefix else str(i)))
        return found
    items = detail if isinstance(detail, list) else [detail]
    return {prefix or NO_FIELD: [d for d in items if str(d)]} if items else {}


def validation_body(exc: ValidationError) -> dict:
    errors = {
        name: [{"code": getattr(d, "code", None) or "invalid", "message": str(d)} for d in details]
        for name, details in _flatten(exc.detail).items()
        if details
    }
    if not errors:
        return error_body("invalid", _("Invalid input."), None, errors={})
    name, problems = next(iter(errors.items()))
    return error_body(problems[0]["code"], problems[0]["message"], _field(name), errors=errors)


def _other_body(exc, data) -> dict:
    """NotAuthenticated, PermissionDenied, NotFound (and Http404), MethodNotAllowed,
    Throttled, ParseError...: DRF's ``{"detail": ...}`` with its code on top."""
    detail = data.get("detail", "") if isinstance(data, dict) else data
    code = getattr(detail, "code", None) or getattr(exc, "default_code", None) or "error"
    return error_body(code, detail, None)


def exception_handler(exc, context):
    if isinstance(exc, RecordInvalid):
        return Response(record_invalid_body(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message, exc.field), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, IntegrityError):
        return Response(
            error_body("conflict", _("The record conflicts with stored data.")),
            status=status.HTTP_409_CONFLICT,
        )
    response = drf_exception_handler(exc, context)  # Http404 and PermissionDenied too
    if response is None:
        return None
    if isinstance(exc, ValidationError):
        response.data = validation_body(exc)
    else:
        response.data = _other_body(exc, response.data)
    return response
