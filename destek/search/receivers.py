"""The index follows every write in the writer's own transaction (``post_save`` runs inside it):
a message and its words are stored together or not at all."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from destek.search.documents import (
    Document,
    code_text,
    index_text,
    message_column,
    message_text,
    people_text,
)
from destek.search.engines import engine
from destek.search.index import reindex
from destek.tickets import signals
from destek.tickets.models import Attachment, Customer, Message, Ticket


def on_ticket_saved(sender, instance: Ticket, created: bool, raw: bool = False, **kwargs) -> None:
    if not created or raw:
        return
    customer = instance.customer
    engine().put(
        [
            Document(
                instance.pk,
                instance.workspace_id,
                code_text(instance.workspace.prefix, instance.number),
                instance.subject,
                people_text(customer.name, customer.email),
            )
        ]
    )


def on_message_saved(sender, instance: Message, created: bool, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    column = message_column(instance.kind)
    if not created:
        reindex([instance.ticket_id])
    elif column is not None:
        text = index_text(message_text(instance.text, instance.visible_text))
        if not engine().append(instance.ticket_id, column, text):
            reindex([instance.ticket_id])


def on_attachment_saved(
    sender, instance: Attachment, created: bool, raw: bool = False, **kwargs
) -> None:
    if raw or not created:
        return
    ticket_id = instance.message.ticket_id
    if not engine().append(ticket_id, "files", index_text(instance.filename)):
        reindex([ticket_id])


def on_customer_saved(
    sender, instance: Customer, created: bool, raw: bool = False, **kwargs
) -> None:
    if raw or created:
        return
    reindex(Ticket.objects.filter(customer=instance).values_list("pk", flat=True))


def on_ticket_deleted(sender, instance: Ticket, **kwargs) -> None:
    engine().delete([instance.pk])


def on_messages_moved(sender, source: Ticket, target: Ticket, **kwargs) -> None:
    reindex([source.pk, target.pk])


def connect() -> None:
    post_save.connect(on_ticket_saved, sender=Ticket, dispatch_uid="search.ticket")
    post_save.connect(on_message_saved, sender=Message, dispatch_uid="search.message")
    post_save.connect(on_attachment_saved, sender=Attachment, dispatch_uid="search.attachment")
    post_save.connect(on_customer_saved, sender=Customer, dispatch_uid="search.customer")
    post_delete.connect(on_ticket_deleted, sender=Ticket, dispatch_uid="search.ticket_deleted")
    signals.messages_moved.connect(on_messages_moved, dispatch_uid="search.moved")
