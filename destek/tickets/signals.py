from django.dispatch import Signal

# Sent on commit by tickets.actions; the mail outbox, notifications and webhooks listen here.
ticket_created = Signal()  # ticket=, message=
ticket_updated = Signal()  # ticket=, changed=[field names]
message_created = Signal()  # ticket=, message=

# Sent on commit of a new ticket, before automatic assignment: automation rules listen here and
# may set team, assignee, category or priority; then ``assignment.route_and_assign`` runs on the
# ticket as the rules left it (see ``assignment.on_ticket_created``). A receiver returns something
# truthy when it changed the ticket, so the ticket is read again only then.
ticket_arrived = Signal()  # ticket=

# Sent INSIDE the transaction of a merge or a split when messages of ``source`` now belong to
# ``target``: the search index and the mail app (envelopes, participants) follow them.
messages_moved = Signal()  # source=, target=, message_ids=[ids], merged=bool

# Sent INSIDE the reply's transaction (not on commit): the mail app writes the outbox row here so
# a reply and the mail that carries it exist together or not at all (DESIGN §5).
reply_written = Signal()  # ticket=, message=

# Sent INSIDE the action's transaction after a ticket's creation, status, priority or first reply
# is written, so state derived from them (the SLA due times) is stored with the change or not at
# all. ``now`` is the action's time, which may lie in the past (imports, the demo).
ticket_written = Signal()  # ticket=, changed=[names], now=
