"""Content-Security-Policy with a fresh nonce per response, and the other security headers.

Templates write ``{% csp_nonce %}`` (a placeholder derived from the secret key)
in ``<script nonce>`` and ``<style nonce>``; this middleware, the outermost
that sees HTML, swaps the placeholder for a new random nonce on every response,
after the page cache. A page served from the cache therefore never repeats a
nonce, and the policy can stay strict: no ``'unsafe-inline'`` for scripts.

Style *attributes* are allowed (``style-src-attr 'unsafe-inline'``): a few
templates set CSS custom properties and widths inline (``style="--size: 48px"``),
and user HTML never carries a ``style`` attribute (the Markdown sanitizer drops
it), so this lets through no user-controlled CSS.

The Wagtail admin gets a relaxed policy (its pages use inline scripts and
styles); responses that already carry a policy (Wagtail's image and document
serve views) keep their own.
"""

import secrets

from django.conf import settings

from .cache import placeholders


def _admin(path: str) -> bool:
    return path.startswith("/admin/")


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce
        response = self.get_response(request)
        if (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and placeholders.csp in response.content
        ):
            response.content = response.content.replace(
                placeholders.csp, nonce.encode()
            )
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        if "Content-Security-Policy" not in response:
            policy = (
                settings.CANDOR_CSP_ADMIN
                if _admin(request.path_info)
                else settings.CANDOR_CSP
            )
            response["Content-Security-Policy"] = policy.format(nonce=nonce)
        response.headers.setdefault(
            "Permissions-Policy", settings.CANDOR_PERMISSIONS_POLICY
        )
        return response
