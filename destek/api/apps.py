from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "destek.api"
    label = "api"
    verbose_name = _("API ve webhook'lar")

    def ready(self) -> None:
        from destek.api.webhooks import receivers  # noqa: F401  (connects the signal receivers)
