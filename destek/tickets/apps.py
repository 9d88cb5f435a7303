from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "destek.tickets"
    label = "tickets"
    verbose_name = _("Talepler")

    def ready(self) -> None:
        from destek.accounts.signals import member_removed, workspace_created
        from destek.tickets import assignment, signals
        from destek.tickets.setup import release_removed_member, seed_workspace

        workspace_created.connect(seed_workspace, dispatch_uid="tickets.seed_workspace")
        member_removed.connect(release_removed_member, dispatch_uid="tickets.release_member")
        # Before any other app's ticket_created receiver (apps are ready in INSTALLED_APPS
        # order): rules, routing and assignment happen first, notifications see the result.
        signals.ticket_created.connect(
            assignment.on_ticket_created, dispatch_uid="tickets.assignment.arrived"
        )
