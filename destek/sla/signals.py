from django.dispatch import Signal

# Sent on commit when a near-breach (80 %) or breach alert was raised on a ticket, once per
# alert; automation rules listen here. ``clock`` is "first_response" or "resolution", ``kind``
# the alert's EventKind value ("sla_warning" or "sla_breach").
sla_alert_raised = Signal()  # ticket=, clock=, kind=
