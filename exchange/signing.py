"""Ed25519 signatures on every request and response between nodes.

A request carries the caller's node code, a timestamp and a nonce, and an
Ed25519 signature over them with the method, path, query and body hash. The
answer carries the serving node's signature over its body hash bound to the
request's nonce, so a recorded answer cannot be replayed to another request.

The private key comes from ``EXCHANGE_PRIVATE_KEY`` (base64 of the 32-byte
seed) or the PEM file named by ``EXCHANGE_PRIVATE_KEY_FILE``; it is never
stored in the database. ``python manage.py exchange_keys`` makes one.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

HEADER_NODE = "X-Amur-Node"
HEADER_TIME = "X-Amur-Timestamp"
HEADER_NONCE = "X-Amur-Nonce"
HEADER_SIGNATURE = "X-Amur-Signature"
MAX_CLOCK_SKEW_S = 300


class SignatureError(Exception):
    """A signature is missing, stale, replayed or wrong. The message says which."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (ValueError, TypeError) as exc:
        raise SignatureError("not base64") from exc


def generate_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_key_to_text(key: Ed25519PrivateKey) -> str:
    raw = key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    return b64(raw)


def public_key_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return b64(public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


@lru_cache(maxsize=8)
def _load_private_key(text: str, path: str) -> Ed25519PrivateKey:
    if path:
        data = Path(path).read_bytes()
        if data.startswith(b"-----"):
            key = serialization.load_pem_private_key(data, password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise ImproperlyConfigured("EXCHANGE_PRIVATE_KEY_FILE is not an Ed25519 key")
            return key
        text = data.decode().strip()
    if not text:
        raise ImproperlyConfigured(
            "No exchange key: set EXCHANGE_PRIVATE_KEY or EXCHANGE_PRIVATE_KEY_FILE "
            "(python manage.py exchange_keys makes one)"
        )
    return Ed25519PrivateKey.from_private_bytes(unb64(text))


def own_private_key() -> Ed25519PrivateKey:
    return _load_private_key(settings.EXCHANGE_PRIVATE_KEY, settings.EXCHANGE_PRIVATE_KEY_FILE)


def own_public_key_text() -> str:
    return public_key_text(own_private_key())


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body or b"").hexdigest()


def _request_message(method, path, node, timestamp, nonce, body) -> bytes:
    return "\n".join(
        ["amur-request-v1", method.upper(), path, node, timestamp, nonce, body_hash(body)]
    ).encode()


def _response_message(nonce: str, body: bytes) -> bytes:
    return "\n".join(["amur-response-v1", nonce, body_hash(body)]).encode()


def sign_request(method: str, path: str, body: bytes = b"") -> dict[str, str]:
    """Headers for a request from this node. ``path`` includes the query string."""
    timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
    message = _request_message(method, path, settings.NODE_CODE, timestamp, nonce, body)
    return {
        HEADER_NODE: settings.NODE_CODE,
        HEADER_TIME: timestamp,
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: b64(own_private_key().sign(message)),
    }


def _public_key(text: str) -> Ed25519PublicKey:
    try:
        return Ed25519PublicKey.from_public_bytes(unb64(text))
    except ValueError as exc:
        raise SignatureError("bad public key") from exc


@dataclass(frozen=True)
class SignedRequest:
    node: str
    nonce: str


def verify_request(
    *, method: str, path: str, headers, body: bytes, public_key_for, remember_nonce
) -> SignedRequest:
    """Check a signed request. ``public_key_for(code)`` gives a partner's key or None;
    ``remember_nonce(code, nonce)`` returns False when the nonce was seen before."""
    try:
        node, timestamp = headers[HEADER_NODE], headers[HEADER_TIME]
        nonce, signature = headers[HEADER_NONCE], headers[HEADER_SIGNATURE]
    except KeyError as exc:
        raise SignatureError(f"missing header {exc.args[0]}") from exc
    key_text = public_key_for(node)
    if not key_text:
        raise SignatureError("unknown node")
    try:
        age = abs(time.time() - int(timestamp))
    except ValueError as exc:
        raise SignatureError("bad timestamp") from exc
    if age > MAX_CLOCK_SKEW_S:
        raise SignatureError("stale timestamp")
    if not 16 <= len(nonce) <= 64:
        raise SignatureError("bad nonce")
    message = _request_message(method, path, node, timestamp, nonce, body)
    try:
        _public_key(key_text).verify(unb64(signature), message)
    except InvalidSignature as exc:
        raise SignatureError("bad signature") from exc
    if not remember_nonce(node, nonce):
        raise SignatureError("replayed request")
    return SignedRequest(node=node, nonce=nonce)


def sign_response(nonce: str, body: bytes) -> str:
    return b64(own_private_key().sign(_response_message(nonce, body)))


def verify_response(*, public_key: str, nonce: str, body: bytes, signature: str | None) -> None:
    if not signature:
        raise SignatureError("unsigned response")
    try:
        _public_key(public_key).verify(unb64(signature), _response_message(nonce, body))
    except InvalidSignature as exc:
        raise SignatureError("bad response signature") from exc
