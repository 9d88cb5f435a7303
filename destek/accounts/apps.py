from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "destek.accounts"
    label = "accounts"
    verbose_name = _("Hesaplar")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from destek.accounts import checks  # noqa: F401 (registers the deployment checks)
        from destek.accounts.audit import (
            record_login,
            record_login_failed,
            throttle_login_failed,
        )

        user_logged_in.connect(record_login, dispatch_uid="accounts.audit_login")
        user_login_failed.connect(record_login_failed, dispatch_uid="accounts.audit_login_failed")
        user_login_failed.connect(throttle_login_failed, dispatch_uid="accounts.throttle_login")
