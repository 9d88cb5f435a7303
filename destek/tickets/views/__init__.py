"""The agent desk's pages, one module per area; ``urls.py`` reaches them through this package."""

from destek.tickets.views.changes import (
    ticket_assign,
    ticket_category,
    ticket_claim,
    ticket_note,
    ticket_priority,
    ticket_reply,
    ticket_status,
    ticket_tags,
)
from destek.tickets.views.customers import customer_detail, customer_edit, customer_list
from destek.tickets.views.queue import ticket_bulk, ticket_create, ticket_queue, workspace_home
from destek.tickets.views.settings import (
    canned_delete,
    canned_edit,
    canned_list,
    canned_move,
    category_delete,
    category_edit,
    category_list,
    category_move,
)
from destek.tickets.views.ticket import attachment_download, canned_reply_text, ticket_detail

__all__ = [
    "attachment_download",
    "canned_delete",
    "canned_edit",
    "canned_list",
    "canned_move",
    "canned_reply_text",
    "category_delete",
    "category_edit",
    "category_list",
    "category_move",
    "customer_detail",
    "customer_edit",
    "customer_list",
    "ticket_assign",
    "ticket_bulk",
    "ticket_category",
    "ticket_claim",
    "ticket_create",
    "ticket_detail",
    "ticket_note",
    "ticket_priority",
    "ticket_queue",
    "ticket_reply",
    "ticket_status",
    "ticket_tags",
    "workspace_home",
]
