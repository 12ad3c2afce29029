"""HTTP calls to a partner node: signed requests, verified answers."""

import requests
from django.conf import settings

from .models import Node
from .signing import HEADER_NONCE, HEADER_SIGNATURE, SignatureError, sign_request, verify_response


class PartnerUnreachable(Exception):
    """The link failed or the partner answered with a server error: try again later."""


class PartnerRefused(Exception):
    """The partner answered, but refused (bad signature, unknown node, bad request)."""


def _get_verified(node: Node, path: str) -> requests.Response:
    """GET ``path`` from the partner, signed; the answer's signature checked over its bytes."""
    headers = sign_request("GET", path)
    url = node.base_url.rstrip("/") + path
    try:
        response = requests.get(url, headers=headers, timeout=settings.EXCHANGE_HTTP_TIMEOUT_S)
    except requests.RequestException as exc:
        raise PartnerUnreachable(f"{type(exc).__name__}: {exc}") from exc
    if response.status_code >= 500:
        raise PartnerUnreachable(f"HTTP {response.status_code}")
    if response.status_code != 200:
        raise PartnerRefused(f"HTTP {response.status_code}: {response.text[:300]}")
    verify_response(
        public_key=node.public_key,
        nonce=headers[HEADER_NONCE],
        body=response.content,
        signature=response.headers.get(HEADER_SIGNATURE),
    )
    return response


def get_signed(node: Node, path: str) -> dict:
    response = _get_verified(node, path)
    try:
        return response.json()
    except ValueError as exc:
        raise SignatureError("signed answer is not JSON") from exc


def get_signed_bytes(node: Node, path: str) -> tuple[bytes, str]:
    """A file (a photo) from the partner: its bytes, signed like any answer, and its type."""
    response = _get_verified(node, path)
    return response.content, response.headers.get("Content-Type", "")
