from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "destek.search"
    label = "search"
    verbose_name = _("Arama")

    def ready(self) -> None:
        from destek.search import receivers

        receivers.connect()
