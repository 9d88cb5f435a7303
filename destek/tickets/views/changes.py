"""Everything an agent changes on one ticket: POST → form → named action → back to the ticket.

A refused change (``ActionError``, e.g. a move the status machine forbids) comes back as a
message on the ticket page, never as an error page.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from destek.accounts.permissions import Capability, workspace_view
from destek.tickets import actions
from destek.tickets.access import get_ticket_for, workspace_agents, workspace_categories
from destek.tickets.forms import (
    AssignForm,
    CategoryForm,
    NoteForm,
    PriorityForm,
    ReplyForm,
    StatusForm,
    TagsForm,
)
from destek.tickets.models import Ticket
from destek.tickets.views.ticket import render_ticket


def _back(request: HttpRequest, ticket: Ticket, anchor: str = "") -> HttpResponse:
    response = redirect("ticket_detail", request.workspace.slug, ticket.number)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _apply(
    request: HttpRequest,
    ticket: Ticket,
    form: forms.Form,
    change: Callable[[], object],
    done: str,
) -> HttpResponse:
    """Run ``change`` when the form is valid; report the outcome as a message either way."""
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return _back(request, ticket)
    try:
        change()
    except actions.ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return _back(request, ticket)


@workspace_view(Capability.WORK_TICKETS)
@require_POST
def ticket_reply(request: HttpRequest, number: int) -> HttpResponse:
    ticket = get_ticket_for(request, number)
    form = ReplyForm(request.POST, request.FILES, current_status=ticket.status)
    if not form.is_valid():
        return render_ticket(request, ticket, reply_form=form)
    try:
        message = actions.reply(ticket=ticket, actor=request.user, **form.cleaned_data)
    except actions.ActionError as exc:
        messages.error(request, str(exc))
        return render_ticket(request, ticket, reply_form=form)
    messages.success(request, _("Yanıt kaydedildi; müşteriye e-postayla gönderilecek."))
    return _back(request, ticket, f"m{message.pk}")


@workspace_view(Capability.WORK_TICKETS)
@require_POST
def ticket_note(request: HttpRequest, number: int) -> HttpResponse:
    ticket = get_ticket_for(request, number)
    form = NoteForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_ticket(request, ticket, note_form=form)
    message = actions.add_note(ticket=ticket, actor=request.user, **form.cleaned_data)
    messages.success(request, _("Dahili not eklendi."))
    return _back(request, ticket, f"m{message.pk}")


@workspace_view(Capability.WORK_TICKETS)
@require_POST
def ticket_claim(request: HttpRequest, number: int) -> HttpResponse:
    ticket = get_ticket_for(request, number)
    return _apply(
        request,
        ticket,
        forms.Form(request.POST),
        lambda: actions.claim(ticket=ticket, actor=request.user),
        _("Talep üzerinize alındı."),
    )


@workspace_view(Capability.WORK_TICKETS)
@require_POST
def ticket_assign(request: HttpRequest, number: int) -> HttpResponse:
    ticket = get_ticket_for(request, number)
    form = AssignForm(request.POST, agents=workspace_agents(request.workspace))
    return _apply(
        request,
        ticket,
        form,
        lambda: actions.assign(ticket=ticket, actor=request.user, assignee=form.chosen()),
        _("Atama güncellendi."),
    )


@workspace_view(Capability.WORK_TICKETS)
@require_POST
def ticket_status(request: HttpRequest, number: int) -> HttpResponse:
    ticket = get_ticket_for(request, number)
    form = StatusForm(request.POST, current_status=ticket.status)
    return _apply(
        request,
        ticket,
        form,
        lambda: actions.change_status(
            ticket=ticket, actor=request.user, status=form.cleaned_data["status"]
        ),
        _("Durum güncellendi."),
    )


@workspace_view(Capability.WORK_TICKETS)
@require_POST
def ticket_priority(request: HttpRequest, number: int) -> HttpResponse:
    ticket = get_ticket_for(request, number)
    form = PriorityForm(request.POST)
    return _apply(
        request,
        ticket,
        form,
        lambda: actions.set_priority(
            ticket=ticket, actor=request.user, priority=form.cleaned_data["priority"]
        ),
        _("Öncelik güncellendi."),
    )


@workspace_view(Capability.WORK_TICKETS)
@require_POST
def ticket_category(request: HttpRequest, number: int) -> HttpResponse:
    ticket = get_ticket_for(request, number)
    form = CategoryForm(request.POST, categories=workspace_categories(request.workspace))
    return _apply(
        request,
        ticket,
        form,
        lambda: actions.set_category(ticket=ticket, actor=request.user, category=form.chosen()),
        _("Kategori güncellendi."),
    )


@workspace_view(Capability.WORK_TICKETS)
@require_POST
def ticket_tags(request: HttpRequest, number: int) -> HttpResponse:
    ticket = get_ticket_for(request, number)
    form = TagsForm(request.POST)
    return _apply(
        request,
        ticket,
        form,
        lambda: actions.set_tags(ticket=ticket, actor=request.user, names=form.names()),
        _("Etiketler güncellendi."),
    )
