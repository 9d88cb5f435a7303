"""Rules applied to tickets: each condition, each action, order, loops, the timeline, tenancy."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from destek.automation import engine
from destek.automation.models import Trigger
from destek.tickets import actions
from destek.tickets.models import (
    CannedReply,
    Category,
    EventKind,
    Message,
    MessageKind,
    Team,
    Ticket,
    TicketEvent,
)
from destek.tickets.timeline import describe

PAYMENT_WORDS = {"kind": "subject", "value": ["ödeme alamıyorum"]}


def _rule_events(ticket: Ticket) -> list[tuple[str, str, str]]:
    return list(
        TicketEvent.objects.filter(ticket=ticket)
        .exclude(via_rule="")
        .order_by("pk")
        .values_list("kind", "new_value", "via_rule")
    )


# --- Conditions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "matches"),
    [
        ("Kredi kartıyla ödeme alamıyorum", True),
        ("ÖDEME ALAMIYORUM!!", True),
        ("odeme alamiyorum", True),
        ("Ödemeler alamıyorum", False),
        ("ödeme yapılamıyor", False),
    ],
)
def test_subject_contains_folds_turkish_case(make_rule, arrive, subject, matches):
    make_rule(conditions=[PAYMENT_WORDS])
    ticket = arrive(subject=subject)
    assert ticket.priority == ("P0" if matches else "P2")


def test_dotted_and_dotless_capital_i_match_their_lower_case(make_rule, arrive):
    make_rule(conditions=[{"kind": "subject", "value": ["iade istiyorum", "ısparta şubesi"]}])
    assert arrive(subject="İADE İSTİYORUM").priority == "P0"
    assert arrive(subject="ISPARTA ŞUBESİ kapalı").priority == "P0"
    assert arrive(subject="İstanbul şubesi").priority == "P2"


def test_body_contains_looks_at_the_customer_message(make_rule, arrive):
    make_rule(conditions=[{"kind": "body", "value": ["site açılmıyor"]}])
    assert arrive(subject="Acil", text="Merhaba, SİTE AÇILMIYOR sabahtan beri.").priority == "P0"
    assert arrive(subject="site açılmıyor", text="Merhaba").priority == "P2"


def test_subject_or_body_matches_either(make_rule, arrive):
    make_rule(conditions=[{"kind": "subject_or_body", "value": ["kart çekilmiyor"]}])
    assert arrive(subject="Kart çekilmiyor", text="-").priority == "P0"
    assert arrive(subject="Sorun", text="kart çekilmiyor").priority == "P0"
    assert arrive(subject="Sorun", text="kart").priority == "P2"


def test_sender_address_matches_only_that_address(make_rule, arrive, workspace):
    make_rule(conditions=[{"kind": "sender", "value": "zeynep.kaya@musteri.test"}])
    assert arrive().priority == "P0"
    other = actions.get_or_create_customer(workspace=workspace, email="ali@musteri.test")
    assert arrive(customer=other).priority == "P2"


def test_sender_domain_matches_its_addresses_and_subdomains(make_rule, arrive, workspace):
    make_rule(conditions=[{"kind": "sender", "value": "musteri.test"}])

    def from_(email: str) -> str:
        customer = actions.get_or_create_customer(workspace=workspace, email=email)
        return arrive(customer=customer).priority

    assert from_("ali@musteri.test") == "P0"
    assert from_("veli@destek.musteri.test") == "P0"
    assert from_("can@baskamusteri.test") == "P2"


def test_category_priority_and_status_conditions(make_rule, arrive, payment):
    make_rule(
        conditions=[
            {"kind": "category", "value": payment.pk},
            {"kind": "priority", "value": "P0"},
            {"kind": "status", "value": "new"},
        ],
        actions=[{"kind": "add_tags", "value": ["odeme"]}],
    )
    tagged = arrive(category=payment)
    untagged = arrive(category=payment, priority="P1")
    assert list(tagged.tags.values_list("name", flat=True)) == ["odeme"]
    assert list(untagged.tags.values_list("name", flat=True)) == []


@pytest.mark.parametrize(
    ("created_at", "inside"),
    [
        (datetime(2026, 11, 23, 7, 0, tzinfo=UTC), True),  # Monday 10:00 Istanbul
        (datetime(2026, 11, 23, 16, 30, tzinfo=UTC), False),  # Monday 19:30
        (datetime(2026, 11, 22, 9, 0, tzinfo=UTC), False),  # Sunday
        (datetime(2026, 10, 29, 9, 0, tzinfo=UTC), False),  # Cumhuriyet Bayramı
    ],
)
def test_business_hours_condition_uses_the_workspace_calendar(
    make_rule, workspace, customer, created_at, inside
):
    make_rule(
        name="Mesai dışı",
        conditions=[{"kind": "business_hours", "value": "out"}],
        actions=[{"kind": "add_tags", "value": ["mesai-disi"]}],
    )
    ticket = actions.create_ticket(
        workspace=workspace, customer=customer, subject="Soru", text="?", created_at=created_at
    )
    engine.run(Trigger.TICKET_CREATED, ticket=ticket, now=created_at)
    expected = [] if inside else ["mesai-disi"]
    assert list(ticket.tags.values_list("name", flat=True)) == expected


def test_mailbox_condition_matches_the_mailbox_the_mail_came_through(
    make_rule, workspace, customer
):
    from destek.mail.models import InboundEmail, Mailbox, MessageEnvelope

    sales = Mailbox.objects.create(workspace=workspace, address="satis@anadolu.test")
    support = Mailbox.objects.create(workspace=workspace, address="destek@anadolu.test")
    make_rule(conditions=[{"kind": "mailbox", "value": sales.pk}])

    def mailed_to(mailbox: Mailbox) -> str:
        ticket = actions.create_ticket(
            workspace=workspace, customer=customer, subject="S", text="T"
        )
        inbound = InboundEmail.objects.create(
            workspace=workspace, mailbox=mailbox, source="pipe", raw=b"x", size=1, sha256=""
        )
        MessageEnvelope.objects.create(
            workspace=workspace,
            ticket_message=ticket.messages.get(),
            ticket=ticket,
            mailbox=mailbox,
            inbound=inbound,
        )
        engine.run(Trigger.TICKET_CREATED, ticket=ticket)
        return Ticket.objects.get(pk=ticket.pk).priority

    assert mailed_to(sales) == "P0"
    assert mailed_to(support) == "P2"


def test_match_any_needs_one_condition_and_all_needs_every_one(make_rule, arrive):
    conditions = [PAYMENT_WORDS, {"kind": "priority", "value": "P3"}]
    make_rule("Biri", conditions=conditions, match="any", actions=[_tag("biri")])
    make_rule("Hepsi", conditions=conditions, match="all", actions=[_tag("hepsi")])
    assert _tags(arrive(subject="ödeme alamıyorum")) == ["biri"]
    assert _tags(arrive(subject="ödeme alamıyorum", priority="P3")) == ["biri", "hepsi"]


def _tag(name: str) -> dict:
    return {"kind": "add_tags", "value": [name]}


def _tags(ticket: Ticket) -> list[str]:
    return sorted(ticket.tags.values_list("name", flat=True))


# --- Actions ------------------------------------------------------------------------------------


def test_set_priority_and_category_name_the_rule_on_the_timeline(make_rule, arrive, payment):
    make_rule(
        conditions=[PAYMENT_WORDS],
        actions=[
            {"kind": "set_priority", "value": "P0"},
            {"kind": "set_category", "value": payment.pk},
        ],
    )
    ticket = arrive(subject="Ödeme alamıyorum")
    assert (ticket.priority, ticket.category_id) == ("P0", payment.pk)
    assert _rule_events(ticket) == [
        (EventKind.PRIORITY, "P0", "Ödeme acil"),
        (EventKind.CATEGORY, "Ödeme / Checkout", "Ödeme acil"),
    ]
    sentences = [
        describe(e) for e in TicketEvent.objects.filter(ticket=ticket).exclude(via_rule="")
    ]
    assert sentences == [
        "Kural: Ödeme acil önceliği P2 · Normal → P0 · Acil olarak değiştirdi",
        "Kural: Ödeme acil kategoriyi — → Ödeme / Checkout olarak değiştirdi",
    ]


def test_set_team_and_assignee(make_rule, arrive, workspace, agent):
    team = Team.objects.create(workspace=workspace, name="Teknik")
    make_rule(
        actions=[
            {"kind": "set_team", "value": team.pk},
            {"kind": "set_assignee", "value": agent.pk},
        ]
    )
    ticket = arrive()
    assert (ticket.team_id, ticket.assignee_id) == (team.pk, agent.pk)
    assert _rule_events(ticket) == [
        (EventKind.TEAM, "Teknik", "Ödeme acil"),
        (EventKind.ASSIGNEE, "Ayşe Yılmaz", "Ödeme acil"),
    ]


def test_add_tags_keeps_the_tags_already_there(make_rule, workspace, ticket):
    actions.set_tags(ticket=ticket, actor=None, names=["mevcut"])
    make_rule(actions=[_tag("yeni")])
    engine.run(Trigger.TICKET_CREATED, ticket=ticket)
    assert _tags(ticket) == ["mevcut", "yeni"]


def test_set_status_goes_through_the_status_machine(make_rule, arrive):
    make_rule("Bekle", actions=[{"kind": "set_status", "value": "pending"}])
    make_rule("Kapat", actions=[{"kind": "set_status", "value": "new"}])
    ticket = arrive()
    # pending → new is refused by the status machine: skipped, the ticket stays pending.
    assert ticket.status == "pending"
    assert _rule_events(ticket) == [(EventKind.STATUS, "pending", "Bekle")]


def test_add_note_is_an_internal_note_marked_with_the_rule(make_rule, arrive):
    make_rule(actions=[{"kind": "add_note", "value": "Muhasebeye haber verin."}])
    ticket = arrive()
    note = ticket.messages.get(kind=MessageKind.NOTE)
    assert (note.text, note.author_id, note.via_rule) == (
        "Muhasebeye haber verin.",
        None,
        "Ödeme acil",
    )


def test_send_canned_reply_is_mailed_like_an_agent_reply(make_rule, arrive, workspace):
    from destek.mail.models import Mailbox, OutboundEmail

    Mailbox.objects.create(workspace=workspace, address="destek@anadolu.test")
    canned = CannedReply.objects.create(
        workspace=workspace,
        title="Alındı",
        body="Merhaba {{ customer.first_name }}, {{ ticket.code }} alındı. {{ agent.name }}",
    )
    make_rule(actions=[{"kind": "send_canned", "value": canned.pk}])
    ticket = arrive()
    reply = ticket.messages.get(kind=MessageKind.REPLY)
    assert reply.text == f"Merhaba Zeynep, {ticket.code} alındı. Anadolu Kahve"
    assert (reply.author_id, reply.via_rule) == (None, "Ödeme acil")
    outbound = OutboundEmail.objects.get(ticket_message=reply)
    assert outbound.to == ["zeynep.kaya@musteri.test"]
    # An automatic answer is nobody's first response: the SLA clock and the status stay.
    assert (ticket.first_response_at, ticket.status) == (None, "new")


def test_an_action_that_cannot_apply_is_skipped_and_the_rest_still_run(
    make_rule, arrive, workspace
):
    gone = Category.objects.create(workspace=workspace, name="Silinecek")
    make_rule(
        actions=[
            {"kind": "set_category", "value": gone.pk},
            {"kind": "set_priority", "value": "P1"},
        ]
    )
    gone.delete()
    ticket = arrive()
    assert (ticket.category_id, ticket.priority) == (None, "P1")


# --- Order, loops, tenancy ----------------------------------------------------------------------


def test_rules_run_in_order_and_later_rules_see_earlier_changes(make_rule, arrive):
    make_rule(
        "İkinci",
        position=2,
        conditions=[{"kind": "priority", "value": "P0"}],
        actions=[_tag("acil")],
    )
    make_rule("Birinci", position=1, conditions=[PAYMENT_WORDS])
    ticket = arrive(subject="ödeme alamıyorum")
    assert _tags(ticket) == ["acil"]
    assert [via for _k, _v, via in _rule_events(ticket)] == ["Birinci", "İkinci"]


def test_a_rules_status_change_does_not_start_status_rules(make_rule, arrive):
    make_rule("Beklet", actions=[{"kind": "set_status", "value": "pending"}])
    make_rule(
        "Döngü",
        trigger=Trigger.STATUS_CHANGED,
        conditions=[{"kind": "status", "value": "pending"}],
        actions=[{"kind": "set_status", "value": "open"}],
    )
    ticket = arrive()
    assert ticket.status == "pending"
    assert _rule_events(ticket) == [(EventKind.STATUS, "pending", "Beklet")]


def test_status_rules_run_when_an_agent_changes_the_status(
    make_rule, ticket, agent, django_capture_on_commit_callbacks
):
    make_rule(
        "Çözülünce not",
        trigger=Trigger.STATUS_CHANGED,
        conditions=[{"kind": "status", "value": "resolved"}],
        actions=[{"kind": "add_note", "value": "Memnuniyet anketi gönderin."}],
    )
    with django_capture_on_commit_callbacks(execute=True):
        actions.change_status(ticket=ticket, actor=agent, status="open")
    assert not ticket.messages.filter(kind=MessageKind.NOTE).exists()
    with django_capture_on_commit_callbacks(execute=True):
        actions.change_status(ticket=ticket, actor=agent, status="resolved")
    assert ticket.messages.get(kind=MessageKind.NOTE).via_rule == "Çözülünce not"


def test_customer_replied_rules_see_the_reply(
    make_rule, ticket, customer, django_capture_on_commit_callbacks
):
    make_rule(
        "İptal",
        trigger=Trigger.CUSTOMER_REPLIED,
        conditions=[{"kind": "body", "value": ["iptal edin"]}],
        actions=[_tag("iptal")],
    )
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_customer_message(ticket=ticket, customer=customer, text="Teşekkürler")
    assert _tags(ticket) == []
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_customer_message(ticket=ticket, customer=customer, text="Lütfen İPTAL EDİN")
    assert _tags(ticket) == ["iptal"]


def test_a_rules_note_or_reply_does_not_count_as_a_customer_reply(make_rule, arrive):
    make_rule(actions=[{"kind": "add_note", "value": "not"}])
    make_rule("Yanıtta", trigger=Trigger.CUSTOMER_REPLIED, actions=[_tag("yanit")])
    assert _tags(arrive()) == []


def test_inactive_rules_do_not_run(make_rule, arrive):
    rule = make_rule()
    rule.is_active = False
    rule.save()
    assert arrive().priority == "P2"


def test_another_workspaces_rules_never_apply(
    make_rule, arrive, other_workspace, workspace, customer
):
    make_rule(workspace=other_workspace)
    assert arrive().priority == "P2"
    stranger = actions.get_or_create_customer(workspace=other_workspace, email="a@b.test")
    assert arrive(workspace=other_workspace, customer=stranger).priority == "P0"


def test_sla_alerts_run_the_sla_rules(make_rule, ticket, django_capture_on_commit_callbacks):
    from destek.sla.alerts import BREACH, WARNING, Alert, raise_alert

    make_rule("Yaklaşınca", trigger=Trigger.SLA_NEAR_BREACH, actions=[_tag("yaklasti")])
    make_rule(
        "Aşılınca", trigger=Trigger.SLA_BREACHED, actions=[{"kind": "set_priority", "value": "P0"}]
    )
    now = ticket.created_at
    with django_capture_on_commit_callbacks(execute=True):
        raise_alert(Alert(ticket.pk, "first_response", WARNING, now), now)
    ticket.refresh_from_db()
    assert (_tags(ticket), ticket.priority) == (["yaklasti"], "P2")
    with django_capture_on_commit_callbacks(execute=True):
        raise_alert(Alert(ticket.pk, "first_response", BREACH, now), now)
    ticket.refresh_from_db()
    assert ticket.priority == "P0"


def test_no_query_when_the_workspace_has_no_rule_for_the_event(
    make_rule, ticket, django_assert_num_queries
):
    make_rule(trigger=Trigger.SLA_BREACHED)
    engine.run(Trigger.TICKET_CREATED, ticket=ticket)  # warms the cache
    message = ticket.messages.get()
    with django_assert_num_queries(0):
        assert engine.run(Trigger.TICKET_CREATED, ticket=ticket, message=message) == []
        assert engine.run(Trigger.CUSTOMER_REPLIED, ticket=ticket, message=message) == []


def test_a_rule_on_ticket_fields_only_reads_no_text(make_rule, ticket, django_assert_num_queries):
    make_rule(conditions=[{"kind": "priority", "value": "P3"}])
    engine.run(Trigger.TICKET_CREATED, ticket=ticket)
    with django_assert_num_queries(0):
        assert engine.run(Trigger.TICKET_CREATED, ticket=ticket) == []


def test_rule_names_are_returned_for_matching_rules(make_rule, ticket):
    make_rule("A", conditions=[PAYMENT_WORDS], actions=[_tag("a")])
    make_rule("B", conditions=[{"kind": "subject", "value": ["yok böyle"]}], actions=[_tag("b")])
    assert engine.run(Trigger.TICKET_CREATED, ticket=ticket) == ["A"]
    assert Message.objects.filter(ticket=ticket).count() == 1
