"""Background jobs of the reports app, run by the Huey consumer (``destek worker``)."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from destek.reports.digest import send_weekly


# Monday 06:00 UTC = 09:00 in Istanbul, the start of the working week.
@db_periodic_task(crontab(day_of_week="1", hour="6", minute="0"))
def weekly_summary() -> int:
    return send_weekly(timezone.now())
