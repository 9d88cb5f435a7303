"""Every number of DESIGN §8, each defined once here. Pages, CSV files, the weekly summary and
the API all call these functions; none of them returns a subject, a customer or a message.

Definitions, for a period (whole local days) and optional filters (agent = the ticket's
assignee, team, category, priority, mailbox = the mailbox the ticket's mail came through):

- volume: tickets created in the period.
- first response: tickets whose first agent reply (notes do not count) was sent in the period;
  creation to that reply.
- resolution: tickets resolved (or closed without resolving) in the period and still so;
  creation to the last move to resolved.
- reopen rate: of those resolved tickets, the share reopened at least once.
- SLA compliance: tickets created in the period with a target whose outcome is known — met when
  answered / resolved by the due time, missed when later or when the due time has passed
  unanswered / unresolved.
- satisfaction (CSAT): ratings customers gave in the period (1–5); the share of 4s and 5s.
- per agent: tickets resolved (as assignee), replies sent (all of the agent's replies in the
  period, whatever the ticket), median first response of the agent's tickets.
Durations are in seconds, both around the clock and in the workspace's business hours.

Where they come from: counts, sums (so averages) and SLA outcomes of finished tickets are added
up from the daily tallies (``DayTally``, a few hundred rows per day whatever the ticket count);
medians are exact, the middle value(s) of the period's durations read from a covering index of
``TicketFigures``; what depends on the hour (active tickets' SLA, today, the backlog) is counted
live from the few tickets concerned. The mailbox filter is not tallied: with it every number is
counted live from the tickets (the ``_live_*`` functions, also the tests' reference).
Inside :func:`memo` (one request) the per-day tallies and sorted durations are read once.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from itertools import chain
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Avg, Count, F, Func, IntegerField, Min, Q, QuerySet, Sum, Value

from destek.accounts.models import Membership, Role, Workspace
from destek.mail.models import MessageEnvelope
from destek.portal.models import SatisfactionRating
from destek.reports import upkeep
from destek.reports.models import DayDurations, DayTally, ReplyDay, TicketFigures
from destek.reports.period import Period, period_for
from destek.tickets.models import Category, Ticket
from destek.tickets.status import ACTIVE, DONE


@dataclass(frozen=True)
class Filters:
    agent: int | None = None
    team: int | None = None
    category: int | None = None
    priority: str | None = None
    mailbox: int | None = None


NO_FILTERS = Filters()


def _narrow(qs: QuerySet, workspace: Workspace, filters: Filters, to_ticket: str) -> QuerySet:
    if filters.agent:
        qs = qs.filter(**{f"{to_ticket}assignee_id": filters.agent})
    if filters.team:
        qs = qs.filter(**{f"{to_ticket}team_id": filters.team})
    if filters.category:
        qs = qs.filter(**{f"{to_ticket}category_id": filters.category})
    if filters.priority:
        qs = qs.filter(**{f"{to_ticket}priority": filters.priority})
    if filters.mailbox:
        mail = MessageEnvelope.objects.filter(workspace=workspace, mailbox_id=filters.mailbox)
        qs = qs.filter(**{f"{to_ticket}pk__in": mail.values("ticket_id")})
    return qs.order_by()


def tickets(workspace: Workspace, filters: Filters = NO_FILTERS) -> QuerySet[Ticket]:
    """The workspace's tickets narrowed by the filters."""
    return _narrow(Ticket.objects.for_workspace(workspace), workspace, filters, "")


def figures(workspace: Workspace, filters: Filters = NO_FILTERS) -> QuerySet[TicketFigures]:
    """The workspace's ticket durations, narrowed by the same filters: by the figures' own
    copies of the ticket's columns (no join), the mailbox through the ticket."""
    qs = TicketFigures.objects.filter(workspace=workspace)
    if filters.mailbox:
        mail = MessageEnvelope.objects.filter(workspace=workspace, mailbox_id=filters.mailbox)
        qs = qs.filter(ticket_id__in=mail.values("ticket_id"))
    return _narrow(qs, workspace, Filters(agent=filters.agent, team=filters.team), "").filter(
        **({"category_id": filters.category} if filters.category else {}),
        **({"priority": filters.priority} if filters.priority else {}),
    )


def _tallied(filters: Filters) -> bool:
    """Whether the daily tallies answer for these filters (every one but the mailbox)."""
    return not filters.mailbox


def tallies(workspace: Workspace, filters: Filters = NO_FILTERS) -> QuerySet[DayTally]:
    """The tally rows for these filters: the day's total row without any, else the detailed
    rows they select (a filter's value never matches a total row's -1 / "*")."""
    chosen = _chosen(filters)
    if not chosen:
        return DayTally.objects.filter(workspace=workspace, agent=upkeep.TOTAL[0]).order_by()
    return DayTally.objects.filter(workspace=workspace, **chosen).order_by()


def detailed(workspace: Workspace, filters: Filters) -> QuerySet[DayTally]:
    """The detailed rows (no total rows) for these filters, for grouping by a dimension."""
    qs = DayTally.objects.filter(workspace=workspace, **_chosen(filters))
    return qs.exclude(agent=upkeep.TOTAL[0]).order_by()


def _chosen(filters: Filters) -> dict[str, object]:
    pairs = (
        ("agent", filters.agent),
        ("team", filters.team),
        ("category", filters.category),
        ("priority", filters.priority),
    )
    return {name: value for name, value in pairs if value}


# --- One request's reads, shared by the metrics it shows -----------------------------------------

_memo: ContextVar[dict | None] = ContextVar("reports_memo", default=None)


@contextmanager
def memo() -> Iterator[None]:
    """Within the block, tallies and live rows read once are reused (one page's metrics)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def _per_day(
    kind: str,
    workspace: Workspace,
    period: Period,
    filters: Filters,
    load: Callable[[date, date], dict[date, list[int]]],
) -> dict[date, list[int]]:
    """``load``'s rows per day for the period, from the memo when a span read before covers it."""
    cache = _memo.get()
    key = (kind, workspace.pk, filters)
    if cache is not None and key in cache:
        first, last, rows = cache[key]
        if first <= period.first and period.last <= last:
            return {d: r for d, r in rows.items() if period.first <= d <= period.last}
    rows = load(period.first, period.last)
    if cache is not None:
        cache[key] = (period.first, period.last, rows)
    return rows


def prefetch(workspace: Workspace, first: date, last: date, filters: Filters = NO_FILTERS) -> None:
    """Read the tallies and sorted durations of a span (e.g. a period and the one before) in one
    query each, for :func:`memo`."""
    span = Period(first, last, ZoneInfo(workspace.time_zone))
    _day_sums(workspace, span, filters)
    if not (filters.category or filters.team or filters.priority):
        _sorted_durations(workspace, span, filters)


def _day_sums(workspace: Workspace, period: Period, filters: Filters) -> dict[date, list[int]]:
    """The tallies' counters (``upkeep.COUNTERS`` order) per day of the period."""

    def load(first: date, last: date) -> dict[date, list[int]]:
        rows = (
            tallies(workspace, filters)
            .filter(day__gte=first, day__lte=last)
            .values_list("day")
            .annotate(*(Sum(c) for c in upkeep.COUNTERS))
        )
        return {row[0]: [int(v) for v in row[1:]] for row in rows}

    return _per_day("days", workspace, period, filters, load)


def _summed(workspace: Workspace, period: Period, filters: Filters) -> list[int]:
    total = [0] * len(upkeep.COUNTERS)
    for counters in _day_sums(workspace, period, filters).values():
        for i, value in enumerate(counters):
            total[i] += value
    return total


def _in(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lt": period.end})


# --- Shapes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    part: int
    whole: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.part / self.whole, 1) if self.whole else None


@dataclass(frozen=True)
class Durations:
    """Seconds; None when no ticket counts."""

    count: int
    average: float | None
    median: float | None
    business_average: float | None
    business_median: float | None


@dataclass(frozen=True)
class Today:
    opened: int
    resolved: int
    carried_over: int


@dataclass(frozen=True)
class Backlog:
    open: int
    unassigned: int
    oldest_created_at: datetime | None

    def oldest_age(self, now: datetime) -> timedelta | None:
        return None if self.oldest_created_at is None else now - self.oldest_created_at


@dataclass(frozen=True)
class Compliance:
    first_response: Rate
    resolution: Rate


@dataclass(frozen=True)
class Satisfaction:
    ratings: int
    average: float | None
    satisfied: Rate  # ratings of 4 or 5 among all


@dataclass(frozen=True)
class AgentRow:
    user_id: int
    name: str
    resolved: int
    replies: int
    median_first_response: float | None
    median_first_response_business: float | None


@dataclass(frozen=True)
class CategoryRow:
    category_id: int | None
    name: str
    tickets: int


@dataclass(frozen=True)
class Bucket:
    first: date
    last: date
    value: int


# --- Averages and medians: exact, in one query by window functions (SQLite ≥ 3.25, PostgreSQL)


def _stats(qs: QuerySet, calendar: str, business: str, group: str | None = None) -> dict:
    """Per ``group`` (key None without one): count, the two averages and the two medians (the
    mean of the two middle values when the count is even) of a period's durations."""
    columns = {"v1": F(calendar), "v2": F(business)} | ({"g": F(group)} if group else {})
    base = qs.annotate(**columns).filter(v1__isnull=False).values(*columns)
    sql, params = base.query.sql_with_params()
    if connection.vendor != "postgresql" and not group:
        return {None: _sqlite_stats(sql, params)}
    build = _percentile_query if connection.vendor == "postgresql" else _window_query
    with connection.cursor() as cursor:
        cursor.execute(build(sql, bool(group)), params)
        return {
            row[0]: (row[1], *(None if v is None else float(v) for v in row[2:]))
            for row in cursor.fetchall()
        }


# Only Django's own compiled SQL and fixed names go into these; values travel as parameters.


def _percentile_query(sql: str, grouped: bool) -> str:
    """PostgreSQL: percentile_cont(0.5) is the median as defined above, sorted once each."""
    return (
        f"SELECT {'g' if grouped else 'NULL'}, COUNT(*), AVG(v1), AVG(v2), "  # noqa: S608
        "percentile_cont(0.5) WITHIN GROUP (ORDER BY v1), "
        f"percentile_cont(0.5) WITHIN GROUP (ORDER BY v2) FROM ({sql}) b"
        + (" GROUP BY g" if grouped else "")
    )


def _sqlite_stats(sql: str, params: tuple) -> tuple:
    """SQLite, one group: the count and averages, then each median as the middle one or two
    values by ORDER BY … LIMIT … OFFSET (a bounded sort, cheaper than two window passes)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), AVG(v1), AVG(v2) FROM ({sql}) b", params)  # noqa: S608
        count, average, business = cursor.fetchone()
        if not count:
            return (0, None, None, None, None)
        middle = (2 if count % 2 == 0 else 1, (count - 1) // 2)
        medians = []
        for column in ("v1", "v2"):
            cursor.execute(
                f"SELECT {column} FROM ({sql}) b ORDER BY {column} LIMIT %s OFFSET %s",  # noqa: S608
                (*params, *middle),
            )
            values = [row[0] for row in cursor.fetchall()]
            medians.append(sum(values) / len(values))
    return (count, float(average), float(business), *medians)


def _window_query(sql: str, grouped: bool) -> str:
    """SQLite: the middle rows found by ROW_NUMBER against the count."""
    part = "PARTITION BY g" if grouped else ""
    middle = "IN ((c + 1) / 2, (c + 2) / 2)"
    return (
        f"SELECT g, COUNT(*), AVG(v1), AVG(v2), AVG(CASE WHEN r1 {middle} THEN v1 END), "  # noqa: S608
        f"AVG(CASE WHEN r2 {middle} THEN v2 END) FROM (SELECT {'g' if grouped else 'NULL'} "
        f"AS g, v1, v2, ROW_NUMBER() OVER ({part} ORDER BY v1) AS r1, "
        f"ROW_NUMBER() OVER ({part} ORDER BY v2) AS r2, "
        f"COUNT(*) OVER ({part}) AS c FROM ({sql}) b) w GROUP BY g"
    )


def _medians(qs: QuerySet, calendar: str, business: str, count: int) -> tuple[float, float]:
    """The exact medians of the period's ``count`` durations (known from the tallies), in one
    query: PostgreSQL's percentile_cont, on SQLite the middle one or two values of each column
    by ORDER BY … LIMIT … OFFSET (a bounded sort over the covering index's range)."""
    base = qs.annotate(v1=F(calendar), v2=F(business)).filter(v1__isnull=False).values("v1", "v2")
    sql, params = base.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v1), "  # noqa: S608
                f"percentile_cont(0.5) WITHIN GROUP (ORDER BY v2) FROM ({sql}) b",
                params,
            )
        else:
            middle = (2 if count % 2 == 0 else 1, (count - 1) // 2)
            cursor.execute(
                f"SELECT (SELECT AVG(v1) FROM (SELECT v1 FROM ({sql}) b ORDER BY v1 "  # noqa: S608
                f"LIMIT %s OFFSET %s)), (SELECT AVG(v2) FROM (SELECT v2 FROM ({sql}) b "
                "ORDER BY v2 LIMIT %s OFFSET %s))",
                (*params, *middle, *params, *middle),
            )
        return tuple(float(v) for v in cursor.fetchone())  # type: ignore[return-value]


def _durations(qs: QuerySet, calendar_field: str, business_field: str) -> Durations:
    count, average, business, median, business_median = _stats(
        qs, calendar_field, business_field
    ).get(None, (0, None, None, None, None))
    return Durations(count, average, median, business, business_median)


# --- The metrics -------------------------------------------------------------------------------


def volume(workspace: Workspace, period: Period, filters: Filters = NO_FILTERS) -> int:
    if _tallied(filters):
        return _summed(workspace, period, filters)[upkeep.CREATED]
    return _live_volume(workspace, period, filters)


def _live_volume(workspace: Workspace, period: Period, filters: Filters) -> int:
    return tickets(workspace, filters).filter(_in("created_at", period)).count()


def volume_series(
    workspace: Workspace, period: Period, filters: Filters = NO_FILTERS
) -> list[Bucket]:
    """Tickets created per day (periods up to 31 days), per week (up to 190) or per month."""
    if not _tallied(filters):
        return _live_volume_series(workspace, period, filters)
    days = _day_sums(workspace, period, filters)
    return [
        Bucket(first, last, sum(c[upkeep.CREATED] for c in _within(days, first, last)))
        for first, last in buckets(period)
    ]


def _within(days: dict[date, list[int]], first: date, last: date) -> Iterator[list[int]]:
    return (days[d] for d in _dates(first, last) if d in days)


def _dates(first: date, last: date) -> Iterator[date]:
    return (first + timedelta(days=i) for i in range((last - first).days + 1))


def _live_volume_series(workspace: Workspace, period: Period, filters: Filters) -> list[Bucket]:
    return _counted(tickets(workspace, filters), "created_at", period)


def first_response(
    workspace: Workspace, period: Period, filters: Filters = NO_FILTERS
) -> Durations:
    qs = figures(workspace, filters).filter(_in("first_response_at", period))
    fields = ("first_response_seconds", "first_response_business_seconds")
    if not _tallied(filters):
        return _durations(qs, *fields)
    n = _summed(workspace, period, filters)
    return _tallied_durations(
        _median_reader(workspace, period, filters, qs, fields, (0, 1)),
        n[upkeep.ANSWERED],
        n[upkeep.ANSWER_SECONDS],
        n[upkeep.ANSWER_BUSINESS],
    )


def resolution(workspace: Workspace, period: Period, filters: Filters = NO_FILTERS) -> Durations:
    qs = _resolved(workspace, period, filters)
    fields = ("resolution_seconds", "resolution_business_seconds")
    if not _tallied(filters):
        return _durations(qs, *fields)
    n = _summed(workspace, period, filters)
    return _tallied_durations(
        _median_reader(workspace, period, filters, qs, fields, (2, 3)),
        n[upkeep.RESOLVED],
        n[upkeep.RES_SECONDS],
        n[upkeep.RES_BUSINESS],
    )


def _tallied_durations(
    medians: Callable[[int], tuple[float | None, float | None]],
    count: int,
    seconds: int,
    business: int,
) -> Durations:
    """Count and averages from the tallies; the exact medians from the period's values."""
    if not count:
        return Durations(0, None, None, None, None)
    median, business_median = medians(count)
    return Durations(count, seconds / count, median, business / count, business_median)


def _median_reader(
    workspace: Workspace,
    period: Period,
    filters: Filters,
    qs: QuerySet,
    fields: tuple[str, str],
    measures: tuple[int, int],
) -> Callable[[int], tuple[float | None, float | None]]:
    """Where a pair of medians comes from: the per-day sorted durations for everyone or one
    agent, else (category, team, priority, mailbox) the figures' covering index."""
    if filters.category or filters.team or filters.priority or filters.mailbox:
        return lambda count: _medians(qs, *fields, count)

    def from_days(count: int) -> tuple[float | None, float | None]:
        days = _sorted_durations(workspace, period, filters)
        first, second = (
            median([arrays[m] for arrays in days.values() if m in arrays]) for m in measures
        )
        return first, second

    return from_days


def _sorted_durations(
    workspace: Workspace, period: Period, filters: Filters
) -> dict[date, dict[int, array]]:
    """Per day of the period, the sorted durations of each measure (everyone's, or the
    filtered agent's)."""
    agent = filters.agent or DayDurations.EVERYONE

    def load(first: date, last: date) -> dict[date, dict[int, array]]:
        days: dict[date, dict[int, array]] = {}
        rows = DayDurations.objects.filter(
            workspace=workspace, agent=agent, day__gte=first, day__lte=last
        ).values_list("day", "measure", "values")
        for day, measure, data in rows:
            days.setdefault(day, {})[measure] = upkeep.unpack(data)
        return days

    return _per_day("durations", workspace, period, filters, load)


# Up to this many values a median is found by sorting them, beyond by binary search.
SORTED_MEDIAN = 4096


def median(arrays: list[array]) -> float | None:
    """The exact median (mean of the two middle values for an even count) of sorted arrays."""
    arrays = [a for a in arrays if a]
    count = sum(len(a) for a in arrays)
    if not count:
        return None
    if count <= SORTED_MEDIAN:
        values = sorted(chain.from_iterable(arrays))
        return (values[(count - 1) // 2] + values[count // 2]) / 2
    return (_kth(arrays, (count - 1) // 2) + _kth(arrays, count // 2)) / 2


def _kth(arrays: list[array], k: int) -> int:
    """The k-th smallest value (from 0): the least t with more than k values ≤ t, found by
    binary search on t, counting with a bisection of each sorted array."""
    low, high = min(a[0] for a in arrays), max(a[-1] for a in arrays)
    while low < high:
        middle = (low + high) // 2
        if sum(bisect_right(a, middle) for a in arrays) > k:
            high = middle
        else:
            low = middle + 1
    return low


def _resolved(workspace: Workspace, period: Period, filters: Filters) -> QuerySet[TicketFigures]:
    # A reopened ticket's figures lose their resolved_at, so these are resolved or closed now.
    return figures(workspace, filters).filter(_in("resolved_at", period))


def reopen_rate(workspace: Workspace, period: Period, filters: Filters = NO_FILTERS) -> Rate:
    if _tallied(filters):
        n = _summed(workspace, period, filters)
        return Rate(n[upkeep.REOPENED], n[upkeep.RESOLVED])
    return _live_reopen_rate(workspace, period, filters)


def _live_reopen_rate(workspace: Workspace, period: Period, filters: Filters) -> Rate:
    numbers = _resolved(workspace, period, filters).aggregate(
        whole=Count("pk"), part=Count("pk", filter=Q(reopened=True))
    )
    return Rate(numbers["part"], numbers["whole"])


def _sla_counts(now: datetime, suffix: str = "", extra: Q | None = None) -> dict[str, Count]:
    extra = extra or Q()
    first_met = Q(first_response_at__lte=F("first_response_due_at"))
    first_missed = Q(first_response_at__gt=F("first_response_due_at")) | Q(
        first_response_at__isnull=True, first_response_due_at__lt=now
    )
    done = Q(status__in=DONE)
    resolution_met = done & Q(resolved_at__lte=F("resolution_due_at"))
    resolution_missed = (done & Q(resolved_at__gt=F("resolution_due_at"))) | (
        Q(status__in=ACTIVE, resolution_due_at__lt=now)
    )
    return {
        f"fm{suffix}": Count("pk", filter=extra & first_met),
        f"fx{suffix}": Count("pk", filter=extra & first_missed),
        f"rm{suffix}": Count("pk", filter=extra & resolution_met),
        f"rx{suffix}": Count("pk", filter=extra & resolution_missed),
    }


def sla_compliance(
    workspace: Workspace, period: Period, now: datetime, filters: Filters = NO_FILTERS
) -> Compliance:
    if not _tallied(filters):
        return _live_sla_compliance(workspace, period, now, filters)
    n = _summed(workspace, period, filters)
    fm, fx = n[upkeep.FIRST_MET], n[upkeep.FIRST_MISSED]
    rm, rx = n[upkeep.RES_MET], n[upkeep.RES_MISSED]
    for _unit, (om, ox, orx) in _open_outcomes(workspace, period, now, filters, per_unit=False):
        fm, fx, rx = fm + om, fx + ox, rx + orx
    return Compliance(Rate(fm, fm + fx), Rate(rm, rm + rx))


def _open_outcomes(
    workspace: Workspace, period: Period, now: datetime, filters: Filters, per_unit: bool
) -> list[tuple[int | None, tuple[int, int, int]]]:
    """The SLA outcomes that depend on ``now``, counted live for the tickets created in the
    period — first response met / missed and resolution missed — in total or per quarter hour:
    the active tickets (few, found by the status index: the period is inside the counts, not
    the WHERE) and those finished without a reply (a partial index of the figures)."""
    inside = _in("created_at", period)
    first_missed = Q(first_response_at__gt=F("first_response_due_at")) | Q(
        first_response_at__isnull=True, first_response_due_at__lt=now
    )
    counts = {
        "fm": Count("pk", filter=inside & Q(first_response_at__lte=F("first_response_due_at"))),
        "fx": Count("pk", filter=inside & first_missed),
        "rx": Count("pk", filter=inside & Q(resolution_due_at__lt=now)),
    }
    active = tickets(workspace, filters).filter(status__in_literal=ACTIVE)
    unanswered = (
        figures(workspace, filters)
        .filter(inside)
        .filter(done=True, first_response_at__isnull=True, first_response_due_at__lt=now)
    )
    if not per_unit:
        n = active.aggregate(**counts)
        return [(None, (n["fm"], n["fx"] + unanswered.count(), n["rx"]))]
    rows = [
        (r["unit"], (r["fm"], r["fx"], r["rx"]))
        for r in _per_unit(active, "created_at", period, **counts)
    ]
    rows += [
        (r["unit"], (0, r["n"], 0))
        for r in _per_unit(unanswered, "created_at", period, n=Count("pk"))
    ]
    return [(unit, n) for unit, n in rows if any(n)]


def _live_sla_compliance(
    workspace: Workspace, period: Period, now: datetime, filters: Filters
) -> Compliance:
    n = tickets(workspace, filters).filter(_in("created_at", period)).aggregate(**_sla_counts(now))
    return Compliance(Rate(n["fm"], n["fm"] + n["fx"]), Rate(n["rm"], n["rm"] + n["rx"]))


def sla_series(
    workspace: Workspace, period: Period, now: datetime, filters: Filters = NO_FILTERS
) -> list[tuple[Bucket, Compliance]]:
    """SLA compliance of the tickets created in each day / week / month of the period."""
    if not _tallied(filters):
        return _live_sla_series(workspace, period, now, filters)
    days = {
        day: [c[upkeep.FIRST_MET], c[upkeep.FIRST_MISSED], c[upkeep.RES_MET], c[upkeep.RES_MISSED]]
        for day, c in _day_sums(workspace, period, filters).items()
    }
    for unit, (om, ox, orx) in _open_outcomes(workspace, period, now, filters, per_unit=True):
        instant = period.start + timedelta(seconds=unit * UNIT)
        counters = days.setdefault(instant.astimezone(period.zone).date(), [0, 0, 0, 0])
        counters[0] += om
        counters[1] += ox
        counters[3] += orx
    series = []
    for first, last in buckets(period):
        fm, fx, rm, rx = (sum(c[i] for c in _within(days, first, last)) for i in range(4))
        series.append(
            (Bucket(first, last, fm + fx), Compliance(Rate(fm, fm + fx), Rate(rm, rm + rx)))
        )
    return series


def _live_sla_series(
    workspace: Workspace, period: Period, now: datetime, filters: Filters
) -> list[tuple[Bucket, Compliance]]:
    rows = _per_unit(
        tickets(workspace, filters).filter(_in("created_at", period)),
        "created_at",
        period,
        **_sla_counts(now),
    )
    spans = buckets(period)
    sums = [[0, 0, 0, 0] for _ in spans]
    for index, row in _assigned(rows, period, spans):
        for i, key in enumerate(("fm", "fx", "rm", "rx")):
            sums[index][i] += row[key]
    return [
        (
            Bucket(first, last, fm + fx),
            Compliance(Rate(fm, fm + fx), Rate(rm, rm + rx)),
        )
        for (first, last), (fm, fx, rm, rx) in zip(spans, sums, strict=True)
    ]


def satisfaction(
    workspace: Workspace, period: Period, filters: Filters = NO_FILTERS
) -> Satisfaction:
    """Ratings given in the period; the comments are never read here (the owner sees this)."""
    ratings = _narrow(
        SatisfactionRating.objects.for_workspace(workspace), workspace, filters, "ticket__"
    ).filter(_in("created_at", period))
    n = ratings.aggregate(
        count=Count("pk"), average=Avg("score"), happy=Count("pk", filter=Q(score__gte=4))
    )
    average = round(n["average"], 2) if n["average"] is not None else None
    return Satisfaction(n["count"], average, Rate(n["happy"], n["count"]))


def today(workspace: Workspace, now: datetime, filters: Filters = NO_FILTERS) -> Today:
    """Opened today, resolved or closed today, and carried over: tickets still open from before
    today plus those that were open at midnight and finished today."""
    zone = ZoneInfo(workspace.time_zone)
    midnight = period_for("today", now.astimezone(zone).date(), zone).start
    # Separate counts, each answered from an index (created_at, resolved_at, status). Today's
    # tickets are few, an agent's or a category's many: their filter is written as "column + 0",
    # which no index answers, so SQLite walks today's part of the time index instead of all the
    # agent's tickets (70 ms each at a million tickets).
    mine = tickets(workspace, replace(filters, agent=None, category=None, team=None))
    for column, value in (
        ("assignee_id", filters.agent),
        ("category_id", filters.category),
        ("team_id", filters.team),
    ):
        if value:
            mine = mine.alias(**{f"_{column}": F(column) + 0}).filter(**{f"_{column}": value})
    active = tickets(workspace, filters).filter(status__in_literal=ACTIVE)
    opened = mine.filter(created_at__gte=midnight).count()
    finished = mine.filter(resolved_at__gte=midnight, status__in=DONE).aggregate(
        n=Count("pk"), before=Count("pk", filter=Q(created_at__lt=midnight))
    )
    # The creation time inside FILTER, not WHERE: the planner then walks the few active tickets
    # by status instead of every ticket created before midnight.
    still_open = active.aggregate(n=Count("pk", filter=Q(created_at__lt=midnight)))["n"]
    return Today(opened, finished["n"], still_open + finished["before"])


def backlog(workspace: Workspace, filters: Filters = NO_FILTERS) -> Backlog:
    n = (
        tickets(workspace, filters)
        .filter(status__in_literal=ACTIVE)  # literal: SQLite then uses the active-only index
        .aggregate(
            open=Count("pk"),
            unassigned=Count("pk", filter=Q(assignee__isnull=True)),
            oldest=Min("created_at"),
        )
    )
    return Backlog(n["open"], n["unassigned"], n["oldest"])


def top_categories(
    workspace: Workspace, period: Period, filters: Filters = NO_FILTERS, limit: int | None = None
) -> list[CategoryRow]:
    """Categories by tickets created in the period, most first (no category = id None)."""
    if _tallied(filters):
        counted: dict[int, int] = {}
        for (_agent, category), (created, _resolved) in _groups(workspace, period, filters).items():
            counted[category] = counted.get(category, 0) + created
        # No category (0) sorts first among equal counts, as NULL does in the live query.
        ordered = sorted(((cat or None, n) for cat, n in counted.items() if n > 0), key=_by_count)
        rows = [{"category_id": c, "n": n} for c, n in ordered]
        rows = rows[:limit] if limit else rows
    else:
        rows = _live_top_categories(workspace, period, filters, limit)
    names = dict(
        Category.objects.filter(
            workspace=workspace, pk__in=[r["category_id"] for r in rows]
        ).values_list("pk", "name")
    )
    return [CategoryRow(r["category_id"], names.get(r["category_id"], ""), r["n"]) for r in rows]


def _by_count(row: tuple[int | None, int]) -> tuple:
    category, n = row
    # The live query's ORDER BY -n, category_id: NULL sorts first on SQLite, last on PostgreSQL.
    null_first = connection.vendor != "postgresql"
    return (-n, (category is not None) if null_first else (category is None), category or 0)


def _groups(
    workspace: Workspace, period: Period, filters: Filters
) -> dict[tuple[int, int], tuple[int, int]]:
    """Tickets created and resolved in the period per (agent, category), from the detailed
    tally rows in one query; the category table and the agents table share it (memo)."""
    cache = _memo.get()
    key = ("groups", workspace.pk, filters, period.first, period.last)
    if cache is not None and key in cache:
        return cache[key]
    rows = (
        detailed(workspace, filters)
        .filter(day__gte=period.first, day__lte=period.last)
        .values_list("agent", "category")
        .annotate(Sum("created"), Sum("resolved"))
    )
    groups = {(agent, cat): (int(c), int(r)) for agent, cat, c, r in rows}
    if cache is not None:
        cache[key] = groups
    return groups


def _live_top_categories(
    workspace: Workspace, period: Period, filters: Filters, limit: int | None
) -> list[dict]:
    rows = (
        tickets(workspace, filters)
        .filter(_in("created_at", period))
        .values("category_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "category_id")
    )
    return list(rows[:limit] if limit else rows)


def agents(workspace: Workspace, period: Period, filters: Filters = NO_FILTERS) -> list[AgentRow]:
    """One row per agent and admin of the workspace (only the filtered agent when one is)."""
    people = Membership.objects.filter(
        workspace=workspace, is_active=True, role__in=(Role.AGENT, Role.ADMIN)
    ).select_related("user")
    if filters.agent:
        people = people.filter(user_id=filters.agent)
    if _tallied(filters):
        resolved: dict[int, int] = {}
        for (agent, _category), (_created, n) in _groups(workspace, period, filters).items():
            if agent > 0:
                resolved[agent] = resolved.get(agent, 0) + n
    else:
        resolved = _live_resolved_by_agent(workspace, period, filters)
    replies = dict(
        ReplyDay.objects.filter(workspace=workspace, day__gte=period.first, day__lte=period.last)
        .values_list("author_id")
        .annotate(n=Sum("replies"))
    )
    medians = _agent_medians(workspace, period, filters)
    rows = [
        AgentRow(
            m.user_id,
            m.user.display_name,
            resolved.get(m.user_id, 0),
            replies.get(m.user_id, 0),
            *medians.get(m.user_id, (None, None)),
        )
        for m in people
    ]
    return sorted(rows, key=lambda row: (-row.resolved, row.name))


def _agent_medians(
    workspace: Workspace, period: Period, filters: Filters
) -> dict[int, tuple[float | None, float | None]]:
    """Each agent's median first response (calendar, business hours) in the period."""
    if filters.category or filters.team or filters.priority or filters.mailbox:
        answered = figures(workspace, filters).filter(_in("first_response_at", period))
        stats = _stats(
            answered, "first_response_seconds", "first_response_business_seconds", "assignee_id"
        )
        return {agent: (row[3], row[4]) for agent, row in stats.items()}
    rows = DayDurations.objects.filter(
        workspace=workspace, day__gte=period.first, day__lte=period.last, measure__in=(0, 1)
    )
    rows = rows.filter(agent=filters.agent) if filters.agent else rows.filter(agent__gt=0)
    arrays: dict[int, tuple[list[array], list[array]]] = {}
    for agent, measure, data in rows.values_list("agent", "measure", "values"):
        arrays.setdefault(agent, ([], []))[measure].append(upkeep.unpack(data))
    return {agent: (median(a), median(b)) for agent, (a, b) in arrays.items()}


def _live_resolved_by_agent(workspace: Workspace, period: Period, filters: Filters) -> dict:
    return dict(
        _resolved(workspace, period, filters)
        .filter(assignee__isnull=False)
        .values_list("assignee_id")
        .annotate(n=Count("pk"))
    )


# Limits of the time-distribution chart, in seconds.
DISTRIBUTION_EDGES = (3600, 4 * 3600, 8 * 3600, 24 * 3600, 3 * 24 * 3600)


def distribution(
    workspace: Workspace,
    period: Period,
    what: str,
    filters: Filters = NO_FILTERS,
    business: bool = True,
) -> list[int]:
    """How many first responses (``what="first_response"``) or resolutions took under 1 h,
    1–4 h, 4–8 h, 8–24 h, 1–3 days and longer."""
    field = f"{what}_{'business_' if business else ''}seconds"
    if not (filters.category or filters.team or filters.priority or filters.mailbox):
        # From the per-day sorted durations: values below each edge, by bisection.
        measure = DayDurations.MEASURES.index(field)
        days = _sorted_durations(workspace, period, filters)
        arrays = [a[measure] for a in days.values() if measure in a]
        below = [sum(bisect_left(a, edge) for a in arrays) for edge in DISTRIBUTION_EDGES]
        total = sum(len(a) for a in arrays)
        return [b - a for a, b in zip([0, *below], [*below, total], strict=True)]
    return _live_distribution(workspace, period, what, filters, business)


def _live_distribution(
    workspace: Workspace, period: Period, what: str, filters: Filters, business: bool
) -> list[int]:
    field = f"{what}_{'business_' if business else ''}seconds"
    qs = (
        figures(workspace, filters).filter(_in("first_response_at", period))
        if what == "first_response"
        else _resolved(workspace, period, filters)
    )
    bounds = (0, *DISTRIBUTION_EDGES, None)
    counts = {}
    for i, (low, high) in enumerate(zip(bounds, bounds[1:], strict=False)):
        within = Q(**{f"{field}__gte": low}) & (Q(**{f"{field}__lt": high}) if high else Q())
        counts[f"b{i}"] = Count("pk", filter=within)
    n = qs.aggregate(**counts)
    return [n[f"b{i}"] for i in range(len(bounds) - 1)]


# --- Buckets -----------------------------------------------------------------------------------


def _start(day: date, period: Period) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=period.zone)


def _end(day: date, period: Period) -> datetime:
    return _start(day + timedelta(days=1), period)


def buckets(period: Period) -> list[tuple[date, date]]:
    """The period cut into days, weeks (seven days from its first) or calendar months."""
    if period.days <= 31:
        step = 1
    elif period.days <= 190:
        step = 7
    else:
        return _months(period)
    spans = []
    first = period.first
    while first <= period.last:
        last = min(first + timedelta(days=step - 1), period.last)
        spans.append((first, last))
        first = last + timedelta(days=1)
    return spans


def _months(period: Period) -> list[tuple[date, date]]:
    spans = []
    first = period.first
    while first <= period.last:
        following = (first.replace(day=1) + timedelta(days=32)).replace(day=1)
        last = min(following - timedelta(days=1), period.last)
        spans.append((first, last))
        first = following
    return spans


class QuarterHours(Func):
    """Whole quarter hours from ``start`` to the datetime column: every time zone's offset is a
    multiple of 15 minutes, so each unit lies inside one local day, whatever the zone."""

    output_field = IntegerField()

    def __init__(self, column: str, start: datetime) -> None:
        super().__init__(F(column), Value(int(start.timestamp())))

    def as_sqlite(self, compiler, connection, **extra):  # type: ignore[no-untyped-def]
        column, column_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        sql = f"((CAST(strftime('%%s', {column}) AS INTEGER) - {start}) / {UNIT})"
        return sql, (*column_params, *start_params)

    def as_postgresql(self, compiler, connection, **extra):  # type: ignore[no-untyped-def]
        column, column_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        sql = f"FLOOR((EXTRACT(EPOCH FROM {column}) - {start}) / {UNIT})::integer"
        return sql, (*column_params, *start_params)


UNIT = 900


def _per_unit(qs: QuerySet, field: str, period: Period, **aggregates: object) -> list[dict]:
    return list(
        qs.annotate(unit=QuarterHours(field, period.start))
        .values("unit")
        .annotate(**aggregates)
        .order_by()
    )


def _assigned(rows: list[dict], period: Period, spans: list[tuple[date, date]]):
    """Each row with the index of the span its quarter hour falls in."""
    ends = [_end(last, period) for _first, last in spans]
    for row in rows:
        instant = period.start + timedelta(seconds=row["unit"] * UNIT)
        index = next((i for i, end in enumerate(ends) if instant < end), len(ends) - 1)
        yield index, row


def _counted(qs: QuerySet, field: str, period: Period) -> list[Bucket]:
    spans = buckets(period)
    rows = _per_unit(qs.filter(_in(field, period)), field, period, n=Count("pk"))
    counts = [0] * len(spans)
    for index, row in _assigned(rows, period, spans):
        counts[index] += row["n"]
    return [Bucket(first, last, n) for (first, last), n in zip(spans, counts, strict=True)]
