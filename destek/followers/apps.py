from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowersConfig(AppConfig):
    name = "destek.followers"
    label = "followers"
    verbose_name = _("Takipçiler ve bahsetmeler")

    def ready(self) -> None:
        from destek.followers import receivers
        from destek.tickets import signals

        # On commit: notices about what is already stored.
        signals.message_created.connect(receivers.on_message_created, dispatch_uid="followers.msg")
        signals.ticket_updated.connect(receivers.on_ticket_updated, dispatch_uid="followers.upd")
