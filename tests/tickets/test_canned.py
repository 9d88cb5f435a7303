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


# --- first name, SLA due times, validation, seeds ------------------------------------------------


def test_first_name_and_due_times_in_the_workspace_zone(ticket, agent):
    from datetime import UTC, datetime

    ticket.first_response_due_at = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    ticket.resolution_due_at = None

    text = render_canned(
        "{{ customer.first_name }}: {{ ticket.first_response_due }} / {{ ticket.resolution_due }}",
        ticket=ticket,
        agent=agent,
    )

    assert text == "Zeynep: 23 Kasım 2026 11:00 / —"


def test_due_time_follows_the_workspace_language_not_the_agents(ticket, agent):
    from datetime import UTC, datetime

    from django.utils import translation

    ticket.workspace.language = "en"
    ticket.first_response_due_at = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)

    with translation.override("tr"):
        text = render_canned("{{ ticket.first_response_due }}", ticket=ticket, agent=agent)

    assert text == "23 November 2026 11:00"


def test_unknown_variables_are_found_as_written():
    from destek.tickets.canned import unknown_variables

    body = "{{ customer.name }} {{ Customer.Name }} {{ ticket.kod }} {{customer.first_name}} {{}}"

    assert unknown_variables(body) == ["{{ Customer.Name }}", "{{ ticket.kod }}", "{{}}"]


def test_saving_a_reply_with_an_unknown_variable_is_refused():
    from destek.tickets.settings_forms import CannedReplySettingsForm

    form = CannedReplySettingsForm({"title": "Kargo", "body": "Merhaba {{ musteri.ad }}"})

    assert not form.is_valid()
    [message] = form.errors["body"]
    assert message.startswith("Bilinmeyen değişken: {{ musteri.ad }}. Kullanılabilecekler: ")
    assert "{{ customer.first_name }}" in message


def test_seed_replies_exist_in_turkish_and_english(ticket, agent):
    from django.utils import translation

    with translation.override("en"):
        english = default_canned_replies()
    turkish = default_canned_replies()

    assert [title for title, _body in turkish] == [
        "İlk yanıt",
        "Ek bilgi gerekiyor",
        "Çözüm bildirimi",
        "Üçüncü taraf bekleniyor",
    ]
    assert [title for title, _body in english] == [
        "First response",
        "More information needed",
        "Issue resolved",
        "Waiting on a third party",
    ]
    for _title, body in english:
        assert body.startswith("Hello {{ customer.first_name }},")
    assert english[1][1].count("?") == 3


def test_every_seed_reply_uses_known_variables_only():
    from django.utils import translation

    from destek.tickets.canned import unknown_variables

    for language in ("tr", "en"):
        with translation.override(language):
            assert [unknown_variables(body) for _t, body in default_canned_replies()] == [[]] * 4
