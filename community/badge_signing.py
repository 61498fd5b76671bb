"""Signed Open Badges 3.0 credentials: a JWT-VC (VC-JOSE, EdDSA over Ed25519).

The issuer is `did:web:<host>`: its DID document (/.well-known/did.json) and
the JWKS (/.well-known/jwks.json) publish the public key, and every signed
credential names it in its `kid` header, so a wallet resolves the issuer and
verifies the signature with nothing but this site.

The private key comes from CANDOR_BADGE_SIGNING_KEY (a PEM string, from the
environment in production); without it, from the PEM file at
CANDOR_BADGE_KEY_FILE, which the first signature creates (mode 0600, never
committed: var/ is ignored by git).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings

ALGORITHM = "EdDSA"
MEDIA_TYPE = "application/vc+jwt"


def issuer_did() -> str:
    """did:web of this site (a port is percent-encoded, as did:web requires)."""
    netloc = urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc
    return "did:web:" + netloc.replace(":", "%3A")


def _load_pem(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("The badge signing key must be an Ed25519 private key.")
    return key


def _key_file_create_or_read(path: Path) -> bytes:
    """Read the key file, creating it first if it is missing (race-safe: O_EXCL)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return pem


@lru_cache(maxsize=4)
def _private_key(setting: str, path: str) -> Ed25519PrivateKey:
    return _load_pem(setting.encode() if setting else _key_file_create_or_read(Path(path)))


def private_key() -> Ed25519PrivateKey:
    return _private_key(
        getattr(settings, "CANDOR_BADGE_SIGNING_KEY", ""), str(settings.CANDOR_BADGE_KEY_FILE)
    )


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def public_jwk(key: Ed25519PrivateKey | None = None) -> dict:
    """The public key as a JWK whose kid is `<did>#<RFC 7638 thumbprint>`."""
    public = (key or private_key()).public_key()
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    jwk = {"crv": "Ed25519", "kty": "OKP", "x": _b64url(raw)}
    thumbprint = _b64url(hashlib.sha256(json.dumps(jwk, separators=(",", ":"), sort_keys=True).encode()).digest())
    return {**jwk, "kid": f"{issuer_did()}#{thumbprint}", "alg": ALGORITHM, "use": "sig"}


def jwks() -> dict:
    return {"keys": [public_jwk()]}


def did_document() -> dict:
    did = issuer_did()
    jwk = public_jwk()
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"],
        "id": did,
        "verificationMethod": [
            {
                "id": jwk["kid"],
                "type": "JsonWebKey",
                "controller": did,
                "publicKeyJwk": {k: jwk[k] for k in ("kty", "crv", "x")},
            }
        ],
        "assertionMethod": [jwk["kid"]],
        "authentication": [jwk["kid"]],
    }


def sign(credential: dict) -> str:
    """The credential as a compact JWS (VC-JOSE: the payload is the credential itself)."""
    key = private_key()
    headers = {"kid": public_jwk(key)["kid"], "typ": "vc+jwt", "cty": "vc"}
    return jwt.encode(credential, key, algorithm=ALGORITHM, headers=headers)


def check_signing_key(app_configs=None, **kwargs):
    """System check: a set CANDOR_BADGE_SIGNING_KEY must be an Ed25519 PEM (else badges would 500)."""
    from django.core.checks import Error

    pem = getattr(settings, "CANDOR_BADGE_SIGNING_KEY", "")
    if not pem:
        return []
    try:
        _load_pem(pem.encode())
    except (ValueError, TypeError) as exc:
        return [Error(f"CANDOR_BADGE_SIGNING_KEY is not an Ed25519 private key in PEM: {exc}",
                      hint="manage.py community_badge_key --new prints one.", id="community.E101")]
    return []
