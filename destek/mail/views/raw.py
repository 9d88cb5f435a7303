"""The raw ``.eml`` of a received mail, as evidence: exactly the stored bytes, never rendered."""

from __future__ import annotations

from django.http import HttpResponse

from destek.mail.models import InboundEmail


def eml_response(inbound: InboundEmail) -> HttpResponse:
    response = HttpResponse(bytes(inbound.raw), content_type="message/rfc822")
    # The file name says nothing about the mail (subjects and senders stay out of URLs and logs).
    response["Content-Disposition"] = f'attachment; filename="{inbound.sha256[:16]}.eml"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
