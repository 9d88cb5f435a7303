from django.dispatch import Signal

# Sent on commit by tickets.actions; the mail outbox, notifications and webhooks listen here.
ticket_created = Signal()  # ticket=, message=
ticket_updated = Signal()  # ticket=, changed=[field names]
message_created = Signal()  # ticket=, message=
