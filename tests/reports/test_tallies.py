"""The daily tallies (reports.models.DayTally): the rows kept by each change equal a rebuild,
and every metric read from them equals the same metric counted live from the tickets."""

from __future__ import annotations

import random
from array import array
from datetime import date, timedelta

import pytest

from destek.reports import metrics
from destek.reports.metrics import Filters
from destek.reports.models import DayDurations, DayTally
from destek.reports.period import Period
from destek.reports.upkeep import COUNTERS, DIMENSIONS, rebuild, refresh_many, unpack
from destek.tickets import actions
from destek.tickets.models import Category, Team, Ticket
from destek.tickets.status import Status
from tests.reports.conftest import IST, NOW, at

WEEK = Period(date(2026, 10, 26), date(2026, 11, 1), IST)
THREE_WEEKS = Period(date(2026, 10, 19), date(2026, 11, 8), IST)


def _tallies() -> list[tuple]:
    return sorted(DayTally.objects.values_list("workspace_id", *DIMENSIONS, *COUNTERS))


def _durations() -> list[tuple]:
    return sorted(
        (ws, day, agent, measure, list(unpack(values)))
        for ws, day, agent, measure, values in DayDurations.objects.values_list(
            "workspace_id", "day", "agent", "measure", "values"
        )
    )


def _kept_equal_rebuilt(workspace) -> None:
    kept = (_tallies(), _durations())
    rebuild(workspace)
    assert (_tallies(), _durations()) == kept


def _same_as_live(workspace, filters: Filters, now=NOW) -> None:
    for period in (WEEK, THREE_WEEKS, WEEK.previous()):
        assert metrics.volume(workspace, period, filters) == metrics._live_volume(
            workspace, period, filters
        )
        assert metrics.volume_series(workspace, period, filters) == metrics._live_volume_series(
            workspace, period, filters
        )
        assert metrics.first_response(workspace, period, filters) == metrics._durations(
            metrics.figures(workspace, filters).filter(metrics._in("first_response_at", period)),
            "first_response_seconds",
            "first_response_business_seconds",
        )
        assert metrics.resolution(workspace, period, filters) == metrics._durations(
            metrics._resolved(workspace, period, filters),
            "resolution_seconds",
            "resolution_business_seconds",
        )
        assert metrics.reopen_rate(workspace, period, filters) == metrics._live_reopen_rate(
            workspace, period, filters
        )
        assert metrics.sla_compliance(
            workspace, period, now, filters
        ) == metrics._live_sla_compliance(workspace, period, now, filters)
        assert metrics.sla_series(workspace, period, now, filters) == metrics._live_sla_series(
            workspace, period, now, filters
        )
        tallied = metrics.top_categories(workspace, period, filters)
        live = metrics._live_top_categories(workspace, period, filters, None)
        assert [(r.category_id, r.tickets) for r in tallied] == [
            (r["category_id"], r["n"]) for r in live
        ]
        for what in ("first_response", "resolution"):
            for business in (True, False):
                assert metrics.distribution(
                    workspace, period, what, filters, business
                ) == metrics._live_distribution(workspace, period, what, filters, business)
        rows = metrics.agents(workspace, period, filters)
        live_resolved = metrics._live_resolved_by_agent(workspace, period, filters)
        assert {r.user_id: r.resolved for r in rows if r.resolved} == live_resolved
        answered = metrics.figures(workspace, filters).filter(
            metrics._in("first_response_at", period)
        )
        live = metrics._stats(
            answered, "first_response_seconds", "first_response_business_seconds", "assignee_id"
        )
        assert {
            r.user_id: (r.median_first_response, r.median_first_response_business)
            for r in rows
            if r.median_first_response is not None
        } == {agent: (row[3], row[4]) for agent, row in live.items() if agent}


def test_kept_tallies_equal_rebuilt_ones(workspace, history):
    kept = _tallies()

    rebuild(workspace)

    assert _tallies() == kept
    # In all: seven tickets created; five first replies and five (last) resolutions, of T1,
    # T2, T3, T5 and T6.
    # The day's total rows (agent -1) add up to the detailed ones.
    totals = {
        name: sum(row[6 + i] for row in kept if row[2] == -1) for i, name in enumerate(COUNTERS)
    }
    detailed = {
        name: sum(row[6 + i] for row in kept if row[2] != -1) for i, name in enumerate(COUNTERS)
    }
    assert totals == detailed
    assert (totals["created"], totals["answered"], totals["resolved"]) == (7, 5, 5)


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(priority="P2"),
        Filters(priority="P0"),
    ],
)
def test_tallied_metrics_equal_live_ones(workspace, history, filters):
    _same_as_live(workspace, filters)


def test_tallied_metrics_equal_live_ones_per_agent_and_category(workspace, history):
    for filters in (
        Filters(agent=history.agent.pk),
        Filters(agent=history.admin.pk),
        Filters(category=history.software.pk),
        Filters(category=history.billing.pk, agent=history.agent.pk),
    ):
        _same_as_live(workspace, filters)


def test_sla_outcomes_that_depend_on_the_hour_are_counted_live(workspace, history):
    # T4 (P3, due Tue 3 Nov 18:00) is unanswered: unknown now, missed the next morning.
    later = NOW + timedelta(days=2)

    assert metrics.sla_compliance(workspace, WEEK, NOW).first_response.whole == 4
    assert metrics.sla_compliance(workspace, WEEK, later).first_response.whole == 5
    _same_as_live(workspace, Filters(), now=later)


def test_ticket_finished_without_a_reply_counts_as_missed_once_due(workspace, history):
    actions.change_status(
        ticket=history.t4, actor=history.admin, status=Status.CLOSED, now=at(2, 9, month=11)
    )
    later = NOW + timedelta(days=2)

    assert metrics.sla_compliance(workspace, WEEK, NOW).first_response.whole == 4
    assert metrics.sla_compliance(workspace, WEEK, later).first_response.whole == 5
    _same_as_live(workspace, Filters(), now=later)
    _kept_equal_rebuilt(workspace)


def test_changes_move_the_tallies_like_a_rebuild(workspace, history):
    team = Team.objects.create(workspace=workspace, name="Ekip")
    actions.assign(ticket=history.t1, actor=history.admin, assignee=history.admin)
    actions.set_priority(ticket=history.t3, actor=history.admin, priority="P1")
    actions.set_category(ticket=history.t4, actor=history.admin, category=history.software)
    actions.change_status(ticket=history.t2, actor=history.agent, status=Status.OPEN)
    history.t6.refresh_from_db()
    history.t6.team = team
    history.t6.save()
    _kept_equal_rebuilt(workspace)
    _same_as_live(workspace, Filters())
    _same_as_live(workspace, Filters(team=team.pk))
    _same_as_live(workspace, Filters(agent=history.admin.pk))


def test_deleting_a_category_or_team_moves_its_rows_to_none(workspace, history):
    team = Team.objects.create(workspace=workspace, name="Ekip")
    history.t1.refresh_from_db()
    history.t1.team = team
    history.t1.save()
    Category.objects.filter(pk=history.software.pk).delete()
    team.delete()
    _kept_equal_rebuilt(workspace)
    assert not DayTally.objects.filter(category=history.software.pk).exists()
    _same_as_live(workspace, Filters())


def test_deleting_a_ticket_takes_its_share_back(workspace, history):
    history.t5.delete()

    _kept_equal_rebuilt(workspace)


def test_memo_reads_the_tallies_once(workspace, history, django_assert_num_queries):
    with metrics.memo():
        metrics.prefetch(workspace, WEEK.previous().first, WEEK.last)
        with django_assert_num_queries(0):
            metrics.volume(workspace, WEEK)
            metrics.volume(workspace, WEEK.previous())
            metrics.reopen_rate(workspace, WEEK)


def test_deleting_an_agent_moves_their_durations_to_unassigned(workspace, history):
    history.admin.delete()

    _kept_equal_rebuilt(workspace)
    assert not DayDurations.objects.filter(agent=history.admin.pk).exists()
    _same_as_live(workspace, Filters())


def test_kept_durations_are_the_sorted_values_per_day(workspace, history):
    # First responses (calendar) on Monday 26 October: T1's 5400 s; everyone's and the agent's.
    monday = DayDurations.objects.filter(day=date(2026, 10, 26), measure=0)

    assert {row.agent: list(unpack(row.values)) for row in monday} == {
        history.agent.pk: [5400],
        DayDurations.EVERYONE: [5400],
    }
    _kept_equal_rebuilt(workspace)


def test_median_by_binary_search_equals_the_sorted_one():
    rng = random.Random(5)
    for count in (1, 2, 7, 5000, 9001):
        values = [rng.randrange(0, 3 * 86400) for _ in range(count)]
        arrays = [array("i", sorted(values[i::13])) for i in range(13)]
        ordered = sorted(values)
        expected = (ordered[(count - 1) // 2] + ordered[count // 2]) / 2

        assert metrics.median(arrays) == expected


def test_refresh_many_equals_a_rebuild(workspace, history):
    # Changes written past the save signals, as a bulk writer does, then refreshed at once.
    everyone = [history.t1, history.t2, history.t4, history.t7]
    Ticket.objects.filter(pk__in=[t.pk for t in everyone]).update(
        assignee=history.admin, priority="P1"
    )

    refresh_many(list(Ticket.objects.filter(pk__in=[t.pk for t in everyone])))

    _kept_equal_rebuilt(workspace)
    _same_as_live(workspace, Filters(agent=history.admin.pk))


@pytest.mark.parametrize("count", [2, 6])
def test_refresh_many_new_tickets_in_a_constant_number_of_queries(
    workspace, customer, django_assert_num_queries, count
):
    made = Ticket.objects.bulk_create(
        Ticket(workspace=workspace, number=n, subject="s", customer=customer, created_at=at(26, 10))
        for n in range(1, count + 1)
    )

    # Read the figures, insert them, add to the tallies.
    with django_assert_num_queries(3):
        refresh_many(made)

    assert metrics.volume(workspace, WEEK) == count
    _kept_equal_rebuilt(workspace)


def test_refresh_many_reads_no_figures_for_tickets_it_is_told_are_new(
    workspace, customer, django_assert_num_queries
):
    made = Ticket.objects.bulk_create(
        Ticket(workspace=workspace, number=n, subject="s", customer=customer, created_at=at(26, 10))
        for n in range(1, 4)
    )

    # Insert the figures, add to the tallies: nothing to read.
    with django_assert_num_queries(2):
        refresh_many(made, created={ticket.pk for ticket in made})

    assert metrics.volume(workspace, WEEK) == 3
    _kept_equal_rebuilt(workspace)
