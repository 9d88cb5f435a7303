from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AutomationConfig(AppConfig):
    name = "destek.automation"
    label = "automation"
    verbose_name = _("Otomasyon kuralları")

    def ready(self) -> None:
        from destek.automation import receivers

        receivers.connect()
