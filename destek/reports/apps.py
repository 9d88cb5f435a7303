from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "destek.reports"
    label = "reports"
    verbose_name = _("Raporlar")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from destek.reports import upkeep
        from destek.tickets.models import Message, Ticket

        post_save.connect(upkeep.on_ticket_saved, sender=Ticket, dispatch_uid="reports.ticket")
        post_save.connect(upkeep.on_message_saved, sender=Message, dispatch_uid="reports.message")
