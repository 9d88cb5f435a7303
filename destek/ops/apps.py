from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operating Destek: backups and restores of the whole installation."""

    name = "destek.ops"
    label = "ops"
