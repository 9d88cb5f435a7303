"""Background jobs of the SLA app, run by the Huey consumer (``destek worker``)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from destek.sla.alerts import raise_alerts


# Every minute: a one-hour target must not be reported late by more than a minute.
@db_periodic_task(crontab())
def check_sla() -> int:
    return raise_alerts()
