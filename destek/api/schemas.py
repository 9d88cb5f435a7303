"""The API's input and output shapes (pydantic, via django-ninja): the OpenAPI schema is
generated from these."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, field_validator

from destek.tickets.models import Priority
from destek.tickets.status import Status


def _email(value: str) -> str:
    # Django's validator: the same rule as the web forms, without pulling in email-validator.
    value = value.strip().lower()
    try:
        validate_email(value)
    except DjangoValidationError as exc:
        raise ValueError("not a valid email address") from exc
    return value


EmailStr = Annotated[str, Field(max_length=254), AfterValidator(_email)]
StatusName = Literal[tuple(Status.values)]  # type: ignore[valid-type]
PriorityName = Literal[tuple(Priority.values)]  # type: ignore[valid-type]


def _no_nul(value: object) -> object:
    # PostgreSQL cannot store NUL in text: refuse it as bad input rather than fail on save.
    texts = value if isinstance(value, list) else [value]
    if any(isinstance(text, str) and "\x00" in text for text in texts):
        raise ValueError("must not contain the NUL character")
    return value


class CleanSchema(Schema):
    """Every text field of the API's input: no NUL characters."""

    @field_validator("*", mode="after")
    @classmethod
    def _clean(cls, value: object) -> object:
        return _no_nul(value)


class StrictIn(CleanSchema):
    """Input schemas refuse unknown fields, so a typo is an error and not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class ProblemOut(Schema):
    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[dict[str, str]] | None = None


class CustomerRef(Schema):
    id: int
    email: str
    name: str


class TicketOut(Schema):
    number: int
    code: str
    subject: str
    status: str
    priority: str
    category: int | None = Field(None, alias="category_id")
    team: int | None = Field(None, alias="team_id")
    assignee: int | None = Field(None, alias="assignee_id")
    customer: CustomerRef
    tags: list[str]
    follow_up_of: str | None
    merged_into: str | None
    reopen_count: int
    created_at: datetime
    updated_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return sorted(tag.name for tag in obj.tags.all())

    # Both lie in the ticket's own workspace: its prefix spares a join that SQLite's planner
    # turns into a scan on a large desk.
    @staticmethod
    def resolve_follow_up_of(obj) -> str | None:
        return f"{obj.workspace.prefix}-{obj.follow_up_of.number}" if obj.follow_up_of_id else None

    @staticmethod
    def resolve_merged_into(obj) -> str | None:
        return f"{obj.workspace.prefix}-{obj.merged_into.number}" if obj.merged_into_id else None


class TicketPage(Schema):
    items: list[TicketOut]
    next_cursor: str | None


class TicketIn(StrictIn):
    customer_email: EmailStr
    customer_name: str = Field("", max_length=200)
    subject: str = Field(..., min_length=1, max_length=255)
    text: str = Field(..., min_length=1, max_length=100_000)
    priority: PriorityName | None = None
    category: int | None = None
    tags: list[str] = Field(default_factory=list, max_length=20)


class TicketPatch(StrictIn):
    status: StatusName | None = None
    priority: PriorityName | None = None
    category: int | None = None
    team: int | None = None
    assignee: int | None = None
    tags: list[str] | None = Field(None, max_length=20)


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str


class MessageOut(Schema):
    id: int
    kind: str
    text: str
    html: str
    author: int | None = Field(None, alias="author_id")
    customer: int | None = Field(None, alias="customer_id")
    created_at: datetime
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_attachments(obj) -> list:
        return list(obj.attachments.all())


class ReplyIn(StrictIn):
    text: str = Field(..., min_length=1, max_length=100_000)
    status: StatusName | None = None


class NoteIn(StrictIn):
    text: str = Field(..., min_length=1, max_length=100_000)


class OrganizationOut(Schema):
    id: int
    name: str
    domain: str
    notes: str


class OrganizationIn(StrictIn):
    name: str = Field(..., min_length=1, max_length=200)
    domain: str = Field("", max_length=200)
    notes: str = Field("", max_length=10_000)


class CustomerOut(Schema):
    id: int
    email: str
    name: str
    phone: str
    notes: str
    organization: int | None = Field(None, alias="organization_id")
    created_at: datetime


class CustomerIn(StrictIn):
    email: EmailStr
    name: str = Field("", max_length=200)
    phone: str = Field("", max_length=40)
    notes: str = Field("", max_length=10_000)
    organization: str = Field("", max_length=200, description="Organization name; blank: none")


class CustomerPatch(StrictIn):
    name: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=40)
    notes: str | None = Field(None, max_length=10_000)
    organization: str | None = Field(None, max_length=200)


class CategoryOut(Schema):
    id: int
    name: str
    default_priority: str
    is_critical: bool
    team: int | None = Field(None, alias="team_id")


class CategoryIn(StrictIn):
    name: str = Field(..., min_length=1, max_length=120)
    default_priority: PriorityName | Literal[""] = ""
    is_critical: bool = False


class TagOut(Schema):
    id: int
    name: str


class TeamOut(Schema):
    id: int
    name: str
    assignment_mode: str
    members: list[int]

    @staticmethod
    def resolve_members(obj) -> list[int]:
        return sorted(membership.user_id for membership in obj.members.all())


class AgentOut(Schema):
    id: int
    email: str
    name: str
    role: str
    is_available: bool


class AvailabilityIn(StrictIn):
    is_available: bool


class CannedReplyOut(Schema):
    id: int
    title: str
    body: str


class MeOut(Schema):
    id: int
    email: str
    name: str
    role: str
    workspace: str
    scopes: list[str]
    capabilities: list[str]


class WebhookOut(Schema):
    id: int
    url: str
    events: list[str]
    is_active: bool
    is_internal: bool
    failure_count: int
    disabled_reason: str
    created_at: datetime


class WebhookCreated(WebhookOut):
    secret: str


class WebhookIn(StrictIn):
    url: str = Field(..., min_length=1, max_length=500)
    events: list[str] = Field(..., min_length=1)
    is_active: bool = True
    is_internal: bool = False


class WebhookPatch(StrictIn):
    url: str | None = Field(None, min_length=1, max_length=500)
    events: list[str] | None = Field(None, min_length=1)
    is_active: bool | None = None
    is_internal: bool | None = None


class DeliveryOut(Schema):
    id: int
    event: str
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str
    created_at: datetime
    delivered_at: datetime | None
    next_attempt_at: datetime
