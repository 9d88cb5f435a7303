"""The demo workspace (``destek demo``): a Turkish online shop's desk after two busy months.

Building it has two halves. :func:`plan_tickets` is pure: from a seed and a "now" it writes each
ticket's story as time-stamped steps (who claims it, when the first answer goes out, when the
customer answers, when it is resolved and auto-closed). :func:`build_demo` plays those steps
through ``tickets.actions`` with explicit timestamps, exactly as the web app would have done at
those moments, so first-response times, reopens and follow-ups in the reports are real.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from destek.accounts.models import Membership, Role, User, Workspace
from destek.accounts.services import activate_workspace, add_member, create_workspace
from destek.tickets import actions
from destek.tickets.demo_content import (
    BANKS,
    CARGO,
    CITIES,
    CUSTOMERS,
    FOLLOW_UP,
    FOLLOW_UP_RESOLUTION,
    INTERIM,
    NUDGE,
    ORGANIZATIONS,
    PASSWORD,
    PRODUCTS,
    REOPEN,
    SCENARIOS,
    SECOND_RESOLUTION,
    SHOPPER_DOMAINS,
    SIGNATURE,
    SPAM,
    SPAM_NOTE,
    SPAMMER,
    STAFF,
    THIRD_PARTY,
    URGENT_NUDGE,
    Scenario,
)
from destek.tickets.models import Category, Customer, Organization, Ticket
from destek.tickets.setup import default_categories
from destek.tickets.status import Status

DEFAULT_SEED = 1042
DEFAULT_TICKETS = 200
DAYS = 60
TZ = ZoneInfo("Europe/Istanbul")
OPENS, CLOSES = 9, 18  # business hours, Mon–Fri (DESIGN §6)
AUTO_CLOSE_DAYS = 7  # the workspace default

# Every sender of the demo; the spammer last.
ALL_CUSTOMERS = [*CUSTOMERS, (SPAMMER[0], None)]
# People who work tickets, as indexes into WORKERS: the admin now and then, the agents mostly.
WORKERS = [email for email, _name, role in STAFF if role in {Role.ADMIN, Role.AGENT}]
ADMIN = 0
HANDLER_WEIGHTS = [1, 4, 3, 3]

# Share of tickets per final state; "spam" is closed without an answer.
FATES = {"new": 0.06, "open": 0.13, "pending": 0.08, "resolved": 0.11, "spam": 0.03}
# How many days ago a ticket with that fate was opened.
AGE_DAYS = {
    "new": (0.02, 0.8),
    "open": (0.1, 5),
    "pending": (0.5, 8),
    "resolved": (1, 6.5),
    "closed": (9, DAYS),
    "spam": (0.5, DAYS),
}
# Minutes to the first answer and from there to the fix; P0 runs around the clock.
FIRST_RESPONSE = {"P0": (4, 75), "P1": (15, 240), "P2": (30, 540), "P3": (120, 1080)}
WORK = {"P0": (20, 180), "P1": (60, 600), "P2": (120, 1440), "P3": (540, 5400)}
ACK = (
    "Merhaba {first},\n\nTalebinizi aldık, inceliyoruz. En kısa sürede size dönüş yapacağız."
    + SIGNATURE
)
ASK = (
    "Merhaba {first},\n\nKonuyu netleştirebilmemiz için sorunu yaşadığınız sayfanın adresini ve "
    "mümkünse bir ekran görüntüsü paylaşabilir misiniz?" + SIGNATURE
)


@dataclass(frozen=True)
class Step:
    """One thing that happens to a ticket; ``actor`` indexes WORKERS, None is the system."""

    at: datetime
    action: str  # a key of STEP_ACTIONS
    actor: int | None = None
    text: str = ""
    status: str = ""
    tags: tuple[str, ...] = ()
    assignee: int | None = None


@dataclass(frozen=True)
class TicketPlan:
    customer: int  # index into ALL_CUSTOMERS
    subject: str
    text: str
    category: int | None  # index into the default categories
    priority: str
    created_at: datetime
    steps: tuple[Step, ...]


# --- Time: agents answer in business hours, customers write while awake ----------------------


def _next_business_moment(moment: datetime) -> datetime:
    local = moment.astimezone(TZ)
    opening = local.replace(hour=OPENS, minute=0, second=0, microsecond=0)
    closing = local.replace(hour=CLOSES, minute=0, second=0, microsecond=0)
    if local.weekday() < 5 and local < closing:
        return max(local, opening)
    day = opening + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def add_business_minutes(moment: datetime, minutes: float) -> datetime:
    """``moment`` plus that much working time (Mon–Fri 09:00–18:00 Istanbul)."""
    current = _next_business_moment(moment)
    remaining = timedelta(minutes=minutes)
    while True:
        closing = current.replace(hour=CLOSES, minute=0, second=0, microsecond=0)
        if current + remaining <= closing:
            return current + remaining
        remaining -= closing - current
        current = _next_business_moment(closing)


def _awake(moment: datetime, rng: random.Random) -> datetime:
    """Customers write between 08:00 and 23:30; a night-time moment moves to the morning."""
    local = moment.astimezone(TZ)
    if local.hour >= 8 and (local.hour, local.minute) < (23, 30):
        return local
    morning = local.replace(hour=8, minute=0, second=0, microsecond=0)
    if local.hour >= 8:
        morning += timedelta(days=1)
    return morning + timedelta(minutes=rng.randint(0, 150))


@dataclass
class _Story:
    """Steps of one ticket being written in time order."""

    rng: random.Random
    at: datetime
    urgent: bool
    steps: list[Step] = field(default_factory=list)

    def agent(self, minutes: tuple[int, int], action: str, **kwargs: object) -> None:
        delay = self.rng.randint(*minutes)
        if self.urgent:
            self.at += timedelta(minutes=delay)
        else:
            self.at = add_business_minutes(self.at, delay)
        self.steps.append(Step(at=self.at, action=action, **kwargs))

    def customer(self, hours: tuple[float, float], text: str) -> None:
        self.at = _awake(self.at + timedelta(hours=self.rng.uniform(*hours)), self.rng)
        self.steps.append(Step(at=self.at, action="customer", text=text))

    def system(self, at: datetime, action: str, **kwargs: object) -> None:
        self.at = at
        self.steps.append(Step(at=at, action=action, **kwargs))


# --- Planning -----------------------------------------------------------------------------


def _fates(rng: random.Random, count: int) -> list[str]:
    fates = [fate for fate, share in FATES.items() for _ in range(round(count * share))]
    fates += ["closed"] * (count - len(fates))
    rng.shuffle(fates)
    return fates[:count]


def _priority(rng: random.Random, scenario: Scenario, defaults: list[str]) -> str:
    if scenario.priority:
        return scenario.priority
    priority = defaults[scenario.category]
    # A tenth of the requests are triaged one step away from the category's default.
    if priority in {"P1", "P2"} and rng.random() < 0.1:
        return {"P1": "P2", "P2": "P1"}[priority]
    return priority


def _fill(rng: random.Random, customer: int, handler: int) -> dict[str, str]:
    name, organization = ALL_CUSTOMERS[customer]
    brand, domain = ORGANIZATIONS[organization] if organization is not None else ("", "")
    return {
        "customer": name,
        "first": name.split()[0],
        "agent": _staff_name(WORKERS[handler]),
        "order": f"DM-{rng.randint(100000, 999999)}",
        "product": rng.choice(PRODUCTS),
        "amount": f"{rng.randint(149, 4890):,}".replace(",", "."),
        "cargo": rng.choice(CARGO),
        "bank": rng.choice(BANKS),
        "city": rng.choice(CITIES),
        "brand": brand,
        "domain": domain,
    }


def _staff_name(email: str) -> str:
    return next(name for address, name, _role in STAFF if address == email)


def _work(story: _Story, scenario: Scenario, fate: str, handler: int, words: dict) -> None:
    """From the first answer to the fix, stopping where a ticket of this fate stops."""
    nudge = URGENT_NUDGE if story.urgent else NUDGE
    if scenario.reply:
        if scenario.asks_info:
            story.agent((0, 0), "reply", actor=handler, text=words["reply"], status="pending")
            if fate == "pending" and story.rng.random() < 0.7:
                return
            story.customer((0.3, 30), scenario.answer.format(**words))
        else:
            story.agent((0, 0), "reply", actor=handler, text=words["reply"])
        if scenario.note and story.rng.random() < 0.75:
            story.agent((5, 60), "note", actor=handler, text=scenario.note.format(**words))
    elif fate == "open" or story.rng.random() < 0.6:
        # A request that takes a while first gets a short "we are on it".
        story.agent((0, 0), "reply", actor=handler, text=ACK.format(**words))
    if scenario.third_party or fate == "pending":
        text = THIRD_PARTY if scenario.third_party else ASK
        story.agent((10, 90), "reply", actor=handler, text=text.format(**words), status="pending")
        if fate == "pending":
            return
        if story.rng.random() < 0.3:
            story.customer((4, 60), NUDGE)
    if fate == "open":
        if story.rng.random() < 0.4:
            story.customer((2, 20), nudge)
        return
    if story.rng.random() < 0.2:
        story.customer((3, 26), nudge)
        story.agent((10, 120), "reply", actor=handler, text=INTERIM.format(**words))
    if not scenario.reply and scenario.note and story.rng.random() < 0.5:
        story.agent((5, 60), "note", actor=handler, text=scenario.note.format(**words))
    work = WORK["P0" if story.urgent else words["_priority"]]
    story.agent(work, "reply", actor=handler, text=words["resolution"], status=Status.RESOLVED)


def _close(story: _Story, handler: int) -> None:
    """Most resolved tickets are closed by the hourly auto-close job (tickets.tasks, minute 7)
    a week later; some agents close them by hand once the customer confirms."""
    if story.rng.random() < 0.15:
        story.agent((60, 1440), "status", actor=handler, status=Status.CLOSED)
        return
    due = story.at + timedelta(days=AUTO_CLOSE_DAYS)
    run = due.replace(minute=7, second=0, microsecond=0)
    story.system(run if run >= due else run + timedelta(hours=1), "status", status=Status.CLOSED)


def _after_resolution(
    story: _Story, scenario: Scenario, fate: str, handler: int, words: dict
) -> None:
    """Some customers come back within the week (a reopen); old tickets get closed, and a few
    customers write again after that (a follow-up ticket)."""
    priority = words["_priority"]
    if story.rng.random() < 0.12:
        story.customer((10, 96), (scenario.reopen or REOPEN).format(**words))
        text = SECOND_RESOLUTION.format(**words)
        story.agent(WORK[priority], "reply", actor=handler, text=text, status=Status.RESOLVED)
    if fate != "closed":
        return
    _close(story, handler)
    if story.rng.random() < 0.06:
        story.customer((72, 480), FOLLOW_UP)
        story.agent(FIRST_RESPONSE[priority], "claim", actor=handler)
        text = FOLLOW_UP_RESOLUTION.format(**words)
        story.agent((30, 600), "reply", actor=handler, text=text, status=Status.RESOLVED)
        _close(story, handler)


def _plan_ticket(
    rng: random.Random,
    now: datetime,
    fate: str,
    customer: int,
    scenario: Scenario,
    priority: str,
) -> TicketPlan:
    low, high = AGE_DAYS[fate]
    created = _awake(now - timedelta(days=rng.uniform(low, high)), rng)
    handler = rng.choices(range(len(WORKERS)), weights=HANDLER_WEIGHTS)[0]
    words = _fill(rng, customer, handler)
    words |= {
        "_priority": priority,
        "reply": scenario.reply.format(**words),
        "resolution": scenario.resolution.format(**words),
    }
    story = _Story(rng=rng, at=created, urgent=priority == "P0")
    if fate == "spam":
        story.agent((20, 600), "note", actor=handler, text=SPAM_NOTE)
        story.agent((0, 2), "status", actor=handler, status=Status.CLOSED)
    elif fate == "new":
        if rng.random() < 0.3:
            story.agent((5, 40), "assign", actor=ADMIN, assignee=handler)
    else:
        if rng.random() < 0.35:
            story.agent((5, 40), "assign", actor=ADMIN, assignee=handler)
            story.agent(FIRST_RESPONSE[priority], "claim", actor=handler)
        else:
            story.agent(FIRST_RESPONSE[priority], "claim", actor=handler)
        if scenario.tags and rng.random() < 0.8:
            story.agent((0, 2), "tags", actor=handler, tags=scenario.tags)
        _work(story, scenario, fate, handler, words)
        if story.steps[-1].status == Status.RESOLVED:
            _after_resolution(story, scenario, fate, handler, words)
    subject = scenario.subject
    if "{order}" in scenario.opening and rng.random() < 0.4:
        subject = f"{subject} ({words['order']})"
    return TicketPlan(
        customer=customer,
        subject=subject,
        text=scenario.opening.format(**words),
        category=scenario.category,
        priority=priority,
        created_at=created,
        # What has not happened yet by "now" is simply not part of the story.
        steps=tuple(step for step in story.steps if step.at < now),
    )


def plan_tickets(
    *, seed: int = DEFAULT_SEED, now: datetime, count: int = DEFAULT_TICKETS
) -> list[TicketPlan]:
    """The demo's tickets in the order they were opened; the same seed and now give the same
    plan."""
    rng = random.Random(seed)  # noqa: S311 (sample data, not secrets)
    defaults = [str(priority) for _name, priority, _critical in default_categories()]
    shoppers = [i for i, (_name, org) in enumerate(CUSTOMERS) if org is None]
    clients = [i for i, (_name, org) in enumerate(CUSTOMERS) if org is not None]
    weights = {i: rng.choice([1, 1, 2, 3]) for i in range(len(CUSTOMERS))}
    plans = []
    for fate in _fates(rng, count):
        if fate == "spam":
            scenario, customer = SPAM, len(CUSTOMERS)
        else:
            scenario = rng.choice(SCENARIOS)
            pool = shoppers if scenario.audience == "shopper" else clients
            customer = rng.choices(pool, weights=[weights[i] for i in pool])[0]
        priority = _priority(rng, scenario, defaults) if scenario.category is not None else "P3"
        plans.append(_plan_ticket(rng, now, fate, customer, scenario, priority))
    return sorted(plans, key=lambda plan: plan.created_at)


# --- Playing the plan through the actions --------------------------------------------------


@dataclass(frozen=True)
class _Cast:
    workers: list[User]
    customer: Customer


def _claim(ticket: Ticket, step: Step, cast: _Cast) -> Ticket:
    return actions.claim(ticket=ticket, actor=cast.workers[step.actor], now=step.at)


def _assign(ticket: Ticket, step: Step, cast: _Cast) -> Ticket:
    assignee = cast.workers[step.assignee]
    return actions.assign(
        ticket=ticket, actor=cast.workers[step.actor], assignee=assignee, now=step.at
    )


def _reply(ticket: Ticket, step: Step, cast: _Cast) -> Ticket:
    actor = cast.workers[step.actor]
    status = step.status or None
    return actions.reply(
        ticket=ticket, actor=actor, text=step.text, status=status, now=step.at
    ).ticket


def _note(ticket: Ticket, step: Step, cast: _Cast) -> Ticket:
    actor = cast.workers[step.actor]
    return actions.add_note(ticket=ticket, actor=actor, text=step.text, now=step.at).ticket


def _customer(ticket: Ticket, step: Step, cast: _Cast) -> Ticket:
    # On a closed ticket this opens a follow-up; the rest of the story continues there.
    message = actions.add_customer_message(
        ticket=ticket, customer=cast.customer, text=step.text, now=step.at
    )
    return message.ticket


def _status(ticket: Ticket, step: Step, cast: _Cast) -> Ticket:
    actor = cast.workers[step.actor] if step.actor is not None else None
    return actions.change_status(ticket=ticket, actor=actor, status=step.status, now=step.at)


def _tags(ticket: Ticket, step: Step, cast: _Cast) -> Ticket:
    return actions.set_tags(
        ticket=ticket, actor=cast.workers[step.actor], names=step.tags, now=step.at
    )


STEP_ACTIONS: dict[str, Callable[[Ticket, Step, _Cast], Ticket]] = {
    "claim": _claim,
    "assign": _assign,
    "reply": _reply,
    "note": _note,
    "customer": _customer,
    "status": _status,
    "tags": _tags,
}


def _ascii(text: str) -> str:
    return text.translate(str.maketrans("çğıöşüÇĞİÖŞÜ", "cgiosuCGIOSU")).lower()


def customer_email(index: int) -> str:
    if index == len(CUSTOMERS):
        return SPAMMER[1]
    name, organization = CUSTOMERS[index]
    first, last = _ascii(name).split()
    if organization is not None:
        return f"{first}@{ORGANIZATIONS[organization][1]}"
    return f"{first}.{last}@{SHOPPER_DOMAINS[index % len(SHOPPER_DOMAINS)]}"


def _staff() -> dict[str, User]:
    # Argon2 is deliberately slow: hash the shared demo password once for every demo user.
    hashed = make_password(PASSWORD)
    users = {}
    for email, name, _role in STAFF:
        users[email], _ = User.objects.get_or_create(
            email=email, defaults={"name": name, "password": hashed}
        )
    return users


def _customers(workspace: Workspace) -> list[Customer]:
    organizations = [
        Organization.objects.create(workspace=workspace, name=name, domain=domain)
        for name, domain in ORGANIZATIONS
    ]
    customers = []
    for index, (name, organization) in enumerate(ALL_CUSTOMERS):
        customer = actions.get_or_create_customer(
            workspace=workspace, email=customer_email(index), name=name
        )
        if organization is not None:
            customer.organization = organizations[organization]
            customer.save(update_fields=["organization"])
        customers.append(customer)
    return customers


def _seed_kb(workspace: Workspace, *, author: User, now: datetime) -> None:
    """The SSS articles for the demo's FAQ topics, when the knowledge base is installed."""
    if apps.is_installed("destek.kb"):
        from destek.kb.demo import seed_kb

        seed_kb(workspace=workspace, author=author, now=now)


@transaction.atomic
def build_demo(
    *,
    slug: str = "demo",
    tickets: int = DEFAULT_TICKETS,
    seed: int = DEFAULT_SEED,
    now: datetime | None = None,
) -> Workspace:
    """Create the demo workspace, its people, customers and ``tickets`` tickets."""
    now = now or timezone.now()
    users = _staff()
    owner, admin = (email for email, _name, role in STAFF if role in {Role.OWNER, Role.ADMIN})
    workspace = create_workspace(
        name="Demo Mağaza",
        slug=slug,
        prefix="DST",
        owner_email=owner,
        owner_name=users[owner].name,
        admin_email=admin,
    )
    for email, _name, role in STAFF:
        if role == Role.AGENT:
            add_member(workspace=workspace, user=users[email], role=role)
    # A demo must never turn read-only when its trial would have ended.
    activate_workspace(workspace=workspace)
    customers = _customers(workspace)
    categories = list(Category.objects.filter(workspace=workspace).order_by("position"))
    workers = [users[email] for email in WORKERS]
    plans = plan_tickets(seed=seed, now=now, count=tickets)
    for plan in plans:
        ticket = actions.create_ticket(
            workspace=workspace,
            customer=customers[plan.customer],
            subject=plan.subject,
            text=plan.text,
            priority=plan.priority,
            category=categories[plan.category] if plan.category is not None else None,
            created_at=plan.created_at,
        )
        cast = _Cast(workers=workers, customer=customers[plan.customer])
        for step in plan.steps:
            ticket = STEP_ACTIONS[step.action](ticket, step, cast)
    _seed_kb(workspace, author=users[admin], now=now)
    # The desk has existed as long as its history: reports start from the workspace's birth.
    started = now - timedelta(days=DAYS + 1)
    Workspace.objects.filter(pk=workspace.pk).update(created_at=started)
    Membership.objects.filter(workspace=workspace).update(created_at=started)
    workspace.refresh_from_db()
    return workspace
