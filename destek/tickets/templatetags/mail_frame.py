"""``{% mail_frame m %}``: a received mail's HTML in a sandboxed frame (destek.lib.email_frame),
with the "load remote images" control for that one message."""

from __future__ import annotations

from typing import Any

from django import template

from destek.lib.email_frame import frame_document

register = template.Library()


@register.inclusion_tag("tickets/_mail_frame.html", takes_context=True)
def mail_frame(context: template.Context, message: Any) -> dict[str, Any]:
    allowed = context.get("remote_images_for") == message.pk
    document = frame_document(message.html, remote_images=allowed)
    return {
        "m": message,
        "srcdoc": document.srcdoc,
        "blocked": document.blocked_images,
        "allowed": allowed,
        "workspace": context.get("workspace"),
        "ticket": context.get("ticket"),
    }
