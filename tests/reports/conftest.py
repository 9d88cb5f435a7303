"""A small hand-built history for the report tests (DESIGN §8), in Istanbul time (UTC+3).

Monday 26 October – Sunday 1 November 2026 is the reported week: Wednesday 28 October is a half
day (closes 13:00), Thursday 29 October is Republic Day, and the weekend is closed. Business
hours are the default Mon–Fri 09:00–18:00. The expected numbers are worked out by hand in
tests/reports/test_metrics.py; the comments there show the sums.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from destek.accounts.models import User
from destek.portal.models import SatisfactionRating
from destek.tickets import actions
from destek.tickets.models import Category, Ticket
from destek.tickets.status import Status

IST = ZoneInfo("Europe/Istanbul")


def at(day: int, hour: int, minute: int = 0, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=IST)


# "Now" for every test: Monday 2 November 2026, 10:00 in Istanbul.
NOW = at(2, 10, month=11)


@dataclass
class History:
    t1: Ticket
    t2: Ticket
    t3: Ticket
    t4: Ticket
    t5: Ticket
    t6: Ticket
    t7: Ticket
    agent: User
    admin: User
    software: Category
    billing: Category


@pytest.fixture
def history(workspace, customer, agent, admin) -> History:
    software = Category.objects.create(workspace=workspace, name="Yazılım")
    billing = Category.objects.create(workspace=workspace, name="Fatura")

    def ticket(created: datetime, priority: str, category: Category, assignee: User | None):
        made = actions.create_ticket(
            workspace=workspace,
            customer=customer,
            subject="Gizli-konu-5a1 iade",
            text="gizli-govde-5a1",
            priority=priority,
            category=category,
            created_at=created,
        )
        if assignee is not None:
            actions.assign(ticket=made, actor=admin, assignee=assignee, now=created)
        return made

    def reply(t: Ticket, who: User, when: datetime, status: str | None = None) -> None:
        actions.reply(ticket=t, actor=who, text="Yanıt", status=status, now=when)

    def status(t: Ticket, who: User | None, when: datetime, to: str) -> None:
        actions.change_status(ticket=t, actor=who, status=to, now=when)

    # T1: Monday 10:00, a note at 10:30 (does not count), first reply 11:30, resolved Tue 10:00.
    t1 = ticket(at(26, 10), "P2", software, agent)
    actions.add_note(ticket=t1, actor=agent, text="not", now=at(26, 10, 30))
    reply(t1, agent, at(26, 11, 30))
    status(t1, agent, at(27, 10), Status.RESOLVED)
    # T2: half-day Wednesday 12:00, answered on Friday 10:00 and paused (pending) until the
    # customer writes on Saturday 11:00; resolved Monday 2 November 09:30 (today).
    t2 = ticket(at(28, 12), "P1", billing, agent)
    reply(t2, agent, at(30, 10), status=Status.PENDING)
    actions.add_customer_message(ticket=t2, customer=customer, text="ek", now=at(31, 11))
    status(t2, agent, at(2, 9, 30, month=11), Status.RESOLVED)
    # T3: Friday 17:00, answered 17:30, resolved 17:45, reopened by the customer on Saturday,
    # answered again Sunday 11:00, resolved Sunday 12:00 and closed Sunday 13:00.
    t3 = ticket(at(30, 17), "P2", software, admin)
    reply(t3, admin, at(30, 17, 30))
    status(t3, admin, at(30, 17, 45), Status.RESOLVED)
    actions.add_customer_message(ticket=t3, customer=customer, text="olmadı", now=at(31, 10))
    reply(t3, admin, at(1, 11, month=11))
    status(t3, admin, at(1, 12, month=11), Status.RESOLVED)
    status(t3, None, at(1, 13, month=11), Status.CLOSED)
    # T4: Saturday 20:00, nobody has answered or taken it.
    t4 = ticket(at(31, 20), "P3", billing, None)
    # T5: the week before — Wednesday 21 October 09:00, answered 09:20, resolved Thu 09:00.
    t5 = ticket(at(21, 9), "P2", billing, agent)
    reply(t5, agent, at(21, 9, 20))
    status(t5, agent, at(22, 9), Status.RESOLVED)
    # T6: urgent, on the holiday (Thursday 29 October) 14:00, answered 15:30 (after its
    # one-hour target), closed without resolving on Friday 16:00 (after its 8-hour target).
    t6 = ticket(at(29, 14), "P0", software, agent)
    reply(t6, agent, at(29, 15, 30))
    status(t6, agent, at(30, 16), Status.CLOSED)
    # T7: today 09:15, taken by the agent, not answered yet.
    t7 = ticket(at(2, 9, 15, month=11), "P2", software, agent)
    # Satisfaction: T1 gets 5 and T3 gets 2 in the week, T5 gets 4 the week before.
    for rated, score, when in ((t1, 5, at(27, 12)), (t3, 2, at(30, 18)), (t5, 4, at(22, 10))):
        SatisfactionRating.objects.create(
            workspace=workspace,
            ticket=rated,
            customer=customer,
            score=score,
            comment="gizli-yorum-5a1",
            created_at=when,
        )
    return History(t1, t2, t3, t4, t5, t6, t7, agent, admin, software, billing)
