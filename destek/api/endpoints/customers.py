"""Customers and organizations: list, read, create, change; a customer's tickets."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from pydantic import Field

from destek.accounts.permissions import Capability
from destek.api.core import (
    check_if_match,
    decode_cursor,
    encode_cursor,
    etag_of,
    idempotent,
    operation,
)
from destek.api.problems import Problem
from destek.api.schemas import (
    CleanSchema,
    CustomerIn,
    CustomerOut,
    CustomerPatch,
    OrganizationIn,
    OrganizationOut,
    TicketOut,
)
from destek.tickets import actions
from destek.tickets.models import Customer, Organization, Ticket

router = Router(tags=["customers"])
READ, WORK = Capability.READ_TICKETS, Capability.WORK_TICKETS


class CustomerPage(Schema):
    items: list[CustomerOut]
    next_cursor: str | None


class CustomerFilters(CleanSchema):
    q: str | None = Field(None, max_length=200, description="part of a name or email")
    organization: int | None = None
    cursor: str | None = Field(None, max_length=40)
    limit: int = Field(25, ge=1, le=100)


def customer_for(request: HttpRequest, pk: int) -> Customer:
    return get_object_or_404(Customer, workspace=request.workspace, pk=pk)


def organization_for(request: HttpRequest, pk: int) -> Organization:
    return get_object_or_404(Organization, workspace=request.workspace, pk=pk)


@operation(router, "GET", "/customers", READ, response={200: CustomerPage})
def list_customers(request: HttpRequest, filters: Query[CustomerFilters]):
    customers = Customer.objects.for_workspace(request.workspace).order_by("-pk")
    if filters.q:
        customers = customers.filter(Q(name__icontains=filters.q) | Q(email__icontains=filters.q))
    if filters.organization is not None:
        customers = customers.filter(organization_id=filters.organization)
    if filters.cursor:
        customers = customers.filter(pk__lt=decode_cursor(filters.cursor))
    page = list(customers[: filters.limit + 1])
    more = len(page) > filters.limit
    page = page[: filters.limit]
    return {"items": page, "next_cursor": encode_cursor(page[-1].pk) if more and page else None}


@operation(router, "GET", "/customers/{customer_id}", READ, response={200: CustomerOut})
def get_customer(request: HttpRequest, customer_id: int, response: HttpResponse):
    data = CustomerOut.from_orm(customer_for(request, customer_id))
    response["ETag"] = etag_of(data)
    return data


@operation(router, "POST", "/customers", WORK, response={201: CustomerOut})
@idempotent
def create_customer(request: HttpRequest, payload: CustomerIn):
    """A new customer; 409 when the email is already a customer of the workspace."""
    email = payload.email.strip().lower()
    if Customer.objects.for_workspace(request.workspace).filter(email=email).exists():
        raise Problem(409, "customer-exists", "A customer with this email exists.")
    with transaction.atomic():
        customer = actions.get_or_create_customer(
            workspace=request.workspace, email=email, name=payload.name
        )
        customer = actions.update_customer(
            customer=customer,
            name=payload.name,
            phone=payload.phone,
            notes=payload.notes,
            organization_name=payload.organization,
        )
    return Status(201, CustomerOut.from_orm(customer))


@operation(router, "PATCH", "/customers/{customer_id}", WORK, response={200: CustomerOut})
def update_customer(
    request: HttpRequest, customer_id: int, payload: CustomerPatch, response: HttpResponse
):
    """Correct a customer's details (the email is the identity and does not change)."""
    with transaction.atomic():
        customer = customer_for(request, customer_id)
        check_if_match(request, etag_of(CustomerOut.from_orm(customer)))
        current = {
            "name": customer.name,
            "phone": customer.phone,
            "notes": customer.notes,
            "organization": customer.organization.name if customer.organization_id else "",
        }
        merged = {**current, **payload.model_dump(exclude_unset=True, exclude_none=True)}
        customer = actions.update_customer(
            customer=customer,
            name=merged["name"],
            phone=merged["phone"],
            notes=merged["notes"],
            organization_name=merged["organization"],
        )
    data = CustomerOut.from_orm(customer)
    response["ETag"] = etag_of(data)
    return data


@operation(router, "GET", "/customers/{customer_id}/tickets", READ, response={200: list[TicketOut]})
def customer_tickets(request: HttpRequest, customer_id: int):
    """The customer's tickets, newest first (at most 100)."""
    customer = customer_for(request, customer_id)
    return (
        Ticket.objects.for_workspace(request.workspace)
        .filter(customer=customer)
        .select_related("workspace", "customer", "follow_up_of", "merged_into")
        .prefetch_related("tags")
        .order_by("-number")[:100]
    )


@operation(router, "GET", "/organizations", READ, response={200: list[OrganizationOut]})
def list_organizations(request: HttpRequest):
    return Organization.objects.filter(workspace=request.workspace).order_by("name")


@operation(router, "GET", "/organizations/{organization_id}", READ, response={200: OrganizationOut})
def get_organization(request: HttpRequest, organization_id: int):
    return organization_for(request, organization_id)


def _save_organization(organization: Organization, data: dict) -> Organization:
    for field, value in data.items():
        setattr(organization, field, value.strip())
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError as exc:
        raise Problem(409, "organization-exists", "An organization with this name exists.") from exc
    return organization


@operation(router, "POST", "/organizations", WORK, response={201: OrganizationOut})
@idempotent
def create_organization(request: HttpRequest, payload: OrganizationIn):
    organization = Organization(workspace=request.workspace)
    return Status(
        201, OrganizationOut.from_orm(_save_organization(organization, payload.model_dump()))
    )


@operation(router, "PUT", "/organizations/{organization_id}", WORK, response={200: OrganizationOut})
def update_organization(request: HttpRequest, organization_id: int, payload: OrganizationIn):
    return _save_organization(organization_for(request, organization_id), payload.model_dump())


@operation(router, "DELETE", "/organizations/{organization_id}", WORK, response={204: None})
def delete_organization(request: HttpRequest, organization_id: int):
    """The organization goes; its customers stay, without one."""
    organization_for(request, organization_id).delete()
    return Status(204, None)


@operation(
    router,
    "GET",
    "/organizations/{organization_id}/customers",
    READ,
    response={200: list[CustomerOut]},
)
def organization_customers(request: HttpRequest, organization_id: int):
    return organization_for(request, organization_id).customers.order_by("name", "email")
