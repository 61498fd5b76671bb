"""The badge issuer's public key: JWKS and did:web document under /.well-known/.

Both are public, identical for every visitor and change only when the key
does, so they carry an hour of public cache and CORS for browser wallets.
"""

from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import badge_signing

KEY_CACHE = cache_control(public=True, max_age=3600)


def _json(body: dict, content_type: str) -> JsonResponse:
    response = JsonResponse(body, json_dumps_params={"indent": 2})
    response["Content-Type"] = content_type
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
@KEY_CACHE
def jwks(request):
    return _json(badge_signing.jwks(), "application/jwk-set+json")


@require_safe
@KEY_CACHE
def did_document(request):
    return _json(badge_signing.did_document(), "application/did+json")
