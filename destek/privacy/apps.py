from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """KVKK tooling: a customer's data exported or erased, retention, evidence bundles."""

    name = "destek.privacy"
    label = "privacy"
    verbose_name = _("Kişisel veriler (KVKK)")
