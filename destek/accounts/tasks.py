"""Background jobs of the accounts app, run by the Huey consumer (``destek worker``)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from destek.accounts import throttle


@db_periodic_task(crontab(minute="*/30"))
def purge_login_failures() -> int:
    """Failed logins older than the lockout window count for nothing: remove them."""
    return throttle.purge_old()
