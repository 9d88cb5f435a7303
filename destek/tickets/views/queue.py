"""The queue, bulk changes and manual ticket creation."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from destek.accounts.models import Workspace
from destek.accounts.permissions import Capability, has_capability, workspace_view
from destek.lib.paging import UncountedPage
from destek.tickets import actions
from destek.tickets.access import (
    get_tickets_for,
    workspace_agents,
    workspace_categories,
    workspace_teams,
)
from destek.tickets.forms import BulkForm, TicketCreateForm
from destek.tickets.models import Ticket
from destek.tickets.queries import (
    COUNTED,
    QUEUES,
    QueueFilterForm,
    queue_key,
    queue_tabs,
    queue_tickets,
    rows_in_order,
)
from destek.tickets.queue_html import render_rows

PER_PAGE = 50


@workspace_view(Capability.USE_WORKSPACE)
def workspace_home(request: HttpRequest) -> HttpResponse:
    # The owner and the admins run the desk from its numbers (DESIGN §8); agents from the queue.
    if has_capability(request.membership, Capability.VIEW_ALL_STATS):
        return redirect("dashboard", request.workspace.slug)
    return redirect("ticket_queue", request.workspace.slug)


@workspace_view(Capability.READ_TICKETS)
def ticket_queue(request: HttpRequest) -> HttpResponse:
    workspace, queue = request.workspace, queue_key(request.GET.get("queue"))
    agents = workspace_agents(workspace)
    form = QueueFilterForm(
        request.GET or None,
        agents=agents,
        categories=workspace_categories(workspace),
        teams=workspace_teams(workspace),
    )
    tickets = queue_tickets(workspace, request.user, queue, form.filters())
    # The filter form swaps only the results when htmx is there; the tabs keep their counts.
    partial = bool(request.htmx and request.htmx.target == "queue-results")
    tabs = None if partial else queue_tabs(workspace, request.user)
    # Unfiltered, the tab's count is the list's length: counted once, for the tab.
    known = None
    if tabs is not None and not form.is_filtered():
        known = next(tab.count for tab in tabs if tab.key == queue)
    context = {
        "queue": queue,
        "queue_label": QUEUES[queue].label,
        "form": form,
        "page_obj": _page(workspace, tickets, queue, request.GET.get("page"), known),
        "bulk_form": BulkForm(agents=agents, auto_id="bulk_%s"),
    }
    if partial:
        return render(request, "tickets/_queue_results.html", context)
    context["tabs"] = tabs
    return render(request, "tickets/queue.html", context)


def _page(
    workspace: Workspace,
    tickets: QuerySet[Ticket],
    queue: str,
    number: str | None,
    count: int | None = None,
) -> Page | UncountedPage:
    """One page of the queue. The page's ids come first, from the ticket indexes alone; then
    its 50 rows with everything a row shows. Asked for in one go, the joins let SQLite's
    planner start from the customers and sort a million tickets (seconds, not milliseconds).
    ``count``, when known, spares the paginator its own."""
    ids = tickets.values_list("pk", flat=True)
    # The done tab holds the whole history: counting it for "page 3 of 19,930" costs more
    # than the page may, so it pages without a count.
    if queue in COUNTED:
        paginator = Paginator(ids, PER_PAGE)
        if count is not None:
            paginator.count = count  # a cached property: this value is used instead
        page = paginator.get_page(number)
    else:
        page = UncountedPage(ids, number, PER_PAGE)
    page.object_list = rows_in_order(workspace, list(page.object_list))
    page.rows_html = render_rows(page.object_list, workspace)
    return page


def _back_to_queue(request: HttpRequest, target: str) -> HttpResponse:
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("ticket_queue", request.workspace.slug)


@workspace_view(Capability.WORK_TICKETS)
@require_POST
def ticket_bulk(request: HttpRequest) -> HttpResponse:
    form = BulkForm(request.POST, agents=workspace_agents(request.workspace))
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, error[0])
        return _back_to_queue(request, request.POST.get("next", ""))
    tickets = get_tickets_for(request, form.cleaned_data["tickets"])
    count, errors = actions.bulk_update(tickets=tickets, actor=request.user, **form.changes())
    if count:
        messages.success(
            request,
            ngettext("%(count)d talep güncellendi.", "%(count)d talep güncellendi.", count)
            % {"count": count},
        )
    for error in errors:
        messages.error(request, error)
    return _back_to_queue(request, form.cleaned_data["next"])


@workspace_view(Capability.WORK_TICKETS)
def ticket_create(request: HttpRequest) -> HttpResponse:
    form = TicketCreateForm(
        request.POST or None,
        request.FILES or None,
        categories=workspace_categories(request.workspace),
    )
    if request.method == "POST" and form.is_valid():
        ticket = _create_ticket(request, form)
        messages.success(request, _("%(code)s oluşturuldu.") % {"code": ticket.code})
        return redirect("ticket_detail", request.workspace.slug, ticket.number)
    return render(request, "tickets/ticket_create.html", {"form": form})


def _create_ticket(request: HttpRequest, form: TicketCreateForm) -> Ticket:
    data = form.cleaned_data
    customer = actions.get_or_create_customer(
        workspace=request.workspace, email=data["email"], name=data["name"]
    )
    return actions.create_ticket(
        workspace=request.workspace,
        customer=customer,
        subject=data["subject"],
        text=data["text"],
        actor=request.user,
        priority=data["priority"] or None,
        category=form.chosen_category(),
        files=data["files"],
    )
