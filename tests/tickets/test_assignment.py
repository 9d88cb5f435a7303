"""Routing to a team and automatic assignment: fairness, availability, caps, the arrival order."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from destek.accounts.models import Membership, Role
from destek.tickets import actions, signals
from destek.tickets.assignment import route_and_assign
from destek.tickets.models import AssignmentMode, Category, EventKind, Team, Ticket
from destek.tickets.status import Status
from destek.tickets.timeline import describe
from tests.conftest import make_user


def members(workspace, *names: str, role: str = Role.AGENT, **fields: object) -> list[Membership]:
    made = []
    for name in names:
        user = make_user(f"{name.lower()}@anadolu.test", name)
        made.append(Membership.objects.create(workspace=workspace, user=user, role=role, **fields))
    return made


@pytest.fixture
def team(workspace) -> Team:
    return Team.objects.create(
        workspace=workspace, name="Teknik", assignment_mode=AssignmentMode.ROUND_ROBIN
    )


@pytest.fixture
def arrive(workspace, customer, django_capture_on_commit_callbacks):
    """A ticket created as ingest creates it, with the on-commit receivers run."""

    def make(**kwargs: object) -> Ticket:
        with django_capture_on_commit_callbacks(execute=True):
            ticket = actions.create_ticket(
                workspace=workspace, customer=customer, subject="Yardım", text="Merhaba", **kwargs
            )
        return Ticket.objects.get(pk=ticket.pk)

    return make


def holders(workspace) -> Counter:
    return Counter(
        Ticket.objects.filter(workspace=workspace).values_list("assignee__name", flat=True)
    )


def test_round_robin_gives_300_tickets_100_each(workspace, team, arrive):
    team.members.set(members(workspace, "Ali", "Banu", "Cem"))
    category = Category.objects.create(workspace=workspace, name="Kurulum", team=team)

    order = [arrive(category=category).assignee.display_name for _ in range(300)]

    assert holders(workspace) == {"Ali": 100, "Banu": 100, "Cem": 100}
    assert order[:6] == ["Ali", "Banu", "Cem", "Ali", "Banu", "Cem"]


def test_least_open_fills_up_the_agents_with_fewer_tickets_first(workspace, team, arrive):
    ali, banu, cem = members(workspace, "Ali", "Banu", "Cem")
    team.members.set([ali, banu, cem])
    for _ in range(50):
        actions.assign(ticket=arrive(), actor=None, assignee=ali.user)
    team.assignment_mode = AssignmentMode.LEAST_OPEN
    team.save()

    for _ in range(100):
        route_and_assign(_team_ticket(arrive, team))

    assert holders(workspace) == {"Ali": 50, "Banu": 50, "Cem": 50}


def _team_ticket(arrive, team: Team) -> Ticket:
    ticket = arrive()
    return actions.set_team(ticket=ticket, actor=None, team=team)


def test_least_open_counts_only_open_tickets(workspace, team, arrive, agent):
    ali, banu = members(workspace, "Ali", "Banu")
    team.members.set([ali, banu])
    team.assignment_mode = AssignmentMode.LEAST_OPEN
    team.save()
    for _ in range(3):
        done = actions.assign(ticket=arrive(), actor=agent, assignee=ali.user)
        actions.change_status(ticket=done, actor=agent, status=Status.RESOLVED)
    actions.assign(ticket=arrive(), actor=agent, assignee=banu.user)

    ticket = route_and_assign(_team_ticket(arrive, team))

    assert ticket.assignee == ali.user


def test_unavailable_capped_inactive_and_owner_members_are_skipped(workspace, team, arrive, owner):
    ali, banu, cem, deniz = members(workspace, "Ali", "Banu", "Cem", "Deniz")
    banu.is_available = False
    banu.save()
    cem.max_open_tickets = 1
    cem.save()
    deniz.is_active = False
    deniz.save()
    owner_membership = Membership.objects.get(workspace=workspace, user=owner)
    team.members.set([ali, banu, cem, deniz, owner_membership])

    assigned = [route_and_assign(_team_ticket(arrive, team)).assignee for _ in range(4)]

    assert [user.display_name for user in assigned] == ["Ali", "Cem", "Ali", "Ali"]


def test_nobody_available_leaves_the_ticket_in_the_team_queue(workspace, team, arrive):
    team.members.set(members(workspace, "Ali", is_available=False))
    category = Category.objects.create(workspace=workspace, name="Kurulum", team=team)

    ticket = arrive(category=category)

    assert (ticket.team, ticket.assignee) == (team, None)


def test_a_manual_team_only_routes(workspace, team, arrive):
    team.assignment_mode = AssignmentMode.MANUAL
    team.save()
    team.members.set(members(workspace, "Ali"))
    category = Category.objects.create(workspace=workspace, name="Kurulum", team=team)

    ticket = arrive(category=category)

    assert (ticket.team, ticket.assignee) == (team, None)
    sentences = [describe(event) for event in ticket.events.all()]
    assert sentences == ["Talep oluşturuldu", "Talep Teknik ekibine yönlendirildi"]


def test_automatic_assignment_is_in_the_timeline(workspace, team, arrive):
    team.members.set(members(workspace, "Ali"))
    category = Category.objects.create(workspace=workspace, name="Kurulum", team=team)

    ticket = arrive(category=category)

    assert [describe(event) for event in ticket.events.order_by("pk")] == [
        "Talep oluşturuldu",
        "Talep Teknik ekibine yönlendirildi",
        "Otomatik atama: talep Ali kişisine verildi",
    ]


def test_a_ticket_without_team_or_category_team_costs_no_query(workspace, arrive):
    category = Category.objects.create(workspace=workspace, name="Genel")
    plain, categorised = arrive(), arrive(category=category)
    categorised = Ticket.objects.select_related("category").get(pk=categorised.pk)

    with CaptureQueriesContext(connection) as queries:
        route_and_assign(plain)
        route_and_assign(categorised)

    assert len(queries) == 0
    assert (plain.team_id, categorised.team_id) == (None, None)


def test_rules_run_before_assignment_and_their_team_wins(workspace, team, arrive):
    other = Team.objects.create(
        workspace=workspace, name="Satış", assignment_mode=AssignmentMode.ROUND_ROBIN
    )
    team.members.set(members(workspace, "Ali"))
    other.members.set(members(workspace, "Banu"))
    category = Category.objects.create(workspace=workspace, name="Kurulum", team=team)
    seen = []

    def rule(sender, *, ticket, **kwargs):
        seen.append(ticket.assignee_id)
        actions.set_team(ticket=ticket, actor=None, team=other)
        return ["Satışa yönlendir"]  # the contract: truthy when the ticket was changed

    signals.ticket_arrived.connect(rule, dispatch_uid="test.rule")
    try:
        ticket = arrive(category=category)
    finally:
        signals.ticket_arrived.disconnect(dispatch_uid="test.rule")

    assert seen == [None]
    assert (ticket.team, ticket.assignee.display_name) == (other, "Banu")


def test_a_rule_routing_a_ticket_without_category_gets_it_assigned(workspace, team, arrive):
    team.members.set(members(workspace, "Ali"))

    def rule(sender, *, ticket, **kwargs):
        actions.set_team(ticket=ticket, actor=None, team=team)
        return ["Teknik'e yönlendir"]

    signals.ticket_arrived.connect(rule, dispatch_uid="test.rule")
    try:
        ticket = arrive()
    finally:
        signals.ticket_arrived.disconnect(dispatch_uid="test.rule")

    assert (ticket.team, ticket.assignee.display_name) == (team, "Ali")


def test_a_rule_that_forgot_to_say_it_changed_the_team_still_wins(workspace, team, arrive):
    # The category's team is not forced over the team a rule set: routing re-reads the row.
    other = Team.objects.create(workspace=workspace, name="Satış")
    category = Category.objects.create(workspace=workspace, name="Kurulum", team=team)

    def rule(sender, *, ticket, **kwargs):
        actions.set_team(ticket=ticket, actor=None, team=other)

    signals.ticket_arrived.connect(rule, dispatch_uid="test.rule")
    try:
        ticket = arrive(category=category)
    finally:
        signals.ticket_arrived.disconnect(dispatch_uid="test.rule")

    assert ticket.team == other


def test_a_failing_rule_does_not_stop_assignment(workspace, team, arrive):
    team.members.set(members(workspace, "Ali"))
    category = Category.objects.create(workspace=workspace, name="Kurulum", team=team)

    def broken(sender, **kwargs):
        raise RuntimeError("rule bug")

    signals.ticket_arrived.connect(broken, dispatch_uid="test.broken")
    try:
        ticket = arrive(category=category)
    finally:
        signals.ticket_arrived.disconnect(dispatch_uid="test.broken")

    assert ticket.assignee.display_name == "Ali"


def test_setting_a_category_routes_to_its_team_and_keeps_an_existing_team(
    workspace, team, arrive, agent, django_capture_on_commit_callbacks
):
    team.members.set(members(workspace, "Ali"))
    other = Team.objects.create(workspace=workspace, name="Satış")
    kurulum = Category.objects.create(workspace=workspace, name="Kurulum", team=team)
    plain, with_team = arrive(), arrive()
    actions.set_team(ticket=with_team, actor=agent, team=other)

    with django_capture_on_commit_callbacks(execute=True):
        actions.set_category(ticket=plain, actor=agent, category=kurulum)
        actions.set_category(ticket=with_team, actor=agent, category=kurulum)

    plain.refresh_from_db()
    with_team.refresh_from_db()
    assert (plain.team, plain.assignee.display_name) == (team, "Ali")
    assert (with_team.team, with_team.assignee) == (other, None)
    assert list(plain.events.values_list("kind", flat=True)) == [
        EventKind.CREATED,
        EventKind.CATEGORY,
        EventKind.TEAM,
        EventKind.ASSIGNEE,
    ]


def test_set_team_refuses_another_workspaces_team(other_workspace, ticket, agent):
    foreign = Team.objects.create(workspace=other_workspace, name="Teknik")

    with pytest.raises(actions.ActionError):
        actions.set_team(ticket=ticket, actor=agent, team=foreign)


def test_an_assigned_ticket_is_not_reassigned(workspace, team, arrive, agent):
    team.members.set(members(workspace, "Ali"))
    ticket = actions.assign(ticket=arrive(), actor=agent, assignee=agent)

    ticket = route_and_assign(actions.set_team(ticket=ticket, actor=agent, team=team))

    assert ticket.assignee == agent


# --- concurrency (PostgreSQL: real row locks between real connections) ---------------------------


def _assign_in_threads(tickets: list[Ticket], threads: int) -> None:
    import threading

    from django.db import connections

    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def work(share: list[Ticket]) -> None:
        try:
            barrier.wait()
            for ticket in share:
                route_and_assign(Ticket.objects.select_related("category").get(pk=ticket.pk))
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work, args=(tickets[i::threads],)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mode", [AssignmentMode.ROUND_ROBIN, AssignmentMode.LEAST_OPEN])
def test_concurrent_arrivals_stay_fair_and_within_caps(workspace, customer, mode):
    if connection.vendor != "postgresql":
        # Not a missing service: SQLite has no row locks to test; the PostgreSQL run does it.
        pytest.skip("row locks between connections are PostgreSQL's")
    team = Team.objects.create(workspace=workspace, name="Teknik", assignment_mode=mode)
    ali, banu, cem = members(workspace, "Ali", "Banu", "Cem")
    cem.max_open_tickets = 5
    cem.save()
    team.members.set([ali, banu, cem])
    tickets = [
        actions.create_ticket(workspace=workspace, customer=customer, subject="x", text="y")
        for _ in range(45)
    ]
    Ticket.objects.filter(workspace=workspace).update(team=team)

    _assign_in_threads(tickets, threads=4)

    assert holders(workspace) == {"Ali": 20, "Banu": 20, "Cem": 5}
