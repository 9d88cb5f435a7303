"""Workspaces created before the SLA app get its defaults (new ones get them from a signal).

The values are written out here rather than imported: a migration must keep meaning what it
meant when it was written, whatever the defaults become later.
"""

import datetime

from django.db import migrations

HOURS = {day: (datetime.time(9), datetime.time(18)) for day in range(5)}
POLICIES = {
    "P0": (60, 480, False),
    "P1": (240, 540, True),
    "P2": (540, 1620, True),
    "P3": (1080, None, True),
}


def seed(apps, schema_editor):
    Workspace = apps.get_model("accounts", "Workspace")
    BusinessCalendar = apps.get_model("sla", "BusinessCalendar")
    OpeningHours = apps.get_model("sla", "OpeningHours")
    SlaPolicy = apps.get_model("sla", "SlaPolicy")
    for workspace in Workspace.objects.filter(business_calendar__isnull=True):
        BusinessCalendar.objects.create(workspace=workspace, public_holidays=True)
        OpeningHours.objects.bulk_create(
            OpeningHours(workspace=workspace, weekday=day, opens=opens, closes=closes)
            for day, (opens, closes) in HOURS.items()
        )
        SlaPolicy.objects.bulk_create(
            SlaPolicy(
                workspace=workspace,
                priority=priority,
                first_response_minutes=first,
                resolution_minutes=resolution,
                business_hours=business,
            )
            for priority, (first, resolution, business) in POLICIES.items()
        )


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
