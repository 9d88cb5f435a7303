"""Webhooks against a real HTTP receiver on loopback: written with the change, signed, retried
with backoff, in order per ticket, switched off after repeated failure; the SSRF guard."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from destek.api.models import DeliveryStatus, WebhookDelivery
from destek.api.webhooks import deliver, outgoing, sign
from destek.api.webhooks.manage import create_endpoint
from destek.tickets import actions
from tests.api.receiver import start_receiver

ALL_EVENTS = ["message.created", "ticket.assigned", "ticket.created", "ticket.updated"]


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    receiver, server = start_receiver()
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def endpoint(workspace, receiver):
    endpoint, _secret = create_endpoint(
        workspace=workspace, url=receiver.url, events=ALL_EVENTS, is_active=True, is_internal=False
    )
    return endpoint


def _events(receiver) -> list[str]:
    return [json.loads(r.body)["event"] for r in receiver.requests]


def test_a_new_ticket_is_delivered_signed(endpoint, receiver, workspace, customer):
    ticket = actions.create_ticket(
        workspace=workspace, customer=customer, subject="Kargo nerede", text="Sipariş 1042"
    )

    assert deliver.send_due() == 1

    (request,) = receiver.requests
    body = json.loads(request.body)
    assert body["event"] == "ticket.created"
    assert body["data"]["ticket"]["code"] == ticket.code
    assert body["data"]["message"]["text"] == "Sipariş 1042"
    assert request.headers["Destek-Webhook-Event"] == "ticket.created"
    timestamp = request.headers["Destek-Webhook-Timestamp"]
    assert sign.verify(
        endpoint.secret,
        timestamp,
        request.body,
        request.headers["Destek-Webhook-Signature"],
        now=int(time.time()),
    )
    assert not sign.verify("whsec_wrong", timestamp, request.body, "v1=00", now=int(time.time()))
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_status_code, delivery.attempts) == ("delivered", 200, 1)


def test_deliveries_are_written_in_the_changes_transaction(endpoint, workspace, customer):
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.create_ticket(workspace=workspace, customer=customer, subject="X", text="y")
        assert WebhookDelivery.objects.count() == 1
        raise RuntimeError("rolled back")

    assert WebhookDelivery.objects.count() == 0


def test_an_update_tells_what_changed(ticket, endpoint, receiver, agent):
    actions.set_priority(ticket=ticket, actor=agent, priority="P0")
    actions.assign(ticket=ticket, actor=agent, assignee=agent)
    deliver.send_due()

    bodies = [json.loads(r.body) for r in receiver.requests]
    assert [b["event"] for b in bodies] == ["ticket.updated", "ticket.updated", "ticket.assigned"]
    assert bodies[0]["data"]["changes"] == {"priority": {"old": "P2", "new": "P0"}}
    assert bodies[0]["data"]["ticket"]["priority"] == "P0"
    assert bodies[1]["data"]["changes"] == {"assignee": {"old": None, "new": "Ayşe Yılmaz"}}
    assert bodies[2]["data"]["ticket"]["assignee"] == "ayse@anadolu.test"


def test_notes_go_only_to_internal_endpoints(ticket, endpoint, receiver, workspace, agent):
    internal, _secret = create_endpoint(
        workspace=workspace,
        url=receiver.url + "?internal=1",
        events=["message.created"],
        is_active=True,
        is_internal=True,
    )
    actions.add_note(ticket=ticket, actor=agent, text="İç not")
    actions.reply(ticket=ticket, actor=agent, text="Merhaba")

    by_endpoint = sorted(WebhookDelivery.objects.values_list("endpoint_id", "event"))

    assert by_endpoint == [
        (endpoint.pk, "message.created"),
        (endpoint.pk, "ticket.updated"),
        (internal.pk, "message.created"),
        (internal.pk, "message.created"),
    ]


def test_a_500_is_retried_after_the_backoff(endpoint, receiver, workspace, customer):
    receiver.answers = [500]
    actions.create_ticket(workspace=workspace, customer=customer, subject="X", text="y")
    now = timezone.now()

    assert deliver.send_due(now) == 0
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert delivery.next_attempt_at == now + timedelta(seconds=30)
    assert deliver.send_due(now + timedelta(seconds=29)) == 0  # not yet due
    assert deliver.send_due(now + timedelta(seconds=31)) == 1

    delivery.refresh_from_db()
    assert [entry["status_code"] for entry in delivery.log] == [500, 200]
    assert len(receiver.requests) == 2
    assert receiver.requests[0].body == receiver.requests[1].body


def test_backoff_doubles_and_gives_up_after_a_day(endpoint, receiver, workspace, customer):
    assert [deliver.backoff(n).total_seconds() for n in (1, 2, 3, 8, 20)] == [
        30,
        60,
        120,
        3840,
        7200,
    ]
    receiver.default = 503
    actions.create_ticket(workspace=workspace, customer=customer, subject="X", text="y")
    delivery = WebhookDelivery.objects.get()
    delivery.created_at = timezone.now() - timedelta(hours=23, minutes=59, seconds=45)
    delivery.save()

    deliver.send_due()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)


def test_deliveries_of_one_ticket_go_out_in_order(ticket, endpoint, receiver, agent):
    receiver.answers = [500]
    actions.set_priority(ticket=ticket, actor=agent, priority="P1")
    actions.set_priority(ticket=ticket, actor=agent, priority="P0")
    now = timezone.now()

    deliver.send_due(now)  # the first fails; the second waits behind it
    assert len(receiver.requests) == 1
    deliver.send_due(now + timedelta(seconds=31))

    priorities = [
        json.loads(r.body)["data"]["changes"]["priority"]["new"] for r in receiver.requests
    ]
    assert priorities == ["P1", "P1", "P0"]


def test_an_endpoint_failing_again_and_again_is_switched_off_and_admins_told(
    settings, endpoint, receiver, workspace, customer, admin
):
    settings.WEBHOOK_DISABLE_AFTER = 3
    receiver.default = 500
    for n in range(3):
        actions.create_ticket(workspace=workspace, customer=customer, subject=f"X{n}", text="y")
    now = timezone.now()

    for step in range(3):
        deliver.send_due(now + timedelta(hours=step))

    endpoint.refresh_from_db()
    assert endpoint.is_active is False
    assert endpoint.disabled_reason == "3 failures in a row; last: 500"
    (message,) = mail.outbox
    assert message.to == [admin.email]
    assert endpoint.url in message.subject
    deliver.send_due(now + timedelta(hours=5))
    assert len(receiver.requests) == 3  # nothing more goes to a switched-off endpoint


def test_a_redirect_is_not_followed(endpoint, receiver, workspace, customer):
    receiver.answers = [302]
    actions.create_ticket(workspace=workspace, customer=customer, subject="X", text="y")

    deliver.send_due()

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_status_code) == ("pending", 302)
    assert len(receiver.requests) == 1


def test_redeliver_sends_the_same_body_again(endpoint, receiver, workspace, customer):
    actions.create_ticket(workspace=workspace, customer=customer, subject="X", text="y")
    deliver.send_due()

    deliver.redeliver(WebhookDelivery.objects.get())
    deliver.send_due()

    assert len(receiver.requests) == 2
    assert receiver.requests[0].body == receiver.requests[1].body


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/x",
        "http://localhost/x",
        "http://10.1.2.3/x",
        "http://192.168.1.1/x",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/x",
        "ftp://example.com/x",
        "file:///etc/passwd",
    ],
)
def test_the_ssrf_guard_refuses_inner_addresses_in_production(settings, url):
    settings.WEBHOOK_ALLOW_PRIVATE = False

    outcome = outgoing.post(url, b"{}", {})

    assert outcome.status_code is None
    assert outcome.error in {"only http and https URLs", f"{_host(url)} is not a public address"}


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or ""


def test_an_sla_breach_is_an_event(workspace, ticket):
    from destek.sla.alerts import BREACH, Alert, raise_alert

    create_endpoint(
        workspace=workspace,
        url="https://crm.example/hook",
        events=["sla.breached"],
        is_active=True,
        is_internal=False,
    )
    due = timezone.now() - timedelta(minutes=5)

    raise_alert(Alert(ticket.pk, "first_response", BREACH, due), timezone.now())

    delivery = WebhookDelivery.objects.get()
    data = json.loads(delivery.body)["data"]
    assert delivery.event == "sla.breached"
    assert (data["clock"], data["due_at"], data["ticket"]["code"]) == (
        "first_response",
        due.isoformat(),
        ticket.code,
    )
