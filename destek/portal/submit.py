"""A ticket opened on the portal: the customer (found or created by address), the ticket through
the same action as mail, deflection bookkeeping, and the acknowledgement with a sign-in link."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse

from destek.accounts.models import Workspace
from destek.portal import kb_link, mail, signin
from destek.tickets import actions
from destek.tickets.models import Category, Customer, Ticket


def open_ticket(
    *,
    workspace: Workspace,
    subject: str,
    description: str,
    customer: Customer | None = None,
    email: str = "",
    name: str = "",
    category: Category | None = None,
    files: Sequence[UploadedFile] = (),
    form_session_id: str = "",
) -> Ticket:
    """Open the ticket and queue the acknowledgement; a guest is identified by ``email``."""
    with transaction.atomic():
        if customer is None:
            customer = actions.get_or_create_customer(workspace=workspace, email=email, name=name)
        ticket = actions.create_ticket(
            workspace=workspace,
            customer=customer,
            subject=subject,
            text=description,
            category=category,
            files=files,
        )
        next_path = reverse(
            "portal_ticket", kwargs={"workspace_slug": workspace.slug, "number": ticket.number}
        )
        issued = signin.issue_link(customer=customer, next_path=next_path)
        mail.acknowledge(ticket=ticket, link_url=issued.url)
    _record_submitted(workspace, form_session_id)
    return ticket


def _record_submitted(workspace: Workspace, form_session_id: str) -> None:
    if not form_session_id or not kb_link.enabled():
        return
    from destek.kb.deflection import record_form_submitted

    record_form_submitted(workspace=workspace, form_session_id=form_session_id)
