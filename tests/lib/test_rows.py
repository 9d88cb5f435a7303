"""destek.lib.rows writes what Django's own save would write."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import connection

from destek.lib.rows import _converter, insert
from destek.mail.models import InboundEmail, MessageEnvelope
from tests.mail.inbound import make_mailbox

pytestmark = pytest.mark.django_db

MOMENTS = [
    datetime(2026, 11, 24, 7, 30, 0, tzinfo=UTC),  # no microseconds: none in the text either
    datetime(2026, 11, 24, 7, 30, 0, 120, tzinfo=UTC),
    datetime(2026, 11, 24, 10, 30, 0, 5, tzinfo=timezone(timedelta(hours=3))),  # Istanbul
]


def _inbound(mailbox, digest: str, moment: datetime) -> InboundEmail:
    return InboundEmail(
        workspace_id=mailbox.workspace_id,
        mailbox=mailbox,
        source="pipe",
        size=0,
        sha256=digest,
        received_at=moment,
    )


@pytest.mark.parametrize("moment", MOMENTS, ids=["utc", "utc-micro", "istanbul"])
def test_a_moment_is_stored_as_a_save_stores_it(workspace, moment):
    mailbox = make_mailbox(workspace)
    saved = _inbound(mailbox, "1", moment)
    saved.save()
    inserted = _inbound(mailbox, "2", moment)
    insert([inserted])

    with connection.cursor() as cursor:
        cursor.execute(
            # As text: the driver would turn both spellings into the same datetime.
            "SELECT received_at || '' FROM mail_inboundemail WHERE id IN (%s, %s) ORDER BY id",
            [saved.pk, inserted.pk],
        )
        stored = [row[0] for row in cursor.fetchall()]

    assert stored[0] == stored[1]
    assert InboundEmail.objects.get(pk=inserted.pk).received_at == moment


def _columns(row) -> dict:
    return {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields}


def test_a_new_row_is_what_the_constructor_makes(workspace, ticket):
    from destek.lib.rows import new_row
    from destek.mail.models import MessageEnvelope
    from destek.tickets.models import Ticket

    values = {"workspace": workspace, "customer": ticket.customer, "subject": "Fatura", "number": 9}
    values["created_at"] = values["updated_at"] = MOMENTS[1]
    fast, slow = new_row(Ticket, **values), Ticket(**values)

    assert _columns(fast) == _columns(slow)
    assert fast.customer is ticket.customer  # the related object given is kept, as __init__ does
    assert fast._state.adding and fast.pk is None

    assert fast.workspace is workspace and fast.workspace_id == workspace.pk
    with pytest.raises(ValueError):
        Ticket(customer=workspace)
    with pytest.raises(ValueError):
        new_row(Ticket, customer=workspace)  # the wrong model, refused as __init__ refuses it
    unset = new_row(Ticket, customer=None)
    assert unset.customer_id is None
    assert unset._state.fields_cache == Ticket(customer=None)._state.fields_cache

    first, second = new_row(MessageEnvelope, ticket_id=ticket.pk), new_row(MessageEnvelope)
    assert _columns(first) == _columns(MessageEnvelope(ticket_id=ticket.pk))
    first.to.append("a@musteri.test")
    assert second.to == []  # each row its own list


def test_a_new_row_takes_settable_properties_and_refuses_unknown_names(workspace):
    from destek.lib.rows import new_row

    mailbox = make_mailbox(workspace)
    row = new_row(InboundEmail, mailbox=mailbox, raw=b"Subject: x\r\n\r\n")
    assert (row.raw, row._raw_unsaved, row.mailbox_id) == (b"Subject: x\r\n\r\n", True, mailbox.pk)
    with pytest.raises(TypeError, match="unexpected keyword argument 'rawbytes'"):
        new_row(InboundEmail, rawbytes=b"")


def test_inserted_rows_get_the_ids_the_database_gave_them(workspace):
    # On SQLite the ids are worked out from the last one; a deleted highest id is never given
    # again (AUTOINCREMENT), so the rows after it still line up.
    mailbox = make_mailbox(workspace)
    first = [_inbound(mailbox, f"a{n}", MOMENTS[0]) for n in range(3)]
    insert(first)
    InboundEmail.objects.filter(pk=first[-1].pk).delete()
    rows = [_inbound(mailbox, f"b{n}", MOMENTS[1]) for n in range(250)]
    insert(rows)

    assert rows[0].pk > first[-1].pk
    stored = dict(InboundEmail.objects.filter(sha256__startswith="b").values_list("pk", "sha256"))
    assert {row.pk: row.sha256 for row in rows} == stored
    assert all(not row._state.adding for row in rows)


def test_insert_writes_every_column_as_a_save_does(workspace):
    mailbox = make_mailbox(workspace)
    saved = _inbound(mailbox, "1", MOMENTS[2])
    saved.message_id, saved.uid, saved.attempts = "<a@b>", 7, 2
    saved.save()
    inserted = _inbound(mailbox, "2", MOMENTS[2])
    inserted.message_id, inserted.uid, inserted.attempts = "<a@b>", 7, 2
    insert([inserted])

    def stored(pk: int) -> dict:
        values = InboundEmail.objects.filter(pk=pk).values().get()
        return {k: v for k, v in values.items() if k not in {"id", "sha256"}}

    assert stored(inserted.pk) == stored(saved.pk)


@pytest.mark.parametrize(
    "value",
    [[], ["ayse@ornek.com.tr", "Çağrı <c@d.e>"], {"ad": "Şule", "liste": [1, None]}, None],
    ids=["empty", "addresses", "nested", "null"],
)
def test_a_json_value_is_written_as_the_field_writes_it(value):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's shortcut; elsewhere the field's own conversion runs")
    field = MessageEnvelope._meta.get_field("to")
    assert _converter(field, connection.vendor)(value) == field.get_db_prep_save(value, connection)


def test_a_choices_member_is_stored_as_a_save_stores_it(workspace):
    from destek.mail.models import InboundStatus

    mailbox = make_mailbox(workspace)
    saved = _inbound(mailbox, "1", MOMENTS[0])
    saved.status = InboundStatus.PROCESSED
    saved.save()
    # The first row teaches the fast path the member's type; the rest take it.
    rows = [_inbound(mailbox, f"r{n}", MOMENTS[0]) for n in range(3)]
    for row in rows:
        row.status = InboundStatus.PROCESSED
    insert(rows)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT status || '' FROM mail_inboundemail WHERE id IN (%s, %s, %s, %s)",
            [saved.pk, *(row.pk for row in rows)],
        )
        assert cursor.fetchall() == [("processed",)]


def test_a_related_object_saved_after_it_was_set_gives_its_id(workspace, ticket):
    from destek.lib.rows import new_row
    from destek.tickets.models import Message

    message = new_row(Message, workspace=workspace, ticket=ticket, text="Merhaba")
    envelope = new_row(
        MessageEnvelope, workspace_id=workspace.pk, ticket=ticket, ticket_message=message
    )
    envelope.message_id = "<a@b>"
    with pytest.raises(ValueError, match="unsaved related object 'ticket_message'"):
        insert([envelope])  # as bulk_create refuses it
    insert([message])
    insert([envelope])

    assert envelope.ticket_message_id == message.pk and envelope.ticket_message is message
    stored = MessageEnvelope.objects.get(pk=envelope.pk)
    assert (stored.ticket_message_id, stored.ticket_id) == (message.pk, ticket.pk)


def test_a_copied_row_is_what_copy_gives(workspace, ticket):
    from copy import copy

    from destek.lib.rows import copy_row

    ticket.customer  # noqa: B018 - the related object cached, as the batch holds it
    fast, slow = copy_row(ticket), copy(ticket)

    assert _columns(fast) == _columns(slow) == _columns(ticket)
    assert fast.customer is slow.customer is ticket.customer
    fast.subject = "Başka"
    fast._state.fields_cache.pop("customer")
    assert ticket.subject != "Başka" and "customer" in ticket._state.fields_cache
    assert (fast._state.adding, fast._state.db) == (ticket._state.adding, ticket._state.db)
