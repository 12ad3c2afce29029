"""One exception handler for the API: every error has a stable ``code`` and a message in
the user's language, and nothing unexpected ever answers with a bare 500 page."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..errors import DomainError
from ..validation import RecordInvalid


def record_invalid_body(exc: RecordInvalid) -> dict:
    return {
        "code": "invalid",
        "detail": _("The record is not valid."),
        "errors": {
            name: [{"code": p.code, "message": str(p.message)} for p in problems]
            for name, problems in exc.errors.items()
        },
    }


def exception_handler(exc, context):
    if isinstance(exc, RecordInvalid):
        return Response(record_invalid_body(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "detail": str(exc.message)}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, IntegrityError):
        return Response(
            {"code": "conflict", "detail": _("The record conflicts with stored data.")},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)
