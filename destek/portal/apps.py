from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "destek.portal"
    label = "portal"
    verbose_name = _("Müşteri portalı")

    def ready(self) -> None:
        from destek.portal import csat
        from destek.tickets import signals

        signals.ticket_updated.connect(csat.on_ticket_updated, dispatch_uid="portal.csat")
