"""The status machine of DESIGN §4, every pair of statuses."""

from datetime import UTC, datetime, timedelta

import pytest

from destek.tickets.status import (
    ALLOWED,
    Status,
    TransitionError,
    after_agent_reply,
    after_claim,
    after_customer_reply,
    can_transition,
    check_transition,
    is_reopen,
    should_auto_close,
)

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
WEEK = timedelta(days=7)

EXPECTED_MOVES = {
    ("new", "open"),
    ("new", "pending"),
    ("new", "resolved"),
    ("new", "closed"),
    ("open", "pending"),
    ("open", "resolved"),
    ("open", "closed"),
    ("pending", "open"),
    ("pending", "resolved"),
    ("pending", "closed"),
    ("resolved", "open"),
    ("resolved", "closed"),
}


@pytest.mark.parametrize("current", Status.values)
@pytest.mark.parametrize("target", Status.values)
def test_every_pair_of_statuses_is_allowed_exactly_as_designed(current, target):
    assert can_transition(current, target) == ((current, target) in EXPECTED_MOVES)


@pytest.mark.parametrize("target", Status.values)
def test_closed_is_final(target):
    with pytest.raises(TransitionError):
        check_transition(Status.CLOSED, target)


def test_nothing_moves_back_to_new():
    assert all(Status.NEW not in targets for targets in ALLOWED.values())


@pytest.mark.parametrize("current", Status.values)
@pytest.mark.parametrize("target", Status.values)
def test_only_leaving_resolved_for_active_work_is_a_reopen(current, target):
    expected = current == "resolved" and target in {"new", "open", "pending"}
    assert is_reopen(current, target) == expected


@pytest.mark.parametrize(
    ("current", "expected"),
    [("new", "open"), ("open", "open"), ("pending", "pending"), ("resolved", "resolved")],
)
def test_agent_reply_starts_work_only_on_new_tickets(current, expected):
    assert after_agent_reply(current) == expected
    assert after_claim(current) == expected


@pytest.mark.parametrize(
    ("current", "status", "reopened", "follow_up"),
    [
        ("new", "new", False, False),
        ("open", "open", False, False),
        ("pending", "open", False, False),
    ],
)
def test_customer_reply_to_active_ticket(current, status, reopened, follow_up):
    outcome = after_customer_reply(current, resolved_at=None, now=NOW, reopen_window=WEEK)
    assert (outcome.status, outcome.reopened, outcome.follow_up) == (status, reopened, follow_up)


def test_customer_reply_to_resolved_ticket_within_window_reopens_it():
    outcome = after_customer_reply(
        "resolved", resolved_at=NOW - timedelta(days=6, hours=23), now=NOW, reopen_window=WEEK
    )
    assert (outcome.status, outcome.reopened, outcome.follow_up) == ("open", True, False)


def test_customer_reply_on_the_last_second_of_the_window_still_reopens():
    outcome = after_customer_reply("resolved", resolved_at=NOW - WEEK, now=NOW, reopen_window=WEEK)
    assert outcome.reopened


def test_customer_reply_to_resolved_ticket_after_window_opens_a_follow_up():
    outcome = after_customer_reply(
        "resolved", resolved_at=NOW - WEEK - timedelta(seconds=1), now=NOW, reopen_window=WEEK
    )
    assert (outcome.status, outcome.reopened, outcome.follow_up) == ("resolved", False, True)


def test_customer_reply_to_closed_ticket_opens_a_follow_up():
    outcome = after_customer_reply("closed", resolved_at=NOW, now=NOW, reopen_window=WEEK)
    assert (outcome.status, outcome.reopened, outcome.follow_up) == ("closed", False, True)


@pytest.mark.parametrize(
    ("current", "age", "expected"),
    [
        ("resolved", timedelta(days=7), True),
        ("resolved", timedelta(days=6, hours=23), False),
        ("open", timedelta(days=30), False),
        ("closed", timedelta(days=30), False),
    ],
)
def test_auto_close_after_the_period(current, age, expected):
    assert should_auto_close(current, resolved_at=NOW - age, now=NOW, after=WEEK) is expected
