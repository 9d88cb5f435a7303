from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operating Destek: backups and restores of the whole installation, and the database
    connection's set-up."""

    name = "destek.ops"
    label = "ops"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from destek.lib.postgres import use_fast_loaders
        from destek.lib.sqlite_wal import checkpoint_elsewhere

        connection_created.connect(use_fast_loaders, dispatch_uid="ops.fast_loaders")
        connection_created.connect(checkpoint_elsewhere, dispatch_uid="ops.sqlite_checkpoints")
