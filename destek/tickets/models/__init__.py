from destek.tickets.models.canned import CannedReply
from destek.tickets.models.customer import Customer, Organization
from destek.tickets.models.message import Attachment, Message, MessageKind
from destek.tickets.models.team import AssignmentMode, Team
from destek.tickets.models.ticket import (
    Category,
    EventKind,
    Priority,
    Tag,
    Ticket,
    TicketEvent,
)
from destek.tickets.status import Status

__all__ = [
    "AssignmentMode",
    "Attachment",
    "CannedReply",
    "Category",
    "Customer",
    "EventKind",
    "Message",
    "MessageKind",
    "Organization",
    "Priority",
    "Status",
    "Tag",
    "Ticket",
    "Team",
    "TicketEvent",
]
