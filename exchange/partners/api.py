"""Endpoints that partner nodes call: the signed change feed and our agreement with them.

Plain Django views rather than DRF: the answer must be signed over the exact
bytes sent, so the body is serialised here once and signed.
"""

import json

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from observations.errors import DomainError

from ..feed import feed_page
from ..media_sync import SHA256, partner_photo
from ..models import Agreement, Node
from ..signing import HEADER_SIGNATURE, SignatureError, sign_response, verify_request
from .nonces import remember_nonce
from .terms import agreement_terms


def _json(body: dict, status: int = 200, nonce: str | None = None) -> HttpResponse:
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    response = HttpResponse(content, status=status, content_type="application/json")
    if nonce:
        response[HEADER_SIGNATURE] = sign_response(nonce, content)
    return response


def _partner_keys(code: str) -> str | None:
    node = Node.objects.filter(code=code, active=True).first()
    return node.public_key if node else None


def _authenticate(request):
    """The calling partner node, or an error response. Every failure is a 401 that says why."""
    try:
        signed = verify_request(
            method=request.method,
            path=request.get_full_path(),
            headers=request.headers,
            body=request.body,
            public_key_for=_partner_keys,
            remember_nonce=remember_nonce,
        )
    except SignatureError as exc:
        return (
            None,
            None,
            _json({"code": "bad_signature", "detail": str(exc), "field": None}, status=401),
        )
    return Node.objects.get(code=signed.node), signed.nonce, None


def _int_param(request, name, default, low, high):
    raw = request.GET.get(name, default)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if low <= value <= high else None


@require_GET
def feed(request):
    """``GET /api/v1/exchange/feed/?after=N&limit=M``: the next changes visible to the caller."""
    partner, nonce, error = _authenticate(request)
    if error:
        return error
    after = _int_param(request, "after", 0, 0, 2**62)
    limit = _int_param(
        request, "limit", settings.EXCHANGE_PAGE_SIZE, 1, settings.EXCHANGE_MAX_PAGE_SIZE
    )
    if after is None or limit is None:
        return _json(
            {
                "code": "bad_request",
                "detail": "after >= 0 and 1 <= limit <= "
                f"{settings.EXCHANGE_MAX_PAGE_SIZE} are required",
                "field": None,
            },
            status=400,
            nonce=nonce,
        )
    return _json(feed_page(partner, after=after, limit=limit), nonce=nonce)


@require_GET
def agreement(request):
    """``GET /api/v1/exchange/agreement/``: what this node shares with the caller."""
    partner, nonce, error = _authenticate(request)
    if error:
        return error
    found = Agreement.objects.filter(partner=partner).first()
    body = {"node": settings.NODE_CODE, "partner": partner.code, "agreement": None}
    if found is not None:
        body["agreement"] = {"version": found.version, **agreement_terms(found)}
    return _json(body, nonce=nonce)


@require_GET
def media_file(request, sha256, variant):
    """``GET /api/v1/exchange/media/<sha256>/<variant>/``: one photo the feed described to
    the caller (variant: thumbnail, preview or original), signed like every answer."""
    partner, nonce, error = _authenticate(request)
    if error:
        return error
    try:
        if not SHA256.match(sha256):
            raise DomainError("not a SHA-256", "bad_request")
        data, content_type = partner_photo(partner, sha256, variant)
    except DomainError as exc:
        status = getattr(exc, "status_code", 400)
        return _json({"code": exc.code, "detail": str(exc)}, status=status, nonce=nonce)
    response = HttpResponse(data, content_type=content_type)
    response[HEADER_SIGNATURE] = sign_response(nonce, data)
    return response
