from django.db import migrations

from destek.accounts.settings_triggers import watch_table


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_workspace_settings_version"),
        ("tickets", "0014_sparse_link_indexes"),
    ]

    operations = [
        watch_table("tickets_category"),
        # Not last_assigned: round-robin moves it on every assignment and reads it afresh.
        watch_table("tickets_team", ["workspace_id", "name", "assignment_mode"]),
    ]
