"""The signed-in customer's tickets: list, public conversation, reply, solved / reopen."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from destek.accounts.models import Workspace
from destek.portal import csat
from destek.portal.access import customer_view, ticket_for
from destek.portal.files import size_limit_text
from destek.portal.forms import RatingForm, ReplyForm
from destek.tickets import actions
from destek.tickets.models import Attachment, Customer, Ticket
from destek.tickets.models.message import PUBLIC_KINDS
from destek.tickets.status import Status, can_transition

# What the customer's two buttons do, by name (the status machine decides if they may).
STATUS_BUTTONS = {"resolve": Status.RESOLVED, "reopen": Status.OPEN}


@customer_view
def ticket_list(request: HttpRequest, workspace: Workspace, customer: Customer) -> HttpResponse:
    tickets = (
        Ticket.objects.filter(workspace=workspace, customer=customer)
        .select_related("workspace")
        .order_by("-updated_at")
    )
    return render(
        request,
        "portal/ticket_list.html",
        {"workspace": workspace, "customer": customer, "tickets": tickets},
    )


def _detail(request, workspace, customer, ticket, reply_form, status=200) -> HttpResponse:
    conversation = (
        ticket.messages.public()
        .select_related("author", "customer")
        .prefetch_related("attachments")
    )
    rating = csat.rating_of(ticket)
    return render(
        request,
        "portal/ticket_detail.html",
        {
            "workspace": workspace,
            "customer": customer,
            "ticket": ticket,
            "conversation": conversation,
            "reply_form": reply_form,
            "size_limit": size_limit_text(),
            "can_resolve": can_transition(ticket.status, Status.RESOLVED),
            "can_reopen": ticket.status == Status.RESOLVED,
            "rating": rating,
            "rating_form": RatingForm(initial=rating and {"score": rating.score}),
            "can_rate": csat.can_rate(ticket),
            "csat_token": csat.make_token(ticket),
        },
        status=status,
    )


@customer_view
def ticket_detail(
    request: HttpRequest, workspace: Workspace, customer: Customer, number: int
) -> HttpResponse:
    ticket = ticket_for(workspace, customer, number)
    return _detail(request, workspace, customer, ticket, ReplyForm())


@customer_view
@require_POST
def ticket_reply(
    request: HttpRequest, workspace: Workspace, customer: Customer, number: int
) -> HttpResponse:
    ticket = ticket_for(workspace, customer, number)
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, workspace, customer, ticket, form, status=400)
    message = actions.add_customer_message(
        ticket=ticket,
        customer=customer,
        text=form.cleaned_data["text"],
        files=form.cleaned_data["files"],
    )
    if message.ticket_id != ticket.pk:
        # A closed ticket: the answer opened a follow-up, as it would by email.
        messages.success(
            request,
            _("Bu talep kapanmıştı; mesajınızla yeni bir talep açıldı: %(code)s")
            % {"code": message.ticket.code},
        )
        return redirect(
            "portal_ticket", workspace_slug=workspace.slug, number=message.ticket.number
        )
    messages.success(request, _("Yanıtınız gönderildi."))
    return redirect("portal_ticket", workspace_slug=workspace.slug, number=ticket.number)


@customer_view
@require_POST
def ticket_status(
    request: HttpRequest, workspace: Workspace, customer: Customer, number: int
) -> HttpResponse:
    ticket = ticket_for(workspace, customer, number)
    target = STATUS_BUTTONS.get(request.POST.get("action", ""))
    if target is None:
        return HttpResponse(status=400)
    try:
        actions.change_status(ticket=ticket, actor=None, status=target)
    except actions.ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Talebiniz çözüldü olarak işaretlendi. Teşekkür ederiz!")
            if target == Status.RESOLVED
            else _("Talebiniz yeniden açıldı; ekibimiz ilgilenecek."),
        )
    return redirect("portal_ticket", workspace_slug=workspace.slug, number=ticket.number)


@customer_view
def attachment(
    request: HttpRequest, workspace: Workspace, customer: Customer, attachment_id: int
) -> FileResponse:
    """A file of a public message of one of the customer's own tickets; 404 for any other."""
    item = (
        Attachment.objects.filter(
            pk=attachment_id,
            workspace=workspace,
            message__ticket__customer=customer,
            message__kind__in=PUBLIC_KINDS,
        )
        .select_related("message")
        .first()
    )
    if item is None:
        raise Http404
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.filename,
        content_type=item.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
