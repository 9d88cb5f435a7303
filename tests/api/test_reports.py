"""Reports over the API: the owner's token reaches the numbers; agents get their own."""

from __future__ import annotations

from destek.tickets import actions


def test_the_owner_reads_every_metric_and_no_content(owner_api, agent, ticket):
    actions.reply(ticket=ticket, actor=agent, text="Merhaba")

    response = owner_api.get("reports?period=7d")

    assert response.status_code == 200
    body = response.json()
    assert body["period"]["key"] == "7d"
    assert sorted(body["metrics"]) == [
        "agents",
        "backlog",
        "categories",
        "first_response",
        "reopen_rate",
        "resolution",
        "satisfaction",
        "sla_compliance",
        "today",
        "volume",
    ]
    assert body["metrics"]["volume"]["tickets"] == 1
    assert body["metrics"]["first_response"]["count"] == 1
    assert body["metrics"]["backlog"]["open"] == 1
    assert ticket.subject not in response.content.decode()
    assert "zeynep" not in response.content.decode().lower()


def test_one_metric_with_filters(owner_api, ticket):
    response = owner_api.get("reports/volume?period=today&priority=P2")

    assert response.json()["metrics"]["volume"]["tickets"] == 1
    assert response.json()["filters"] == {"priority": "P2"}
    assert (
        owner_api.get("reports/volume?period=today&priority=P0").json()["metrics"]["volume"][
            "tickets"
        ]
        == 0
    )


def test_an_agent_gets_their_own_numbers(agent_api, admin, agent, ticket):
    actions.assign(ticket=ticket, actor=admin, assignee=admin)

    own = agent_api.get("reports/backlog")
    someone_else = agent_api.get(f"reports/backlog?agent={admin.pk}")

    assert own.json()["filters"] == {"agent": agent.pk}
    assert own.json()["metrics"]["backlog"]["open"] == 0
    assert someone_else.status_code == 403


def test_an_unknown_metric_is_a_field_error(owner_api):
    response = owner_api.get("reports/profit")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "path.metric"
