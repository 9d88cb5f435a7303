from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "destek.reports"
    label = "reports"
    verbose_name = _("Raporlar")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save, pre_delete

        from destek.reports import upkeep
        from destek.tickets.models import Category, Message, Team, Ticket
        from destek.tickets.signals import ticket_written

        post_save.connect(upkeep.on_ticket_saved, sender=Ticket, dispatch_uid="reports.ticket")
        # Connected after the SLA app's receiver (INSTALLED_APPS order): the due times are stored.
        ticket_written.connect(upkeep.on_ticket_written, dispatch_uid="reports.written")
        pre_delete.connect(upkeep.on_ticket_deleted, sender=Ticket, dispatch_uid="reports.gone")
        post_save.connect(upkeep.on_message_saved, sender=Message, dispatch_uid="reports.message")
        # Deleting these nulls the tickets' columns without a save: the tallies follow.
        for model, receiver in (
            (Category, upkeep.on_category_deleted),
            (Team, upkeep.on_team_deleted),
            (get_user_model(), upkeep.on_user_deleted),
        ):
            post_delete.connect(receiver, sender=model, dispatch_uid=f"reports.{model.__name__}")
