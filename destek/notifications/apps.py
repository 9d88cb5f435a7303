from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "destek.notifications"
    label = "notifications"
    verbose_name = _("Bildirimler")

    def ready(self) -> None:
        from destek.notifications import receivers
        from destek.tickets import signals

        signals.ticket_updated.connect(
            receivers.on_ticket_updated, dispatch_uid="notifications.assigned"
        )
        signals.message_created.connect(
            receivers.on_message_created, dispatch_uid="notifications.customer_reply"
        )
