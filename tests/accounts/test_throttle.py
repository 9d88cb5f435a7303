"""destek/accounts/throttle.py: lockout per account and per client address."""

from datetime import timedelta

import pytest
from django.utils import timezone

from destek.accounts import throttle
from destek.accounts.models import LoginFailure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_IP_FAILURE_LIMIT = 5
    settings.LOGIN_LOCKOUT_MINUTES = 15


def _fail(email, ip, times, minutes_ago=0):
    for _ in range(times):
        LoginFailure.objects.create(
            email=email, ip_address=ip, created_at=timezone.now() - timedelta(minutes=minutes_ago)
        )


def test_below_the_limit_nothing_is_locked():
    _fail("ayse@anadolu.test", "10.0.0.1", 2)

    assert throttle.locked_for("ayse@anadolu.test", "10.0.0.1") is None


def test_the_account_locks_at_the_limit_until_the_oldest_failure_leaves_the_window():
    _fail("ayse@anadolu.test", "10.0.0.1", 3, minutes_ago=5)

    assert throttle.locked_for("AYSE@anadolu.test", "10.0.0.9") == ("account", 10)


def test_failures_older_than_the_window_do_not_count():
    _fail("ayse@anadolu.test", "10.0.0.1", 3, minutes_ago=16)

    assert throttle.locked_for("ayse@anadolu.test", "10.0.0.1") is None


def test_one_address_trying_many_accounts_is_locked_out():
    for number in range(5):
        _fail(f"kisi{number}@anadolu.test", "10.0.0.7", 1)

    assert throttle.locked_for("baska@anadolu.test", "10.0.0.7") == ("ip", 15)
    assert throttle.locked_for("baska@anadolu.test", "10.0.0.8") is None


def test_success_clears_the_accounts_failures_only():
    _fail("ayse@anadolu.test", "10.0.0.1", 2)
    _fail("mehmet@anadolu.test", "10.0.0.1", 2)

    throttle.clear("Ayse@anadolu.test")

    assert list(LoginFailure.objects.values_list("email", flat=True)) == [
        "mehmet@anadolu.test",
        "mehmet@anadolu.test",
    ]


def test_purge_removes_rows_older_than_the_window():
    _fail("ayse@anadolu.test", None, 2, minutes_ago=30)
    _fail("ayse@anadolu.test", None, 1)

    assert throttle.purge_old() == 2
    assert LoginFailure.objects.count() == 1


def test_the_periodic_job_purges_old_failures():
    from destek.accounts.tasks import purge_login_failures

    _fail("ayse@anadolu.test", None, 3, minutes_ago=60)

    assert purge_login_failures.call_local() == 3
