"""Agent notifications by mail (destek/mail/notify.py), sent through a real SMTP server."""

# The SMTP fixtures are imported from tests/mail/smtp_server.py and used as arguments.
# ruff: noqa: F811

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from destek.mail import ingest, tokens
from destek.mail.models import OutboundEmail, OutboundKind, OutboundStatus
from destek.tickets import actions
from tests.mail.inbound import build_mail, fixture
from tests.mail.smtp_server import (  # noqa: F401 (fixtures)
    connect_mailbox,
    immediate_worker,
    smtp_cert,
    smtp_starttls,
    trust_smtp_cert,
)


@pytest.fixture
def mailbox(workspace, smtp_starttls):
    return connect_mailbox(workspace, smtp_starttls)


@pytest.fixture
def arrive(mailbox, immediate_worker, django_capture_on_commit_callbacks):
    """Deliver a raw mail the way production does: stored, processed, committed, and the
    jobs queued on commit run by the worker."""

    def deliver(raw: bytes):
        with django_capture_on_commit_callbacks(execute=True):
            inbound = ingest.receive_and_process(mailbox, raw, source="pipe")
        return inbound

    return deliver


def notifications():
    return OutboundEmail.objects.filter(kind=OutboundKind.NOTIFICATION).order_by("pk")


def test_a_new_ticket_notifies_the_admins_and_agents_but_not_the_owner(
    workspace, admin, agent, owner, other_agent, arrive, smtp_starttls
):
    ticket = arrive(build_mail()).ticket
    assert [n.to for n in notifications()] == [[agent.email], [admin.email]]
    assert {n.status for n in notifications()} == {OutboundStatus.SENT}
    mail = next(m for m in smtp_starttls.received if m.rcpt_tos == [agent.email])
    msg = mail.message
    assert msg["Subject"] == f"Yeni talep: {ticket.code}"
    assert msg["Auto-Submitted"] == "auto-replied"
    assert msg.get_content() == (
        f"{ticket.code} numaralı yeni talep atanmayı bekliyor.\n\n"
        f"http://127.0.0.1:8000/w/anadolu/t/{ticket.number}/\n\n"
        "-- \nBu bildirimi Destek otomatik olarak gönderdi.\n"
    )
    # No content beyond the code: no subject, no customer, no token that threads a reply.
    assert tokens.ticket_of_message_id(msg["Message-ID"]) is None
    assert not tokens.tickets_of_body(msg.get_content())


def test_a_customer_answer_notifies_only_the_assignee(workspace, admin, agent, arrive):
    ticket = arrive(build_mail()).ticket
    actions.claim(ticket=ticket, actor=agent)
    before = notifications().count()
    answer = build_mail(message_id="<iki@musteri.test>", in_reply_to="<siparis.1@musteri.test>")
    assert arrive(answer).ticket == ticket
    [notification] = notifications()[before:]
    assert notification.to == [agent.email]
    assert notification.subject == f"Müşteri yanıtladı: {ticket.code}"


def test_an_answer_on_an_unassigned_ticket_notifies_nobody(workspace, agent, arrive):
    arrive(build_mail())
    before = notifications().count()
    arrive(build_mail(message_id="<iki@musteri.test>", in_reply_to="<siparis.1@musteri.test>"))
    assert notifications().count() == before


def test_automatic_mail_notifies_nobody(workspace, agent, arrive):
    assert arrive(fixture("auto-reply-out-of-office.eml")).ticket is not None
    assert arrive(fixture("mailing-list-bulk.eml")).ticket is not None
    assert not notifications().exists()


def test_an_agents_out_of_office_answer_to_a_notification_does_not_loop(
    workspace, agent, arrive, smtp_starttls
):
    arrive(build_mail())
    sent = next(m.message for m in smtp_starttls.received if m.rcpt_tos == [agent.email])
    count = notifications().count()
    out_of_office = build_mail(
        sender=f"Ayşe <{agent.email}>",
        subject=f"Otomatik yanıt: {sent['Subject']}",
        message_id="<oof@anadolu.test>",
        in_reply_to=sent["Message-ID"],
        headers={"Auto-Submitted": "auto-replied"},
    )
    arrive(out_of_office)
    plain_answer = build_mail(
        sender=f"Ayşe <{agent.email}>",
        subject=f"Re: {sent['Subject']}",
        message_id="<tamam@anadolu.test>",
        in_reply_to=sent["Message-ID"],
    )
    inbound = arrive(plain_answer)
    assert notifications().count() == count
    assert inbound.ticket.customer.email == agent.email  # its own ticket, not the customer's


@pytest.mark.django_db(transaction=True)
def test_a_ticket_an_agent_typed_in_notifies_nobody(
    workspace, agent, mailbox, customer, immediate_worker
):
    actions.create_ticket(
        workspace=workspace, customer=customer, subject="Telefon", text="Aradı", actor=agent
    )
    assert not notifications().exists()


@pytest.mark.django_db(transaction=True)
def test_old_history_replayed_notifies_nobody(
    workspace, agent, mailbox, customer, immediate_worker
):
    # What `destek demo` and imports do: customer tickets created with past timestamps.
    actions.create_ticket(
        workspace=workspace,
        customer=customer,
        subject="Eski talep",
        text="…",
        created_at=timezone.now() - timedelta(days=3),
    )
    assert not notifications().exists()


@pytest.mark.django_db(transaction=True)
def test_a_customer_ticket_from_the_portal_notifies_the_agents(
    workspace, agent, mailbox, customer, immediate_worker, smtp_starttls
):
    actions.create_ticket(workspace=workspace, customer=customer, subject="Form", text="Merhaba")
    assert [n.to for n in notifications()] == [[agent.email], ["yonetici@anadolu.test"]]
    assert sorted(m.rcpt_tos[0] for m in smtp_starttls.received) == [
        agent.email,
        "yonetici@anadolu.test",
    ]


@pytest.mark.django_db(transaction=True)
def test_without_smtp_settings_no_notification_is_queued(workspace, agent, customer):
    connect_mailbox(workspace, None)
    actions.create_ticket(workspace=workspace, customer=customer, subject="Form", text="Merhaba")
    assert not notifications().exists()


def test_one_sender_causes_at_most_three_notifications_an_hour(workspace, agent, admin, arrive):
    for number in range(5):
        arrive(build_mail(subject=f"Soru {number}", message_id=f"<soru.{number}@musteri.test>"))
    assert notifications().count() == 3 * 2  # three rounds, to the admin and the agent
