"""``destek export`` (DESIGN §10): the keys scripts rely on, one customer's data, the files."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from destek.accounts.models import AuditLog
from destek.mail import ingest
from destek.tickets import actions
from destek.tickets.status import Status

from .inbound import build_mail, fixture, make_mailbox

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% fatura\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def mailbox(workspace):
    return make_mailbox(workspace)


def export(*args: str) -> dict:
    out = io.StringIO()
    call_command("export", *args, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def mail_in(mailbox, **mail):
    return ingest.receive_and_process(mailbox, build_mail(**mail), source="pipe")


@pytest.fixture
def desk(mailbox, agent):
    """A mailed ticket with a PDF, a Cc, an agent's reply and a note; a second customer's
    ticket; a quarantined mail."""
    first = mail_in(
        mailbox,
        cc="Murat Kaya <murat@musteri.test>",
        attachments=[("fatura.pdf", "application/pdf", PDF)],
    ).ticket
    actions.reply(ticket=first, actor=agent, text="Faturanız düzeltildi.")
    actions.add_note(ticket=first, actor=agent, text="Muhasebeye sorduk.")
    mail_in(mailbox, sender="Ali Veli <ali@baska.test>", message_id="<ali.1@baska.test>")
    ingest.receive_and_process(mailbox, fixture("no-sender-address.eml"), source="pipe")
    return first


def test_the_export_has_every_key_of_design_section_10(workspace, desk):
    document = export("--workspace", "anadolu")
    assert set(document) == {"workspace", "customers", "tickets", "outbox", "quarantine"}
    assert document["workspace"] == {"slug": "anadolu", "name": "Anadolu Kahve", "prefix": "DST"}
    assert {"email", "name"} <= set(document["customers"][0])
    ticket = document["tickets"][0]
    assert {
        "code", "subject", "status", "priority", "category", "assignee", "customer",
        "created_at", "follow_up_of", "messages", "events",
    } <= set(ticket)  # fmt: skip
    for message in ticket["messages"]:
        assert {
            "kind", "from", "reply_to", "to", "cc", "subject", "text", "visible_text", "html",
            "created_at", "message_id", "attachments",
        } <= set(message)  # fmt: skip
    assert set(ticket["messages"][0]["attachments"][0]) >= {
        "filename", "content_type", "size", "sha256", "inline",
    }  # fmt: skip
    for row in document["outbox"]:
        assert {"ticket", "kind", "to", "subject", "message_id", "in_reply_to", "status"} <= set(
            row
        )
    assert {"mailbox", "error", "sha256", "size"} <= set(document["quarantine"][0])


def test_the_export_holds_the_mail_as_it_came_and_went(workspace, desk, agent):
    document = export("--workspace", "anadolu")
    assert [c["email"] for c in document["customers"]] == [
        "zeynep.kaya@musteri.test",
        "ali@baska.test",
    ]
    ticket = document["tickets"][0]
    assert (ticket["code"], ticket["customer"], ticket["status"]) == (
        "DST-1",
        "zeynep.kaya@musteri.test",
        Status.OPEN,
    )
    assert (ticket["assignee"], ticket["category"], ticket["follow_up_of"]) == (None, None, None)
    customer, reply, note = ticket["messages"]
    assert (customer["kind"], customer["from"], customer["cc"]) == (
        "customer",
        "zeynep.kaya@musteri.test",
        ["murat@musteri.test"],
    )
    assert (customer["subject"], customer["message_id"]) == (
        "Siparişim hâlâ gelmedi",
        "siparis.1@musteri.test",
    )
    assert customer["attachments"] == [
        {
            "filename": "fatura.pdf",
            "content_type": "application/pdf",
            "size": len(PDF),
            "sha256": hashlib.sha256(PDF).hexdigest(),
            "inline": False,
        }
    ]
    assert (reply["kind"], reply["text"], reply["to"]) == (
        "reply",
        "Faturanız düzeltildi.",
        ["zeynep.kaya@musteri.test"],
    )
    assert reply["message_id"] and reply["from"] == "destek@anadolukahve.com.tr"
    assert (note["kind"], note["from"]) == ("note", agent.email)
    kinds = {(row["ticket"], row["kind"]) for row in document["outbox"]}
    assert kinds == {("DST-1", "acknowledgement"), ("DST-1", "reply"), ("DST-2", "acknowledgement")}
    quarantined = document["quarantine"][0]
    raw = fixture("no-sender-address.eml")
    assert quarantined == quarantined | {
        "mailbox": "destek@anadolukahve.com.tr",
        "error": "İletide gönderen adresi yok.",
        "sha256": hashlib.sha256(raw).hexdigest(),
        "size": len(raw),
    }
    assert [e["kind"] for e in ticket["events"]] == ["created", "status"]


def test_a_follow_up_names_the_ticket_it_follows(workspace, mailbox):
    ticket = mail_in(mailbox).ticket
    actions.change_status(ticket=ticket, actor=None, status=Status.CLOSED)
    mail_in(mailbox, message_id="<2@x.test>", subject=f"Re: [{ticket.code}] Siparişim")
    tickets = export("--workspace", "anadolu")["tickets"]
    assert [(t["code"], t["follow_up_of"]) for t in tickets] == [
        ("DST-1", None),
        ("DST-2", "DST-1"),
    ]


def test_a_customer_export_holds_only_that_customers_data(workspace, desk):
    document = export("--workspace", "anadolu", "--customer", "ALI@baska.test")
    assert [c["email"] for c in document["customers"]] == ["ali@baska.test"]
    assert [t["code"] for t in document["tickets"]] == ["DST-2"]
    assert [row["ticket"] for row in document["outbox"]] == ["DST-2"]
    assert document["quarantine"] == []


def test_with_files_writes_the_attachments_bytes_to_a_zip(workspace, desk, tmp_path):
    document = export("--workspace", "anadolu", "--with-files", str(tmp_path))
    attachment = document["tickets"][0]["messages"][0]["attachments"][0]
    assert attachment["path"].startswith("DST-1/") and attachment["path"].endswith("fatura.pdf")
    with zipfile.ZipFile(tmp_path / "attachments.zip") as archive:
        assert archive.namelist() == [attachment["path"]]
        assert archive.read(attachment["path"]) == PDF


def test_the_export_is_audit_logged_without_naming_the_customer(workspace, desk):
    export("--workspace", "anadolu", "--customer", "ali@baska.test")
    entry = AuditLog.objects.get(action="workspace.exported")
    assert (entry.workspace, entry.data) == (workspace, {"scope": "customer", "with_files": False})
    assert "ali" not in entry.target


def test_the_number_of_queries_does_not_grow_with_the_tickets(workspace, mailbox, agent):
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            export("--workspace", "anadolu")
        return len(context)

    def add_ticket(n: int) -> None:
        ticket = mail_in(
            mailbox,
            message_id=f"<{n}@x.test>",
            sender=f"musteri{n}@x.test",
            attachments=[("a.txt", "text/plain", b"x")],
        ).ticket
        actions.reply(ticket=ticket, actor=agent, text="Tamam")

    add_ticket(1)
    few = queries()
    for n in range(2, 7):
        add_ticket(n)
    assert queries() == few


def test_an_unknown_workspace_is_an_error(db):
    with pytest.raises(CommandError, match="no workspace with slug 'yok'"):
        export("--workspace", "yok")
