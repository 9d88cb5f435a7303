"""The Content-Security-Policy of every page (Django 5.2 has none built in).

Scripts come only from our own static files: templates carry no inline script or handler (a
test scans them). A view may let one page load remote images (a mail the reader asked to see
with its pictures) by setting ``response.csp_remote_images = True``; a response that sets its
own policy (attachment downloads) keeps it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

BASE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    # Inline style attributes are harmless next to script; htmx and mail markup use them.
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "frame-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy(*, remote_images: bool = False) -> str:
    directives = dict(BASE_POLICY)
    if remote_images:
        directives["img-src"] += " https: http:"
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            remote = getattr(response, "csp_remote_images", False)
            response["Content-Security-Policy"] = policy(remote_images=remote)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
