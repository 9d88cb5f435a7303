from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "destek.sla"
    label = "sla"
    verbose_name = _("SLA")

    def ready(self) -> None:
        from destek.accounts.signals import workspace_created
        from destek.sla.services import on_ticket_written, seed_workspace
        from destek.tickets.signals import ticket_written

        workspace_created.connect(seed_workspace, dispatch_uid="sla.seed_workspace")
        ticket_written.connect(on_ticket_written, dispatch_uid="sla.recompute")
