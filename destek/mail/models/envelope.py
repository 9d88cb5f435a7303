from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import Workspace


class MessageEnvelope(models.Model):
    """The email side of a ticket message (received or sent): addresses, subject and ids.

    Threading looks Message-IDs up here (DESIGN §5, rule 1), for mail Destek received as well as
    mail it sent."""

    # Covered by the (workspace, message_id) index.
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    ticket_message = models.OneToOneField(
        "tickets.Message", on_delete=models.CASCADE, related_name="envelope"
    )
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    mailbox = models.ForeignKey(
        "mail.Mailbox", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    inbound = models.ForeignKey(
        "mail.InboundEmail", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_name = models.CharField(max_length=255, blank=True)
    from_address = models.CharField(max_length=320, blank=True)
    reply_to = models.JSONField(default=list, blank=True)  # ["addr", …]
    to = models.JSONField(default=list, blank=True)
    cc = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=998, blank=True)
    message_id = models.CharField(max_length=998, blank=True)
    in_reply_to = models.CharField(max_length=998, blank=True)
    references = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["workspace", "message_id"])]


class Participant(models.Model):
    """Someone on the ticket's conversation besides the customer (Cc): gets the replies, and may
    thread into it by tracking code (DESIGN §5, rule 3)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    # Covered by the unique (ticket, email) index.
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="participants", db_index=False
    )
    email = models.EmailField(_("e-posta"))
    name = models.CharField(_("ad"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket", "email"], name="participant_once"),
        ]
