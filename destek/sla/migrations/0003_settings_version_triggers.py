from django.db import migrations

from destek.accounts.settings_triggers import watch_table


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_workspace_settings_version"),
        ("sla", "0002_seed_existing_workspaces"),
    ]

    operations = [
        watch_table("sla_slapolicy"),
        watch_table("sla_businesscalendar"),
        watch_table("sla_openinghours"),
        watch_table("sla_closedday"),
    ]
