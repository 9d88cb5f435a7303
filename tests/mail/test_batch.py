"""The batch path of ``process_many`` (destek.mail.batch): the same result as mail by mail, in
a number of queries that does not grow with the number of plain mails."""

from __future__ import annotations

import json
import logging
import random
import re
from collections import Counter
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from destek.accounts.models import Workspace
from destek.accounts.services import create_workspace
from destek.api.models.webhook import WebhookEndpoint
from destek.automation.models import Rule
from destek.mail import batch, ingest, tokens
from destek.mail.models import InboundEmail, InboundStatus, OutboundEmail
from destek.tickets import actions
from destek.tickets.models import Customer, Message, Ticket

from .inbound import build_mail, fixture, make_mailbox, with_received

pytestmark = pytest.mark.django_db

# A Wednesday morning in Istanbul: inside business hours, so the SLA clocks run.
NOW = datetime(2026, 3, 18, 7, 30, tzinfo=UTC)
ADDRESSES = {"a": "destek@a-firma.test", "b": "destek@b-firma.test"}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def _workspace(tag: str, *, hooks: bool = True) -> Workspace:
    workspace = create_workspace(
        name="Anadolu Kahve",
        slug=f"anadolu-{tag}",
        prefix="DST",
        owner_email=f"patron@{tag}.test",
        owner_name="Patron Bey",
        admin_email=f"yonetici@{tag}.test",
        admin_password="gizli-parola-123",
    )
    if not hooks:
        return workspace
    # The seeded rules (an urgent-payment rule among them) act on what arrives; a webhook
    # endpoint hears about every ticket and message.
    Rule.objects.filter(workspace=workspace).update(is_active=True)
    WebhookEndpoint.objects.create(
        workspace=workspace,
        url="https://hook.example.test/destek",
        events=["ticket.created", "message.created", "ticket.updated"],
        secret_encrypted="x",
    )
    return workspace


# --- the mail set ------------------------------------------------------------------------------


def _spec(rng: random.Random, count: int) -> list[list[dict]]:
    """Batches of mail descriptions: new requests (some with Cc, HTML or a file), replies by
    In-Reply-To (also to a ticket of the same batch), by our acknowledgement's signed Message-ID,
    by the body token and by the code (from the customer or a Cc participant), copies of earlier
    mail, a bounce, an automatic reply, mail from our own address, an empty mail, a new customer
    writing twice and a customer who first writes without a name."""
    batches, tickets, sent = [], [], []  # tickets: (number, sender, subject, last id, cc)
    number = 0
    for b in range(count):
        batch = []
        for n in range(30):
            i = b * 100 + n
            roll = rng.random()
            if not tickets or roll < 0.45:
                number += 1
                who = rng.randrange(25 if b else 12)
                name = "" if who == 3 and b == 0 else f"Müşteri {who}"
                sender = (name, f"musteri{who}@ornek.test")
                cc = f"Ortak {i} <ortak{i}@ornek.test>" if rng.random() < 0.2 else None
                subject = (
                    f"Sipariş {i} hakkında [DST-{rng.randint(1, 3)}]" if i == 7 else f"Sipariş {i}"
                )
                mail = {
                    "kind": "new",
                    "sender": sender,
                    "subject": subject,
                    "id": f"yeni.{i}@ornek.test",
                    "cc": cc,
                    "html": rng.random() < 0.3,
                    "file": rng.random() < 0.15,
                }
                tickets.append([number, sender, subject, mail["id"], cc])
            elif roll < 0.93:
                target = rng.choice(tickets)
                num, sender, subject, last, cc = target
                how = rng.choice(["in-reply-to", "in-reply-to", "signed", "token", "code", "code"])
                if how in ("signed", "token") and num > len(batches_numbers(batches)):
                    how = "in-reply-to"  # a signed id needs the ticket's id: an earlier batch's
                if how == "code" and cc and rng.random() < 0.5:
                    sender = ("Ortak", re.search(r"<(.+)>", cc).group(1))
                mail = {
                    "kind": how,
                    "sender": sender,
                    "subject": f"Re: {subject}",
                    "id": f"yanit.{i}@ornek.test",
                    "ticket": num,
                    "in_reply_to": last,
                    "file": rng.random() < 0.1,
                }
                target[3] = mail["id"]
            else:
                mail = {"kind": rng.choice(["copy", "bounce", "auto", "loop", "empty"])}
                if mail["kind"] == "copy" and not sent:
                    mail["kind"] = "empty"
                if mail["kind"] == "copy":
                    mail["of"] = rng.choice(sent)
            sent.append(i)
            mail["n"] = i
            batch.append(mail)
        batches.append(batch)
        _numbers_by_batch.append(number)
    return batches


_numbers_by_batch: list[int] = []


def batches_numbers(batches: list) -> list[int]:
    # Ticket numbers that existed before the batch being generated began.
    return list(range(1, (_numbers_by_batch[len(batches) - 1] if batches else 0) + 1))


def _render(mail: dict, workspace: Workspace, address: str, rendered: dict[int, bytes]) -> bytes:
    kind = mail["kind"]
    if kind == "empty":
        return b""
    if kind == "bounce":
        return fixture("bounce-dsn.eml")
    if kind == "auto":
        return fixture("auto-reply-out-of-office.eml").replace(b"destek@", b"x-destek@")
    if kind == "copy":
        return with_received(rendered[mail["of"]], f"kopya-{mail['n']}.ornek.test")
    if kind == "loop":
        return build_mail(
            sender=f"Destek <{address}>", to=address, message_id=f"<dongu.{mail['n']}@x>"
        )
    name, email = mail["sender"]
    fields = {
        "sender": f"{name} <{email}>" if name else email,
        "to": address,
        "subject": mail["subject"],
        "message_id": f"<{mail['id']}>",
        "text": f"İleti {mail['n']}: siparişim gelmedi, "
        + ("ödeme alamıyorum.\n" if mail["n"] % 5 == 0 else "ödeme alındı mı?\n"),
        "date": NOW,
    }
    fields["cc"] = mail.get("cc")
    if kind != "new":
        ticket = Ticket.objects.filter(workspace=workspace, number=mail["ticket"]).first()
        if kind == "in-reply-to":
            fields["in_reply_to"] = f"<{mail['in_reply_to']}>"
        elif kind == "signed":
            signed = tokens.make_message_id(
                workspace_id=workspace.pk, ticket_id=ticket.pk, domain="x.test"
            )
            fields["in_reply_to"] = f"<{signed}>"
        elif kind == "token":
            token = tokens.make_body_token(workspace_id=workspace.pk, ticket_id=ticket.pk)
            fields["text"] += f"\n> Önceki yanıtımız\n> {token}\n"
        else:
            fields["subject"] = f"Re: [DST-{mail['ticket']}] {mail['subject']}"
    if mail.get("file"):
        fields["attachments"] = [(f"fatura-{mail['n']}.pdf", "application/pdf", b"%PDF " * 50)]
    return build_mail(**fields)


def _ingest(workspace: Workspace, address: str, batches: list[list[dict]], *, bulk: bool) -> None:
    mailbox = make_mailbox(workspace, address=address)
    mailbox.workspace = workspace
    rendered: dict[int, bytes] = {}
    with mock.patch.object(ingest, "BATCH_PATH", bulk):
        for index, batch in enumerate(batches):
            raws = []
            for mail in batch:
                rendered[mail["n"]] = _render(mail, workspace, address, rendered)
                raws.append(rendered[mail["n"]])
            ingest.process_many(ingest.receive_many(mailbox, raws, source="pipe"))
            # Between batches an agent closes one ticket and waits on another, so later mail
            # makes a follow-up and moves a status.
            for number, status in ((1 + index, "closed"), (2 + 2 * index, "pending")):
                ticket = Ticket.objects.filter(workspace=workspace, number=number).first()
                if ticket is not None and ticket.status not in ("closed", "resolved"):
                    actions.change_status(ticket=ticket, actor=None, status=status)


# --- comparing two workspaces ------------------------------------------------------------------

_SIGNED = re.compile(r"destek\.(\d+)\.(\d+)\.[0-9a-z]+\.[0-9a-f]{20}@")
_TOKEN = re.compile(r"ref:destek-(\d+)-(\d+)-[0-9a-f]{12}")
_RANDOM = re.compile(r"\b\d+\.\d+\.\d+\.destek@|\b[0-9a-f]{32}\b")


def _text(value: str, numbers: dict[int, int]) -> str:
    value = _SIGNED.sub(lambda m: f"signed-{numbers.get(int(m.group(2)))}@", value)
    value = _TOKEN.sub(lambda m: f"token-{numbers.get(int(m.group(2)))}", value)
    value = _RANDOM.sub("random", value)
    value = re.sub(r'"id": ?\d+', '"id": 0', value)  # a message's id in a webhook body
    return value.replace("b-firma.test", "a-firma.test")


def _dump(workspace: Workspace) -> dict[str, list]:
    numbers = dict(Ticket.objects.filter(workspace=workspace).values_list("pk", "number"))
    messages = {}
    for pk, ticket_id in (
        Message.objects.filter(workspace=workspace).order_by("pk").values_list("pk", "ticket_id")
    ):
        messages[pk] = (
            numbers[ticket_id],
            sum(1 for t in messages.values() if t[0] == numbers[ticket_id]),
        )
    inbound = {
        pk: n
        for n, pk in enumerate(
            InboundEmail.objects.filter(workspace=workspace)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    }
    customers = dict(Customer.objects.filter(workspace=workspace).values_list("pk", "email"))
    dump: dict[str, list] = {}
    for model in apps.get_models():
        fields = {f.name: f for f in model._meta.concrete_fields}
        if "workspace" not in fields or model._meta.label in (
            "accounts.AuditLog",
            "automation.Rule",
        ):
            continue
        rows = []
        for row in model._default_manager.filter(workspace=workspace).values():
            out = {}
            for f in model._meta.concrete_fields:
                value = row[f.attname]
                target = f.related_model if f.is_relation else None
                if f.primary_key and target is None or target in (Workspace,) or f.name == "file":
                    continue
                if f.default is timezone.now or f.name in ("raw", "sha256", "size", "content_key"):
                    if model is InboundEmail and f.name == "content_key":
                        out[f.name] = bool(value)
                    continue
                if target is Ticket or f.name == "ticket_id":
                    value = numbers.get(value, value)
                elif target is Message:
                    value = messages.get(value, value)
                elif target is Customer:
                    value = customers.get(value, value)
                elif target is InboundEmail:
                    value = inbound.get(value, value)
                elif target is not None and value is not None:
                    obj = target._default_manager.filter(pk=value).first()
                    value = (
                        getattr(obj, "name", None)
                        or getattr(obj, "url", None)
                        or getattr(obj, "display_name", None)
                        or str(target)
                    )
                if model is Ticket and f.name == "follow_up_of":
                    value = numbers.get(row["follow_up_of_id"])
                if isinstance(value, str):
                    value = _text(value, numbers)
                elif isinstance(value, list | dict):
                    value = _text(json.dumps(value, sort_keys=True, default=str), numbers)
                out[f.name] = value
            rows.append(out)
        if rows:
            dump[model._meta.label] = sorted(
                rows, key=lambda r: json.dumps(r, sort_keys=True, default=str)
            )
    dump["search"] = _index(workspace, numbers)
    return dump


def _index(workspace: Workspace, numbers: dict[int, int]) -> list:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT ticket_id, vector::text FROM search_ticket WHERE workspace_id = %s",
                [workspace.pk],
            )
        else:
            cursor.execute(
                "SELECT rowid, code, subject, people, body, notes, files FROM search_ticket"
                " WHERE ws = %s",
                [f"w{workspace.pk}"],
            )
        return sorted((numbers[row[0]], *row[1:]) for row in cursor.fetchall())


def test_a_batch_gives_the_same_result_as_mail_by_mail(caplog):
    caplog.set_level(logging.DEBUG, logger="destek.mail.batch")
    rng = random.Random(20260318)
    _numbers_by_batch.clear()
    batches = _spec(rng, 4)
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        bulk, single = _workspace("a"), _workspace("b")
        _ingest(bulk, ADDRESSES["a"], batches, bulk=True)
        cache.clear()
        _ingest(single, ADDRESSES["b"], batches, bulk=False)
    # All three ways were taken: in bulk, planned again after a fresh read, mail by mail.
    ways = Counter(
        record.getMessage().split(" (")[0].split(": ")[1]
        for record in caplog.records
        if record.name == "destek.mail.batch" and " (" in record.getMessage()
    )
    assert ways["read again"] >= 3 and ways["mail by mail"] >= 5, ways
    got, expected = _dump(bulk), _dump(single)
    assert Ticket.objects.filter(workspace=bulk).count() > 40
    assert sorted(got) == sorted(expected)
    for label in expected:
        missing = [row for row in expected[label] if row not in got[label]]
        extra = [row for row in got[label] if row not in expected[label]]
        assert (label, missing[:3], extra[:3]) == (label, [], [])


def test_replies_by_code_to_a_ticket_of_the_same_batch_join_it_as_mail_by_mail(caplog):
    # The new ticket is numbered as it is planned, so a reply naming its code joins it in the
    # group: from its customer, from a Cc participant, from a participant a reply of the group
    # added; a stranger's mail with the code starts a ticket of its own.
    caplog.set_level(logging.DEBUG, logger="destek.mail.batch")
    first = {
        "kind": "new",
        "sender": ("Ayşe Kaya", "ayse@ornek.test"),
        "subject": "Sipariş 1",
        "id": "yeni.1@ornek.test",
        "cc": "Ortak <ortak@ornek.test>",
        "html": False,
        "file": False,
    }

    def reply(n: int, sender: tuple[str, str], cc: str | None = None) -> dict:
        return {
            "kind": "code",
            "sender": sender,
            "subject": "Re: Sipariş 1",
            "id": f"yanit.{n}@ornek.test",
            "ticket": 1,
            "in_reply_to": "yeni.1@ornek.test",
            "file": False,
            "cc": cc,
        }

    mails = [
        first,
        reply(2, ("Ayşe Kaya", "ayse@ornek.test"), cc="Yeni Ortak <yeni@ornek.test>"),
        reply(3, ("Ortak", "ortak@ornek.test")),
        reply(4, ("Yabancı", "yabanci@ornek.test")),
        reply(5, ("Yeni Ortak", "yeni@ornek.test")),
    ]
    for n, mail in enumerate(mails, start=1):
        mail["n"] = n
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        bulk, single = _workspace("a"), _workspace("b")
        _ingest(bulk, ADDRESSES["a"], [mails], bulk=True)
        cache.clear()
        _ingest(single, ADDRESSES["b"], [mails], bulk=False)

    assert not [r for r in caplog.records if "read again" in r.getMessage()]
    assert not [r for r in caplog.records if "mail by mail" in r.getMessage()]
    got, expected = _dump(bulk), _dump(single)
    assert got == expected
    joined = Message.objects.filter(workspace=bulk, ticket__number=1).count()
    assert (joined, Ticket.objects.filter(workspace=bulk).count()) == (4, 2)


def _new_requests(count: int, offset: int = 0) -> list[bytes]:
    return [
        build_mail(
            subject=f"Sipariş {n}",
            sender=f"Müşteri {n} <musteri{n}@ornek.test>",
            message_id=f"<istek.{n}@ornek.test>",
            to=ADDRESSES["a"],
        )
        for n in range(offset, offset + count)
    ]


def _queries(workspace: Workspace, raws: list[bytes]) -> list[str]:
    mailbox = workspace.mailboxes_for_test
    stored = ingest.receive_many(mailbox, raws, source="pipe")
    with CaptureQueriesContext(connection) as context:
        ingest.process_many(stored)
    assert {row.status for row in stored} == {InboundStatus.PROCESSED}
    return [q["sql"] for q in context.captured_queries]


def _shape(sql: str) -> str:
    return re.sub(r"\d+|'[^']*'", "N", sql)[:120]


def test_a_batch_of_plain_mail_costs_the_same_number_of_queries_whatever_its_size():
    workspace = _workspace("a", hooks=False)
    workspace.mailboxes_for_test = make_mailbox(workspace, address=ADDRESSES["a"])
    _queries(workspace, _new_requests(3, offset=100))  # the workspace has some history
    five = _queries(workspace, _new_requests(5))
    twenty = _queries(workspace, _new_requests(20, offset=5))
    assert [_shape(q) for q in five] == [_shape(q) for q in twenty]
    # A constant: read, lock, write each table once (on SQLite an insert also reads its last
    # id), commit.
    assert len(twenty) <= 34
    # Replies to those tickets: one batch of 5, one of 20, again the same count.
    replies = [
        build_mail(
            subject=f"Re: Sipariş {n}",
            sender=f"Müşteri {n} <musteri{n}@ornek.test>",
            message_id=f"<yanit.{n}@ornek.test>",
            in_reply_to=f"<istek.{n}@ornek.test>",
            to=ADDRESSES["a"],
        )
        for n in range(25)
    ]
    assert len(_queries(workspace, replies[:5])) == len(_queries(workspace, replies[5:]))


def _acknowledgements_failing_in_bulk() -> AbstractContextManager:
    """The batch's bulk insert of acknowledgements fails: they are written after their
    rate-limit slots were taken, so the fall-back must give those back."""
    insert = batch.insert

    def failing(rows: list) -> None:
        if rows and isinstance(rows[0], OutboundEmail):
            raise RuntimeError("hata")
        insert(rows)

    return mock.patch.object(batch, "insert", failing)


def test_a_batch_whose_bulk_writing_fails_is_done_again_mail_by_mail():
    workspace = _workspace("a", hooks=False)
    mailbox = make_mailbox(workspace, address=ADDRESSES["a"])
    raws = [
        build_mail(
            subject=f"Sipariş {n}",
            sender="Ayşe Kaya <ayse@ornek.test>",
            message_id=f"<istek.{n}@ornek.test>",
            to=ADDRESSES["a"],
        )
        for n in range(2)
    ]
    stored = ingest.receive_many(mailbox, [*raws, b""], source="pipe")
    with _acknowledgements_failing_in_bulk():
        ingest.process_many(stored)
    assert [row.status for row in stored] == ["processed", "processed", "quarantined"]
    assert [row.attempts for row in InboundEmail.objects.order_by("pk")] == [1, 1, 1]
    assert list(Ticket.objects.order_by("number").values_list("number", flat=True)) == [1, 2]
    # Both acknowledgements went out: the rate-limit slots of the rolled-back try were given back.
    assert OutboundEmail.objects.filter(kind="acknowledgement").count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_batch_of_its_own_is_a_transaction_not_a_savepoint():
    # SQLite copies every page a savepoint changes into its sub-journal: as many pages again as
    # the batch writes. Outside a transaction the batch's block is the transaction itself.
    workspace = _workspace("a", hooks=False)
    mailbox = make_mailbox(workspace, address=ADDRESSES["a"])
    stored = ingest.receive_many(mailbox, _new_requests(3), source="pipe")
    with CaptureQueriesContext(connection) as context:
        ingest.process_many(stored)
    assert [row.status for row in stored] == ["processed"] * 3
    statements = [q["sql"].upper() for q in context.captured_queries]
    assert not [sql for sql in statements if "SAVEPOINT" in sql]


@pytest.mark.django_db(transaction=True)
def test_a_failing_batch_of_its_own_is_rolled_back_and_done_again_mail_by_mail():
    workspace = _workspace("a", hooks=False)
    mailbox = make_mailbox(workspace, address=ADDRESSES["a"])
    stored = ingest.receive_many(mailbox, _new_requests(2), source="pipe")
    with _acknowledgements_failing_in_bulk():
        ingest.process_many(stored)
    assert [row.status for row in stored] == ["processed", "processed"]
    assert [row.attempts for row in InboundEmail.objects.order_by("pk")] == [1, 1]
    # Nothing of the rolled-back try is left: the numbers start again at 1, one message each.
    assert list(Ticket.objects.order_by("number").values_list("number", flat=True)) == [1, 2]
    assert Message.objects.count() == 2
    assert OutboundEmail.objects.filter(kind="acknowledgement").count() == 2


def test_copies_in_a_stored_batch_are_one_row():
    workspace = _workspace("a", hooks=False)
    mailbox = make_mailbox(workspace, address=ADDRESSES["a"])
    first, second = _new_requests(2)
    stored = ingest.receive_many(mailbox, [first, second], source="pipe")
    again = ingest.receive_many(
        mailbox, [second, _new_requests(1, offset=7)[0], second], source="pipe"
    )
    assert again[0].pk == again[2].pk == stored[1].pk
    assert InboundEmail.objects.count() == 3


def test_a_batch_takes_the_sla_settings_as_they_now_are_without_reading_them_every_time():
    # Kept per process by the workspace's settings version, read in the batch's transaction:
    # the mailbox's workspace object (a long-lived worker's) has an older version.
    from destek.sla.models import SlaPolicy

    workspace = _workspace("a", hooks=False)
    mailbox = make_mailbox(workspace, address=ADDRESSES["a"])
    ingest.process_many(ingest.receive_many(mailbox, _new_requests(2), source="pipe"))
    SlaPolicy.objects.filter(workspace=workspace, priority="P2").update(
        business_hours=False, first_response_minutes=7
    )

    for offset in (2, 4):
        stored = ingest.receive_many(mailbox, _new_requests(2, offset=offset), source="pipe")
        with CaptureQueriesContext(connection) as context:
            ingest.process_many(stored)
        for ticket in Ticket.objects.filter(pk__in=[row.ticket_id for row in stored]):
            assert ticket.first_response_due_at == ticket.created_at + timedelta(minutes=7)
    # The second batch after the change read no SLA table: the first one's are still current.
    assert not [q for q in context.captured_queries if 'FROM "sla_' in q["sql"]]
