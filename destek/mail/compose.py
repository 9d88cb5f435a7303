"""An outbox row → the MIME message that goes out (DESIGN §5 outbound). No network.

Every mail to a customer says who it is from (the business's own address), carries the tracking
code in the subject and a signed Message-ID, answers the customer's last mail through
``In-Reply-To``/``References``, and hides the signed body token in a small footer line, so the
customer's answer finds its ticket even when a provider rewrites Message-IDs. Automatic mail says
so (``Auto-Submitted``, RFC 3834) so that well-behaved auto-responders don't answer it.
"""

from __future__ import annotations

import email.policy
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from zoneinfo import ZoneInfo

from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import override

from destek.mail import tokens
from destek.mail.models import Mailbox, OutboundEmail, OutboundKind

AUTOMATIC_KINDS = frozenset(
    {OutboundKind.ACKNOWLEDGEMENT, OutboundKind.NOTIFICATION, OutboundKind.REMINDER}
)
# Kinds that go to the customer: they carry the signature and the body token.
CUSTOMER_KINDS = frozenset({OutboundKind.REPLY, OutboundKind.ACKNOWLEDGEMENT})
_FOOTER_STYLE = "color:#8a8a8a;font-size:11px;margin-top:24px"


def _address(address: str, name: str = "") -> Address:
    local, _at, domain = address.rpartition("@")
    return Address(display_name=name, username=local, domain=domain)


def _names(outbound: OutboundEmail) -> dict[str, str]:
    """Display names we know for the recipients: the customer's and the participants'."""
    names: dict[str, str] = {}
    ticket = outbound.ticket
    if ticket is not None and outbound.kind in CUSTOMER_KINDS:
        names[ticket.customer.email.lower()] = ticket.customer.name
        for email, name in ticket.participants.values_list("email", "name"):
            names.setdefault(email.lower(), name)
    return names


def _footer(outbound: OutboundEmail) -> str:
    ticket = outbound.ticket
    if ticket is None or outbound.kind not in CUSTOMER_KINDS:
        return ""
    token = tokens.make_body_token(workspace_id=ticket.workspace_id, ticket_id=ticket.pk)
    return _("Takip kodu: %(code)s") % {"code": ticket.code} + f" · {token}"


def _text_and_html(outbound: OutboundEmail, mailbox: Mailbox) -> tuple[str, str | None]:
    """The plain-text body and, for replies, the HTML alternative."""
    message = outbound.ticket_message
    text = message.text if message is not None else outbound.body
    signature = mailbox.signature.strip() if outbound.kind in CUSTOMER_KINDS else ""
    footer = _footer(outbound)
    plain = text.rstrip()
    if signature:
        plain += f"\n\n-- \n{signature}"
    if footer:
        plain += f"\n\n{footer}"
    if message is None or not message.html:
        return plain + "\n", None
    html = message.html
    if signature:
        html += f'\n<div class="signature">{linebreaks(escape(signature))}</div>'
    if footer:
        html += f'\n<p style="{_FOOTER_STYLE}">{escape(footer)}</p>'
    return plain + "\n", f"<!DOCTYPE html>\n<html><body>\n{html}\n</body></html>\n"


def _ids(value: str) -> str:
    return " ".join(f"<{message_id}>" for message_id in value.split())


def load_for_compose(pk: int) -> OutboundEmail:
    """Outbox row ``pk`` with what :func:`compose` reads joined in."""
    return OutboundEmail.objects.select_related(
        "mailbox__workspace", "ticket__workspace", "ticket__customer", "ticket_message"
    ).get(pk=pk)


def compose(outbound: OutboundEmail, *, now: datetime) -> EmailMessage:
    """The message for ``outbound`` (its mailbox, ticket and message loaded by the caller)."""
    mailbox = outbound.mailbox
    workspace = mailbox.workspace
    names = _names(outbound)
    msg = EmailMessage(policy=email.policy.default)
    msg["From"] = _address(mailbox.address, mailbox.display_name or workspace.name)
    msg["To"] = [_address(a, names.get(a.lower(), "")) for a in outbound.to]
    if outbound.cc:
        msg["Cc"] = [_address(a, names.get(a.lower(), "")) for a in outbound.cc]
    msg["Subject"] = outbound.subject
    msg["Date"] = format_datetime(now.astimezone(ZoneInfo(workspace.time_zone)))
    msg["Message-ID"] = f"<{outbound.message_id}>"
    if outbound.in_reply_to:
        msg["In-Reply-To"] = f"<{outbound.in_reply_to}>"
    if outbound.references:
        msg["References"] = _ids(outbound.references)
    if outbound.kind in AUTOMATIC_KINDS:
        msg["Auto-Submitted"] = "auto-replied"
        # Exchange/Outlook: no out-of-office answers to this, please.
        msg["X-Auto-Response-Suppress"] = "All"
    with override(workspace.language):
        text, html = _text_and_html(outbound, mailbox)
    msg.set_content(text, cte="quoted-printable")
    if html is not None:
        msg.add_alternative(html, subtype="html", cte="quoted-printable")
    if outbound.ticket_message is not None:
        for attachment in outbound.ticket_message.attachments.all():
            with attachment.file.open("rb") as handle:
                data = handle.read()
            maintype, _slash, subtype = attachment.content_type.partition("/")
            if not subtype:
                maintype, subtype = "application", "octet-stream"
            msg.add_attachment(
                data, maintype=maintype, subtype=subtype, filename=attachment.filename
            )
    return msg


def recipients(outbound: OutboundEmail) -> list[str]:
    """The SMTP envelope recipients: every To and Cc address once."""
    return list(dict.fromkeys(a.lower() for a in [*outbound.to, *outbound.cc]))


def as_bytes(msg: EmailMessage) -> bytes:
    return msg.as_bytes(policy=email.policy.SMTP)
