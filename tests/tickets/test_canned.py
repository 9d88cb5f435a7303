"""Canned-reply variables: a fixed list of names, filled without the template engine."""

from __future__ import annotations

from destek.tickets.canned import fill_variables, render_canned
from destek.tickets.setup import default_canned_replies


def test_known_variables_are_filled():
    body = "Merhaba {{ customer.name }}, {{ticket.code}} için {{  agent.name  }}."

    filled = fill_variables(
        body, {"customer.name": "Zeynep", "ticket.code": "DST-7", "agent.name": "Ayşe"}
    )

    assert filled == "Merhaba Zeynep, DST-7 için Ayşe."


def test_unknown_variables_are_left_as_written():
    assert fill_variables("{{ customer.adres }} {{ x }}", {"customer.name": "Z"}) == (
        "{{ customer.adres }} {{ x }}"
    )


def test_template_tags_and_filters_are_not_evaluated():
    body = (
        "{% if customer.name %}evet{% endif %} {{ customer.name|upper }} {{ settings.SECRET_KEY }}"
    )

    assert fill_variables(body, {"customer.name": "Zeynep"}) == body


def test_values_are_inserted_literally():
    assert fill_variables("{{ customer.name }}", {"customer.name": "{{ agent.name }} <b>"}) == (
        "{{ agent.name }} <b>"
    )


def test_render_uses_ticket_customer_and_agent(ticket, agent):
    assert render_canned(
        "{{ customer.name }} / {{ ticket.code }} / {{ agent.name }}", ticket=ticket, agent=agent
    ) == ("Zeynep Kaya / DST-1 / Ayşe Yılmaz")


def test_customer_without_a_name_is_addressed_by_email(workspace, agent, make_ticket):
    from destek.tickets import actions

    nameless = actions.get_or_create_customer(workspace=workspace, email="isimsiz@musteri.test")
    ticket = make_ticket(customer=nameless)

    assert render_canned("{{ customer.name }}", ticket=ticket, agent=agent) == (
        "isimsiz@musteri.test"
    )


def test_every_default_canned_reply_is_fully_filled(ticket, agent):
    for _title, body in default_canned_replies():
        assert "{{" not in render_canned(body, ticket=ticket, agent=agent)
