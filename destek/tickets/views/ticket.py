"""The ticket page: timeline, composer, side panel; attachment downloads and canned replies."""

from __future__ import annotations

from django.db.models import Count, F, QuerySet, Window
from django.http import FileResponse, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse

from destek.accounts.models import User
from destek.accounts.permissions import Capability, has_capability, workspace_view
from destek.tickets.access import (
    canned_replies_for,
    get_attachment_for,
    get_canned_reply_for,
    get_ticket_for,
    workspace_agents,
    workspace_categories,
    workspace_teams,
)
from destek.tickets.canned import render_canned
from destek.tickets.forms import (
    UNASSIGN,
    AssignForm,
    CategoryForm,
    NoteForm,
    PriorityForm,
    ReplyForm,
    StatusForm,
    TagsForm,
)
from destek.tickets.models import Attachment, Tag, Ticket
from destek.tickets.team_forms import TicketTeamForm
from destek.tickets.timeline import build_timeline
from destek.tickets.timeline_html import (
    TimelinePage,
    attach_people,
    group_by,
    render_timeline,
)

HISTORY_ROWS = 10  # the customer's other tickets shown beside the conversation


def _side_forms(ticket: Ticket, tags: list[Tag], agents: list[User]) -> dict[str, object]:
    """The side panel's small forms, each showing the ticket's current value."""
    workspace = ticket.workspace
    return {
        "assign_form": AssignForm(
            agents=agents,
            initial={"assignee": ticket.assignee_id or UNASSIGN},
            auto_id="assign_%s",
        ),
        "status_form": StatusForm(
            current_status=ticket.status, initial={"status": ticket.status}, auto_id="status_%s"
        ),
        "priority_form": PriorityForm(initial={"priority": ticket.priority}, auto_id="prio_%s"),
        "category_form": CategoryForm(
            categories=workspace_categories(workspace),
            initial={"category": ticket.category_id},
            auto_id="cat_%s",
        ),
        "team_form": TicketTeamForm(
            teams=workspace_teams(workspace), initial={"team": ticket.team_id}, auto_id="team_%s"
        ),
        "tags_form": TagsForm(
            initial={"tags": ", ".join(tag.name for tag in tags)}, auto_id="tags_%s"
        ),
    }


def _history(tickets: QuerySet[Ticket]) -> dict[str, object]:
    """The customer's newest other tickets and how many there are, in one query: the count is
    a window over all of them, computed before the limit."""
    newest = tickets.annotate(all_of_them=Window(Count("pk"))).order_by("-created_at", "-number")
    rows = list(newest[:HISTORY_ROWS])
    return {"history": rows, "history_count": rows[0].all_of_them if rows else 0}


def render_ticket(
    request: HttpRequest,
    ticket: Ticket,
    *,
    reply_form: ReplyForm | None = None,
    note_form: NoteForm | None = None,
    remote_images_for: int | None = None,
) -> HttpResponse:
    """The whole ticket page in a fixed number of queries, however long the conversation."""
    # The email side (whether a raw original is kept) is joined in: no query per message. The
    # authors are the workspace's agents and the ticket's customer, already at hand, rather
    # than a copy of one of them joined to every row.
    messages = list(ticket.messages.annotate(raw_inbound_id=F("envelope__inbound_id")))
    agents = workspace_agents(ticket.workspace)
    attach_people(messages, users=agents, customers=[ticket.customer])
    tags = list(ticket.tags.all())
    # Both lists hold the request's workspace (for their codes) without joining it.
    tickets = Ticket.objects.for_workspace(ticket.workspace)
    history = tickets.filter(customer=ticket.customer).exclude(pk=ticket.pk)
    timeline = build_timeline(messages, ticket.events.select_related("actor"))
    page = TimelinePage(
        ticket=ticket,
        slug=request.workspace.slug,
        can_work=has_capability(request.membership, Capability.WORK_TICKETS),
        csrf_token=get_token(request),
        remote_images_for=remote_images_for,
        # By the ticket, not a list of 200 message ids: psycopg parses a query that long
        # anew on every request, and quotes every id.
        attachments=group_by(Attachment.objects.filter(message__ticket_id=ticket.pk), "message_id"),
        outbound=group_by(ticket.outbound.all(), "ticket_message_id"),
    )
    context = {
        "ticket": ticket,
        "tags": tags,
        "timeline_html": render_timeline(timeline, page),
        "follow_ups": list(tickets.filter(follow_up_of=ticket).order_by("number")),
        **_history(history),
        "canned_replies": canned_replies_for(request.workspace, request.user),
        "reply_form": reply_form or ReplyForm(current_status=ticket.status),
        "note_form": note_form or NoteForm(),
        "remote_images_for": remote_images_for,
        **_side_forms(ticket, tags, agents),
    }
    return render(request, "tickets/ticket_detail.html", context)


@workspace_view(Capability.READ_TICKETS)
def ticket_detail(request: HttpRequest, number: int) -> HttpResponse:
    ticket = get_ticket_for(request, number)
    reply_form = None
    # Without JavaScript the canned-reply picker comes back here with ?canned=<id>.
    if request.GET.get("canned", "").isdigit():
        canned = get_canned_reply_for(request, int(request.GET["canned"]))
        text = render_canned(canned.body, ticket=ticket, agent=request.user)
        reply_form = ReplyForm(current_status=ticket.status, initial={"text": text})
    # "Load remote images" of one message: ?images=<message id>; the page's policy follows.
    images = request.GET.get("images", "")
    remote_for = int(images) if images.isdigit() else None
    response = render_ticket(request, ticket, reply_form=reply_form, remote_images_for=remote_for)
    response.csp_remote_images = remote_for is not None
    return response


@workspace_view(Capability.READ_TICKETS)
def attachment_download(request: HttpRequest, number: int, attachment_id: int) -> HttpResponse:
    attachment = get_attachment_for(request, number, attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    # Files come from strangers: never let the browser guess a type or run them in our origin.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@workspace_view(Capability.WORK_TICKETS)
def canned_reply_text(request: HttpRequest, number: int, canned_id: int) -> HttpResponse:
    """The canned reply filled in for this ticket, as plain text for the composer (htmx); a
    browser without JavaScript is sent to the ticket page with the text in the reply box."""
    ticket = get_ticket_for(request, number)
    canned = get_canned_reply_for(request, canned_id)
    if not request.htmx:
        url = reverse("ticket_detail", args=[request.workspace.slug, ticket.number])
        return redirect(f"{url}?canned={canned.pk}#composer")
    text = render_canned(canned.body, ticket=ticket, agent=request.user)
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
