from django.db import migrations

from destek.accounts.settings_triggers import watch_table


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0015_settings_version_triggers"),
    ]

    operations = [
        # The ticket page's canned-reply picker is kept with the settings too.
        watch_table("tickets_cannedreply"),
    ]
