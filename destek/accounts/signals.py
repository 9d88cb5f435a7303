from django.dispatch import Signal

# Sent with ``workspace=`` right after a workspace is created, inside its transaction, so apps
# further down the dependency chain (tickets, sla, …) can seed their defaults.
workspace_created = Signal()

# Sent with ``membership=`` and ``actor=`` when a member is removed, inside the transaction;
# tickets returns their open tickets to the unassigned queue.
member_removed = Signal()
