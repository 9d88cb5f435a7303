"""Tickets over the API: list with filters and a cursor, read, create, change."""

from __future__ import annotations

from destek.tickets import actions
from destek.tickets.models import Ticket, TicketEvent


def _make(workspace, customer, n: int) -> list[Ticket]:
    return [
        actions.create_ticket(workspace=workspace, customer=customer, subject=f"T{i}", text="x")
        for i in range(n)
    ]


def test_list_is_newest_first_with_a_cursor_to_the_next_page(agent_api, workspace, customer):
    _make(workspace, customer, 5)

    first = agent_api.get("tickets?limit=2")
    second = agent_api.get(f"tickets?limit=2&cursor={first.json()['next_cursor']}")
    third = agent_api.get(f"tickets?limit=2&cursor={second.json()['next_cursor']}")

    assert first.status_code == 200
    assert [t["number"] for t in first.json()["items"]] == [5, 4]
    assert [t["number"] for t in second.json()["items"]] == [3, 2]
    assert [t["number"] for t in third.json()["items"]] == [1]
    assert third.json()["next_cursor"] is None


def test_list_filters_by_queue_and_priority(agent_api, agent, workspace, customer):
    one, two, three = _make(workspace, customer, 3)
    actions.set_priority(ticket=two, actor=agent, priority="P0")
    actions.claim(ticket=three, actor=agent)

    urgent = agent_api.get("tickets?priority=P0")
    mine = agent_api.get("tickets?queue=mine")
    unassigned = agent_api.get("tickets?queue=unassigned")

    assert [t["code"] for t in urgent.json()["items"]] == ["DST-2"]
    assert [t["code"] for t in mine.json()["items"]] == ["DST-3"]
    assert [t["code"] for t in unassigned.json()["items"]] == ["DST-2", "DST-1"]


def test_create_finds_or_makes_the_customer_and_writes_the_first_message(agent_api, agent):
    response = agent_api.post(
        "tickets",
        json={
            "customer_email": "Ali@Magaza.test",
            "customer_name": "Ali Veli",
            "subject": "Sipariş 1042 gelmedi",
            "text": "Kargo takip numarası çalışmıyor.",
            "priority": "P1",
            "tags": ["kargo"],
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["code"], body["status"], body["priority"], body["tags"]) == (
        "DST-1",
        "new",
        "P1",
        ["kargo"],
    )
    assert body["customer"]["email"] == "ali@magaza.test"
    ticket = Ticket.objects.get(number=1)
    assert ticket.messages.get().text == "Kargo takip numarası çalışmıyor."
    assert TicketEvent.objects.filter(ticket=ticket, kind="created", actor=agent).count() == 1


def test_create_with_bad_fields_is_a_problem_naming_each_field(agent_api):
    response = agent_api.post("tickets", json={"customer_email": "not-an-email", "subject": ""})

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "urn:destek:problem:validation"
    assert sorted(e["field"] for e in problem["errors"]) == [
        "body.customer_email",
        "body.subject",
        "body.text",
    ]


def test_patch_changes_each_field_through_its_action(agent_api, agent, ticket, workspace):
    response = agent_api.patch(
        f"tickets/{ticket.number}",
        json={"status": "pending", "priority": "P0", "assignee": agent.pk, "tags": ["iade"]},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["priority"], body["assignee"], body["tags"]) == (
        "pending",
        "P0",
        agent.pk,
        ["iade"],
    )
    kinds = sorted(ticket.events.exclude(kind="created").values_list("kind", flat=True))
    assert kinds == ["assignee", "priority", "status", "tags"]


def test_a_refused_transition_is_a_409_problem(agent_api, agent, ticket):
    actions.change_status(ticket=ticket, actor=agent, status="closed")

    response = agent_api.patch(f"tickets/{ticket.number}", json={"status": "new"})

    assert response.status_code == 409
    assert response.json()["type"] == "urn:destek:problem:refused"


def test_unknown_assignee_is_a_field_error(agent_api, ticket, other_agent):
    response = agent_api.patch(f"tickets/{ticket.number}", json={"assignee": other_agent.pk})

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body.assignee", "message": "no such assignee in this workspace"}
    ]


def test_the_list_query_count_does_not_grow_with_tickets(agent_api, agent, workspace, customer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        # The fewer of two calls: a connection's set-up or the token's once-a-minute "last
        # used" write may fall into either.
        sizes = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                assert agent_api.get("tickets?queue=open&limit=50").status_code == 200
            sizes.append(len(queries))
        return min(sizes)

    _make(workspace, customer, 2)
    few = count()
    for ticket in _make(workspace, customer, 8):
        actions.set_tags(ticket=ticket, actor=agent, names=["a", "b"])

    assert count() == few
