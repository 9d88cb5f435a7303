"""Build the DESIGN §9 benchmark workspace: 1,000,000 tickets, about 4,000,000 messages, events,
20 agents, 50,000 customers — in minutes, with bulk inserts (executemany on SQLite, COPY on
PostgreSQL) instead of the ORM.

    DESTEK_DATA_DIR=… python bench/generate.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench1m python bench/generate.py

It migrates the database, creates the workspace "bench" (owner patron@bench.test, admin
yonetici@bench.test, agents temsilci01…20@bench.test, password "bench-pass") and refuses to run
again when that workspace exists: the data is built once and shared. ``--tickets`` makes a
smaller one. The history is two years long, ending now: older tickets resolved and closed,
recent ones still open; weekdays busier than weekends; a few reopened; SLA due times computed
with the workspace's real calendar (Turkish holidays included).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "destek.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402

from bench import words  # noqa: E402
from destek.accounts.models import Membership, Role, User, Workspace  # noqa: E402
from destek.accounts.services import create_workspace  # noqa: E402
from destek.sla.clock import add_business_time, add_clock_time  # noqa: E402
from destek.sla.models import SlaPolicy  # noqa: E402
from destek.sla.services import load_calendar  # noqa: E402
from destek.tickets.models import (  # noqa: E402
    Category,
    Customer,
    Message,
    Team,
    Ticket,
    TicketEvent,
)

SLUG = "bench"
PASSWORD = "bench-pass"
DAYS = 730
CHUNK = 20_000
PRIORITIES = (("P0", 3), ("P1", 17), ("P2", 65), ("P3", 15))
# Weekday weights (Monday first) and the hours people write in.
DAY_WEIGHT = (1.0, 1.0, 0.95, 0.95, 0.9, 0.35, 0.25)
HOUR_WEIGHT = [1, 1, 1, 1, 1, 2, 3, 6, 10, 14, 14, 13, 11, 12, 13, 12, 10, 8, 6, 5, 4, 3, 2, 1]


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


# --- Writing rows fast -------------------------------------------------------------------------


def _constant(field: models.Field) -> object:
    """A column the generator does not fill (added later by another feature): its default."""
    value = field.get_default()
    if isinstance(value, dict | list):
        return json.dumps(value)
    return field.get_db_prep_save(value, connection)


def insert(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert plain tuples into ``model``'s table; datetimes are aware UTC."""
    fields = [f for f in model._meta.concrete_fields if f.column not in columns]
    extra = [f for f in fields if not (f.primary_key or f.null)]
    extra_values = tuple(_constant(f) for f in extra)
    all_columns = list(columns) + [f.column for f in extra]
    table = model._meta.db_table
    sqlite = connection.vendor == "sqlite"
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if sqlite:
            marks = ",".join("?" * len(all_columns))
            sql = f'INSERT INTO "{table}" ({",".join(all_columns)}) VALUES ({marks})'
            for batch in _batches(rows, CHUNK):
                raw.executemany(sql, [_sqlite_row(r) + extra_values for r in batch])
                count += len(batch)
        else:
            sql = f'COPY "{table}" ({",".join(all_columns)}) FROM STDIN'
            with raw.copy(sql) as copy:
                for row in rows:
                    copy.write_row(tuple(row) + extra_values)
                    count += 1
    return count


def _sqlite_row(row: Sequence) -> tuple:
    # Django stores SQLite datetimes as naive UTC text.
    return tuple(
        v.replace(tzinfo=None).isoformat(" ") if isinstance(v, datetime) else v for v in row
    )


def _batches(rows: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def reset_sequences(*model_list: type[models.Model]) -> None:
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(model_list)):
            cursor.execute(sql)


# --- The people and the workspace --------------------------------------------------------------


def build_workspace(agent_count: int) -> tuple[Workspace, list[int], dict[int, list[int]]]:
    workspace = create_workspace(
        name="Bench Mağaza",
        slug=SLUG,
        prefix="BN",
        owner_email="patron@bench.test",
        owner_password=PASSWORD,
        owner_name="Kemal Patron",
        admin_email="yonetici@bench.test",
        admin_password=PASSWORD,
    )
    workspace.seat_limit = agent_count + 10
    workspace.activated_at = datetime.now(UTC)
    workspace.save(update_fields=["seat_limit", "activated_at"])
    password = make_password(PASSWORD)
    agents = []
    for i in range(1, agent_count + 1):
        name = f"{words.FIRST[i % len(words.FIRST)]} {words.LAST[i % len(words.LAST)]}"
        user = User.objects.create(
            email=f"temsilci{i:02d}@bench.test", name=name, password=password
        )
        agents.append(Membership.objects.create(workspace=workspace, user=user, role=Role.AGENT))
    teams = [
        Team.objects.create(workspace=workspace, name=name)
        for name in ("Teknik", "Satış", "Muhasebe")
    ]
    for index, member in enumerate(agents):
        teams[index % len(teams)].members.add(member)
    team_agents: dict[int, list[int]] = {
        team.pk: [m.user_id for i, m in enumerate(agents) if i % len(teams) == t]
        for t, team in enumerate(teams)
    }
    for index, category in enumerate(Category.objects.filter(workspace=workspace)):
        category.team = teams[index % len(teams)]
        category.save(update_fields=["team"])
    return workspace, [m.user_id for m in agents], team_agents


def build_customers(workspace: Workspace, count: int) -> int:
    first_id = next_id(Customer)
    now = datetime.now(UTC)
    rng = random.Random(7)

    def rows() -> Iterator[tuple]:
        for i in range(count):
            first, last = rng.choice(words.FIRST), rng.choice(words.LAST)
            email = f"{_ascii(first)}.{_ascii(last)}{i}@{rng.choice(words.DOMAINS)}"
            yield (first_id + i, workspace.pk, email, f"{first} {last}", "", "", None, now)

    columns = ["id", "workspace_id", "email", "name", "phone", "notes", "organization_id"]
    insert(Customer, [*columns, "created_at"], rows())
    return first_id


def _ascii(text: str) -> str:
    return text.lower().translate(str.maketrans("çğıöşüâî", "cgiosuai")).replace("i̇", "i")


# --- The tickets and their history -------------------------------------------------------------


class History:
    """Draws one ticket's life: times, status, people, messages and events."""

    def __init__(self, workspace: Workspace, agents: list[int], team_agents: dict[int, list[int]]):
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.start = self.now - timedelta(days=DAYS)
        self.rng = random.Random(42)
        self.agents = agents
        self.team_agents = team_agents
        self.categories = list(
            Category.objects.filter(workspace=workspace).values_list("pk", "team_id")
        )
        calendar = load_calendar(workspace)
        self.targets: dict[str, tuple[Callable, int | None, int | None]] = {}
        for policy in SlaPolicy.objects.filter(workspace=workspace):
            add = (
                (lambda s, m, c=calendar: add_business_time(s, m, c))
                if policy.business_hours
                else add_clock_time
            )
            self.targets[policy.priority] = (
                add,
                policy.first_response_minutes,
                policy.resolution_minutes,
            )
        days = [self.start.date() + timedelta(days=d) for d in range(DAYS + 1)]
        self.days = days
        self.day_weights = [DAY_WEIGHT[d.weekday()] for d in days]
        self.priorities = [p for p, _ in PRIORITIES]
        self.priority_weights = [w for _, w in PRIORITIES]

    def created_times(self, count: int) -> list[datetime]:
        rng = self.rng
        picked_days = rng.choices(self.days, weights=self.day_weights, k=count)
        hours = rng.choices(range(24), weights=HOUR_WEIGHT, k=count)
        times = []
        for day, hour in zip(picked_days, hours, strict=True):
            # Istanbul is UTC+3 all year.
            instant = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
                hours=hour - 3, seconds=rng.randrange(3600)
            )
            times.append(min(instant, self.now - timedelta(minutes=1)))
        times.sort()
        return times

    def ticket(self, created: datetime) -> dict:
        rng = self.rng
        priority = rng.choices(self.priorities, weights=self.priority_weights)[0]
        category_id, team_id = rng.choice(self.categories)
        people = self.team_agents.get(team_id) or self.agents
        # Old tickets were all picked up; of the last three days' some still wait in the queue.
        recent = created > self.now - timedelta(days=3)
        assignee = None if recent and rng.random() < 0.3 else rng.choice(people)
        first = created + timedelta(minutes=rng.lognormvariate(4.0, 1.2))
        first = first if first < self.now and assignee else None
        resolved = closed = None
        reopened = False
        if first is not None:
            resolved = first + timedelta(minutes=rng.lognormvariate(6.8, 1.4))
            if resolved >= self.now:
                resolved = None
            elif rng.random() < 0.06:
                reopened = True
        if resolved is not None and resolved + timedelta(days=7) < self.now:
            closed = resolved + timedelta(days=7)
        if closed:
            status = "closed"
        elif resolved:
            status = "resolved"
        elif first:
            status = "pending" if rng.random() < 0.3 else "open"
        else:
            status = "new"
        return {
            "created": created,
            "priority": priority,
            "category": category_id,
            "team": team_id,
            "assignee": assignee,
            "first": first,
            "resolved": resolved,
            "closed": closed,
            "reopened": reopened,
            "status": status,
        }

    def due(self, t: dict) -> tuple:
        add, first_minutes, resolution_minutes = self.targets[t["priority"]]
        created = t["created"]
        first_due = add(created, first_minutes) if first_minutes else None
        resolution_due = add(created, resolution_minutes) if resolution_minutes else None
        active = t["status"] in ("new", "open", "pending")
        first_near = add(created, first_minutes * 0.8) if active and first_minutes else None
        res_near = add(created, resolution_minutes * 0.8) if active and resolution_minutes else None
        first_breach = first_due if first_due and (t["first"] or self.now) > first_due else None
        res_breach = (
            resolution_due
            if resolution_due and (t["resolved"] or self.now) > resolution_due
            else None
        )
        return first_due, first_near, resolution_due, res_near, first_breach, res_breach


def _text(rng: random.Random, pool: list[str], count: int) -> str:
    return " ".join(rng.sample(pool, count)).replace("{n}", str(rng.randrange(100000, 999999)))


def messages_of(rng: random.Random, t: dict, customer_name: str, agent_names: dict) -> list:
    """(kind, author, at, text) in order; about four per ticket."""
    first_name = customer_name.split()[0]
    created, first, end = t["created"], t["first"], t["resolved"]

    def customer_text() -> str:
        return "\n\n".join(
            (
                rng.choice(words.GREETINGS),
                _text(rng, words.CUSTOMER_SENTENCES, rng.randint(2, 4)),
                f"{rng.choice(words.CLOSINGS)}\n{customer_name}",
            )
        )

    def reply_text() -> str:
        return "\n\n".join(
            (
                rng.choice(words.REPLY_OPENINGS).format(name=first_name),
                _text(rng, words.REPLY_SENTENCES, rng.randint(1, 3)),
                f"{rng.choice(words.REPLY_CLOSINGS)}\n{agent_names.get(t['assignee'], '')}",
            )
        )

    out = [("customer", None, created, customer_text())]
    if first is None:
        if rng.random() < 0.4:
            out.append(("customer", None, created + timedelta(hours=2), customer_text()))
        return out
    out.append(("reply", t["assignee"], first, reply_text()))
    extra = rng.choice((0, 1, 2, 2, 3, 4))
    last = end or first + timedelta(hours=6)
    step = (last - first) / (extra + 1)
    for i in range(extra):
        at = first + step * (i + 1)
        if rng.random() < 0.2:
            out.append(("note", t["assignee"], at, rng.choice(words.NOTES)))
        elif i % 2 == 0:
            out.append(("customer", None, at, customer_text()))
        else:
            out.append(("reply", t["assignee"], at, reply_text()))
    return out


def events_of(t: dict) -> list:
    """(kind, actor, old, new, at) of the status history."""
    out = [("created", None, "", "new", t["created"])]
    if t["assignee"]:
        out.append(("assignee", None, "", str(t["assignee"]), t["created"]))
    if t["first"]:
        out.append(("status", t["assignee"], "new", "open", t["first"]))
    if t["resolved"]:
        if t["reopened"]:
            middle = t["first"] + (t["resolved"] - t["first"]) / 2
            out.append(("status", t["assignee"], "open", "resolved", middle))
            out.append(("reopened", None, "resolved", "open", middle + timedelta(minutes=30)))
            out.append(("status", None, "resolved", "open", middle + timedelta(minutes=30)))
        out.append(("status", t["assignee"], "open", "resolved", t["resolved"]))
    elif t["status"] == "pending":
        out.append(("status", t["assignee"], "open", "pending", t["first"]))
    if t["closed"]:
        out.append(("status", None, "resolved", "closed", t["closed"]))
    return out


TICKET_COLUMNS = [
    "id", "workspace_id", "number", "subject", "customer_id", "status", "priority",
    "category_id", "assignee_id", "team_id", "created_at", "updated_at", "first_response_at",
    "resolved_at", "closed_at", "last_customer_activity_at", "last_agent_activity_at",
    "reopen_count", "first_response_due_at", "first_response_near_at", "resolution_due_at",
    "resolution_near_at", "sla_paused_at", "sla_paused_seconds", "sla_first_response_warned_at",
    "sla_first_response_breached_at", "sla_resolution_warned_at", "sla_resolution_breached_at",
]  # fmt: skip
MESSAGE_COLUMNS = [
    "id", "workspace_id", "ticket_id", "kind", "author_id", "customer_id", "text", "html",
    "visible_text", "created_at",
]  # fmt: skip
EVENT_COLUMNS = [
    "id", "workspace_id", "ticket_id", "actor_id", "kind", "old_value", "new_value", "created_at",
]  # fmt: skip


def build_tickets(
    workspace: Workspace,
    history: History,
    count: int,
    first_customer: int,
    customers: int,
    done: int = 0,
) -> tuple[int, int]:
    rng = history.rng
    ticket_id, message_id, event_id = next_id(Ticket), next_id(Message), next_id(TicketEvent)
    names = dict(Customer.objects.filter(workspace=workspace).values_list("pk", "name")[:customers])
    agent_names = dict(User.objects.filter(pk__in=history.agents).values_list("pk", "name"))
    times = history.created_times(count)
    messages: list[tuple] = []
    events: list[tuple] = []
    totals = [0, 0]
    block = 50_000
    for start in range(done, count, block):
        tickets = []
        for number in range(start + 1, min(start + block, count) + 1):
            t = history.ticket(times[number - 1])
            customer = first_customer + rng.randrange(customers)
            thread = messages_of(rng, t, names[customer], agent_names)
            last_customer = max(at for kind, _, at, _ in thread if kind == "customer")
            agent_times = [at for kind, _, at, _ in thread if kind != "customer"]
            updated = max(at for _, _, at, _ in thread)
            due = history.due(t)
            tickets.append(
                (
                    ticket_id,
                    workspace.pk,
                    number,
                    _subject(rng),
                    customer,
                    t["status"],
                    t["priority"],
                    t["category"],
                    t["assignee"],
                    t["team"],
                    t["created"],
                    max(updated, t["closed"] or updated),
                    t["first"],
                    t["resolved"],
                    t["closed"],
                    last_customer,
                    max(agent_times) if agent_times else None,
                    1 if t["reopened"] else 0,
                    due[0],
                    due[1],
                    due[2],
                    due[3],
                    t["first"] if t["status"] == "pending" else None,
                    0,
                    None,
                    due[4],
                    None,
                    due[5],
                )  # fmt: skip
            )
            for kind, author, at, text in thread:
                messages.append(
                    (
                        message_id,
                        workspace.pk,
                        ticket_id,
                        kind,
                        author,
                        customer if kind == "customer" else None,
                        text,
                        "",
                        "",
                        at,
                    )  # fmt: skip
                )
                message_id += 1
            for kind, actor, old, new, at in events_of(t):
                events.append((event_id, workspace.pk, ticket_id, actor, kind, old, new, at))
                event_id += 1
            ticket_id += 1
        with transaction.atomic():
            insert(Ticket, TICKET_COLUMNS, tickets)
            insert(Message, MESSAGE_COLUMNS, messages)
            insert(TicketEvent, EVENT_COLUMNS, events)
        totals[0] += len(messages)
        totals[1] += len(events)
        messages.clear()
        events.clear()
        log(f"{start + len(tickets):,} tickets, {totals[0]:,} messages, {totals[1]:,} events")
    Workspace.objects.filter(pk=workspace.pk).update(ticket_counter=count)
    return totals[0], totals[1]


def _subject(rng: random.Random) -> str:
    subject = rng.choice(words.SUBJECTS)
    return subject if rng.random() < 0.7 else f"{subject} ({rng.randrange(10000, 99999)})"


def analyse() -> None:
    """Planner statistics; on PostgreSQL also the visibility map, so that the reports' covering
    indexes are read without visiting the table (index-only scans)."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--agents", type=int, default=20)
    parser.add_argument(
        "--resume", action="store_true", help="finish a run that stopped half-way (same seed)"
    )
    args = parser.parse_args()
    began = time.monotonic()
    call_command("migrate", verbosity=0)
    if args.resume:
        return resume(args)
    if Workspace.objects.filter(slug=SLUG).exists():
        sys.exit(f'The workspace "{SLUG}" exists already: the data is built once.')
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    workspace, agents, team_agents = build_workspace(args.agents)
    first_customer = build_customers(workspace, args.customers)
    log(f"{args.customers:,} customers")
    history = History(workspace, agents, team_agents)
    message_count, event_count = build_tickets(
        workspace, history, args.tickets, first_customer, args.customers
    )
    reset_sequences(Customer, Ticket, Message, TicketEvent)
    log("report tables")
    call_command("rebuild_reports", workspace=SLUG)
    log("analysing")
    analyse()
    minutes = (time.monotonic() - began) / 60
    log(
        f"done in {minutes:.1f} min: {args.tickets:,} tickets, {message_count:,} messages, "
        f"{event_count:,} events, {args.customers:,} customers, {len(agents)} agents"
    )


def resume(args: argparse.Namespace) -> None:
    """Add the tickets a stopped run did not write: each block is one transaction, so the
    tickets present are whole; the creation times continue the same sorted sequence."""
    workspace = Workspace.objects.get(slug=SLUG)
    done = Ticket.objects.filter(workspace=workspace).count()
    agents = list(
        Membership.objects.filter(workspace=workspace, role=Role.AGENT).values_list(
            "user_id", flat=True
        )
    )
    team_agents: dict[int, list[int]] = {}
    for team in Team.objects.filter(workspace=workspace):
        team_agents[team.pk] = list(team.members.values_list("user_id", flat=True))
    first_customer = Customer.objects.filter(workspace=workspace).order_by("pk").first().pk
    history = History(workspace, agents, team_agents)
    log(f"resuming after {done:,} tickets")
    build_tickets(workspace, history, args.tickets, first_customer, args.customers, done)
    reset_sequences(Customer, Ticket, Message, TicketEvent)
    call_command("rebuild_reports", workspace=SLUG)
    analyse()
    log("done")


if __name__ == "__main__":
    main()
