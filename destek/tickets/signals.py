from django.dispatch import Signal

# Sent on commit by tickets.actions; the mail outbox, notifications and webhooks listen here.
ticket_created = Signal()  # ticket=, message=
ticket_updated = Signal()  # ticket=, changed=[field names]
message_created = Signal()  # ticket=, message=

# Sent INSIDE the reply's transaction (not on commit): the mail app writes the outbox row here so
# a reply and the mail that carries it exist together or not at all (DESIGN §5).
reply_written = Signal()  # ticket=, message=
