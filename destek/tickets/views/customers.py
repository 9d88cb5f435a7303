"""Customers: search, one customer with all their tickets, and correcting their details."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from destek.accounts.permissions import Capability, workspace_view
from destek.tickets import actions
from destek.tickets.access import get_customer_for
from destek.tickets.forms import CustomerForm, CustomerSearchForm
from destek.tickets.models import Customer
from destek.tickets.status import ACTIVE

PER_PAGE = 50


@workspace_view(Capability.READ_TICKETS)
def customer_list(request: HttpRequest) -> HttpResponse:
    form = CustomerSearchForm(request.GET)
    customers = (
        Customer.objects.for_workspace(request.workspace)
        .select_related("organization")
        .annotate(
            ticket_count=Count("tickets"),
            open_count=Count("tickets", filter=Q(tickets__status__in=ACTIVE)),
        )
        .order_by("name", "email")
    )
    if form.is_valid() and form.cleaned_data["q"]:
        text = form.cleaned_data["q"].strip()
        customers = customers.filter(
            Q(name__icontains=text)
            | Q(email__icontains=text)
            | Q(organization__name__icontains=text)
        )
    page = Paginator(customers, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "tickets/customer_list.html", {"form": form, "page_obj": page})


def _customer_page(
    request: HttpRequest, customer: Customer, form: CustomerForm | None = None
) -> HttpResponse:
    tickets = customer.tickets.select_related("workspace", "assignee", "category").order_by(
        "-created_at", "-number"
    )
    initial = {
        "name": customer.name,
        "phone": customer.phone,
        "notes": customer.notes,
        "organization": customer.organization.name if customer.organization else "",
    }
    context = {
        "customer": customer,
        "form": form or CustomerForm(initial=initial),
        "page_obj": Paginator(tickets, PER_PAGE).get_page(request.GET.get("page")),
    }
    return render(request, "tickets/customer_detail.html", context)


@workspace_view(Capability.READ_TICKETS)
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _customer_page(request, get_customer_for(request, pk))


@workspace_view(Capability.WORK_TICKETS)
@require_POST
def customer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_customer_for(request, pk)
    form = CustomerForm(request.POST)
    if not form.is_valid():
        return _customer_page(request, customer, form)
    data = form.cleaned_data
    actions.update_customer(
        customer=customer,
        name=data["name"],
        phone=data["phone"],
        notes=data["notes"],
        organization_name=data["organization"],
    )
    messages.success(request, _("Müşteri bilgileri kaydedildi."))
    return redirect("customer_detail", request.workspace.slug, customer.pk)
