"""Mail the portal sends to customers: sign-in links, acknowledgements, survey links.

It goes out through the workspace's support mailbox (the outbox, like every automatic mail) when
one can send, so the customer sees the business's own address; otherwise as system mail.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _

from destek.accounts.models import Workspace
from destek.lib.system_mail import KIND_HEADER, WORKSPACE_HEADER
from destek.mail import outbox, tokens
from destek.mail.models import Mailbox, OutboundKind
from destek.mail.threading import subject_with_code
from destek.tickets.canned import fill_variables
from destek.tickets.models import Ticket


def sending_mailbox(workspace: Workspace) -> Mailbox | None:
    for mailbox in Mailbox.objects.filter(workspace=workspace, is_active=True).order_by("pk"):
        if mailbox.has_smtp():
            return mailbox
    return None


def send_to_customer(
    *,
    workspace: Workspace,
    to: str,
    subject: str,
    body: str,
    kind: str,
    ticket: Ticket | None = None,
    outbound_kind: str = OutboundKind.NOTIFICATION,
    holds_sign_in_link: bool = False,
) -> None:
    mailbox = sending_mailbox(workspace)
    if mailbox is not None:
        message_id = ""
        if ticket is not None:
            # Signed for the ticket: the customer's answer to this mail threads into it.
            message_id = tokens.make_message_id(
                workspace_id=workspace.pk,
                ticket_id=ticket.pk,
                domain=outbox.domain_of(mailbox.address),
            )
        outbox.queue_automatic(
            mailbox=mailbox,
            kind=outbound_kind,
            ticket=ticket,
            to=[to],
            subject=subject,
            body=body,
            message_id=message_id,
            holds_sign_in_link=holds_sign_in_link,
        )
        return
    EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={WORKSPACE_HEADER: workspace.slug, KIND_HEADER: kind},
    ).send()


def acknowledge(*, ticket: Ticket, link_url: str) -> None:
    """ "Talebiniz alındı": the tracking code, and a one-time link to follow the ticket."""
    workspace = ticket.workspace
    mailbox = sending_mailbox(workspace)
    values = {
        "ticket.code": ticket.code,
        "ticket.subject": ticket.subject,
        "customer.name": ticket.customer.display_name,
        "workspace.name": workspace.name,
    }
    with translation.override(workspace.language):
        subject = (mailbox and mailbox.acknowledgement_subject) or _("Talebiniz alındı")
        body = (mailbox and mailbox.acknowledgement_body) or _(
            "Merhaba {{ customer.name }},\n\n"
            "Talebiniz alındı, takip kodunuz {{ ticket.code }}. En kısa sürede size dönüş "
            "yapacağız."
        )
        body = (
            fill_variables(body, values)
            + "\n\n"
            + _(
                "Talebinizi ve yanıtlarımızı buradan izleyebilirsiniz (bağlantı 30 dakika "
                "geçerlidir; sonra destek sayfasından yeni bir giriş bağlantısı isteyebilirsiniz):"
            )
        )
        body += f"\n{link_url}\n"
    send_to_customer(
        workspace=workspace,
        to=ticket.customer.email,
        subject=subject_with_code(fill_variables(subject, values), ticket.code),
        body=body,
        kind="portal-acknowledgement",
        ticket=ticket,
        outbound_kind=OutboundKind.ACKNOWLEDGEMENT,
        holds_sign_in_link=True,
    )
