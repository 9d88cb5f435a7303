"""Searching through the real index of the database under test: SQLite FTS5 in the embedded run,
PostgreSQL's tsvector in the PostgreSQL run (CI runs the suite on both)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from destek.search import index as index_module
from destek.search.engines import PostgresEngine, SqliteEngine, engine
from destek.search.index import rebuild
from destek.search.query import jump_url, search, search_terms
from destek.tickets import actions
from destek.tickets.models import Ticket


def _found(workspace, text: str, **kwargs) -> list[str]:
    tickets = kwargs.pop("tickets", Ticket.objects.for_workspace(workspace))
    results = search(workspace, text, tickets, filtered=kwargs.pop("filtered", False), **kwargs)
    return [hit.ticket.code for hit in results.hits]


@pytest.fixture
def tickets(workspace, customer):
    """Three tickets with Turkish words, written through the actions like any other."""
    ali = actions.get_or_create_customer(
        workspace=workspace, email="ali.ince@firma.test", name="ALİ İNCE"
    )
    first = actions.create_ticket(
        workspace=workspace,
        customer=customer,
        subject="Kredi kartıyla ÖDEME alamıyorum",
        text="Sepette hata alıyorum.",
    )
    second = actions.create_ticket(
        workspace=workspace,
        customer=ali,
        subject="Kargo gecikti",
        text="Şikâyetim var: KARGO ISPARTA'da kaldı.",
    )
    third = actions.create_ticket(
        workspace=workspace, customer=customer, subject="Fatura", text="Faturamı bulamıyorum."
    )
    return first, second, third


def test_the_engine_follows_the_database():
    expected = PostgresEngine if connection.vendor == "postgresql" else SqliteEngine
    assert isinstance(engine(), expected)


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("odeme", ["DST-1"]),  # ö typed as o
        ("ÖDEME", ["DST-1"]),
        ("sikayet", ["DST-2"]),  # ş and â left out
        ("şikâyetim", ["DST-2"]),
        ("ısparta", ["DST-2"]),  # dotless ı against a capital I
        ("isparta", ["DST-2"]),
        ("ince", ["DST-2"]),  # "İNCE" in the customer's name
        ("INCE", ["DST-2"]),
        ("kargo şikayet", ["DST-2"]),  # both words, one in the subject, one in the message
        ("kargo fatura", []),
        ("faturami", ["DST-3"]),
        ("fatura", ["DST-3"]),  # a prefix of "faturamı"
        ("zeynep", ["DST-3", "DST-1"]),  # the customer's name, newest first
        ("musteri", ["DST-3", "DST-1"]),  # a part of the email address
        ("1", ["DST-1"]),  # the number of the tracking code
    ],
)
def test_turkish_folding(workspace, tickets, query, codes):
    assert _found(workspace, query) == codes


def test_a_reply_and_a_note_are_found_as_soon_as_they_are_written(workspace, tickets, agent):
    first = tickets[0]
    actions.reply(ticket=first, actor=agent, text="İade işleminiz başlatıldı.")
    actions.add_note(ticket=first, actor=agent, text="Bankayla görüşüldü, çözüm yolda.")
    assert _found(workspace, "iade islem") == ["DST-1"]
    assert _found(workspace, "bankayla") == ["DST-1"]


def test_notes_are_left_out_when_asked(workspace, tickets, agent):
    actions.add_note(ticket=tickets[0], actor=agent, text="Gizli not: bankayla görüşüldü.")
    assert _found(workspace, "bankayla", include_notes=False) == []


def test_attachment_names_are_found(workspace, customer):
    from destek.tickets.actions import FileData

    actions.create_ticket(
        workspace=workspace,
        customer=customer,
        subject="Ek",
        text="Ekte.",
        files=[FileData("Sözleşme_2026.pdf", "application/pdf", b"%PDF")],
    )
    results = search(workspace, "sozlesme", Ticket.objects.all(), filtered=False)
    assert [hit.ticket.code for hit in results.hits] == ["DST-1"]
    assert results.hits[0].snippets == [("file", "<mark>Sözleşme</mark>_2026.pdf")]


def test_a_rolled_back_message_leaves_no_words_behind(workspace, tickets, agent):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        actions.add_note(ticket=tickets[0], actor=agent, text="zeytinyağı")
        raise RuntimeError("the request failed after the note")
    assert _found(workspace, "zeytinyagi") == []


def test_another_workspace_finds_nothing_of_this_one(workspace, tickets, other_workspace):
    assert _found(other_workspace, "odeme", tickets=Ticket.objects.all()) == []


def test_filters_apply_to_the_matches(workspace, tickets, agent):
    actions.assign(ticket=tickets[2], actor=agent, assignee=agent)
    mine = Ticket.objects.for_workspace(workspace).filter(assignee=agent)
    assert _found(workspace, "zeynep", tickets=mine, filtered=True) == ["DST-3"]


def test_pages_continue_below_the_last_id(workspace, customer):
    for index in range(5):
        actions.create_ticket(
            workspace=workspace, customer=customer, subject=f"İade {index}", text="iade"
        )
    every = Ticket.objects.all()
    first = search(workspace, "iade", every, filtered=False, limit=2)
    assert [hit.ticket.code for hit in first.hits] == ["DST-5", "DST-4"]
    second = search(workspace, "iade", every, filtered=False, limit=2, before=first.next_before)
    assert [hit.ticket.code for hit in second.hits] == ["DST-3", "DST-2"]
    third = search(workspace, "iade", every, filtered=False, limit=2, before=second.next_before)
    assert [hit.ticket.code for hit in third.hits] == ["DST-1"]
    assert third.next_before is None


def test_rebuild_indexes_what_the_database_holds(workspace, tickets):
    engine().clear()
    assert _found(workspace, "odeme") == []
    assert rebuild() == 3
    assert _found(workspace, "odeme") == ["DST-1"]
    assert _found(workspace, "sikayet") == ["DST-2"]


def test_rebuild_in_small_chunks_over_a_full_index(workspace, tickets, monkeypatch):
    # Chunks and commits smaller than the tickets: every chunk lands once, and a rebuild over an
    # index that already holds the documents leaves no second copy behind.
    monkeypatch.setattr(index_module, "REBUILD_CHUNK", 1)
    monkeypatch.setattr(index_module, "REBUILD_CHUNKS_PER_COMMIT", 2)
    assert rebuild() == 3
    assert rebuild() == 3
    assert _found(workspace, "odeme") == ["DST-1"]
    assert _found(workspace, "sikayet") == ["DST-2"]
    ticket = Ticket.objects.get(workspace=workspace, number=2)
    actions.add_note(ticket=ticket, actor=None, text="Müşteri Zonguldak'tan aradı.")
    assert _found(workspace, "zonguldak") == ["DST-2"]


def test_a_renamed_customer_is_found_by_the_new_name(workspace, tickets, customer):
    actions.update_customer(customer=customer, name="Zeynep Öztürk")
    assert _found(workspace, "ozturk") == ["DST-3", "DST-1"]


def test_search_terms_are_folded_words_once_each():
    assert search_terms("Ödeme, ÖDEME; iade!") == ["odeme", "iade"]


def test_a_full_tracking_code_jumps_to_the_ticket(workspace, tickets):
    assert jump_url(workspace, "DST-2") == "/w/anadolu/t/2/"
    assert jump_url(workspace, " dst2 ") == "/w/anadolu/t/2/"
    assert jump_url(workspace, "DST-99") is None
    assert jump_url(workspace, "BSK-2") is None


def test_a_full_email_address_jumps_to_the_customer(workspace, tickets, customer):
    assert jump_url(workspace, "Zeynep.Kaya@musteri.test") == f"/w/anadolu/customers/{customer.pk}/"
    assert jump_url(workspace, "yok@musteri.test") is None


def test_the_query_count_does_not_grow_with_matches(workspace, customer, agent):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            search(workspace, "iade", Ticket.objects.for_workspace(workspace), filtered=True)
        return len(queries)

    actions.create_ticket(workspace=workspace, customer=customer, subject="iade", text="iade")
    few = count()
    for index in range(12):
        ticket = actions.create_ticket(
            workspace=workspace, customer=customer, subject=f"iade {index}", text="iade"
        )
        actions.reply(ticket=ticket, actor=agent, text="iade tamam")
    assert count() == few


def test_date_filters_use_the_creation_day(workspace, customer):
    from destek.search.forms import SearchForm

    old = actions.create_ticket(
        workspace=workspace,
        customer=customer,
        subject="iade",
        text="iade",
        created_at=dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC),
    )
    actions.create_ticket(workspace=workspace, customer=customer, subject="iade", text="iade")
    form = SearchForm(
        {"q": "iade", "created_to": "2026-01-31"}, agents=[], categories=[], mailboxes=[]
    )
    assert form.is_filtered()
    assert _found(workspace, "iade", tickets=form.tickets(workspace), filtered=True) == [old.code]


def test_common_words_on_postgresql_walk_the_newest_tickets(workspace, customer):
    if connection.vendor != "postgresql":
        pytest.skip("the ordered walk is the PostgreSQL engine's")
    from destek.search import engines

    for index in range(30):
        actions.create_ticket(
            workspace=workspace, customer=customer, subject=f"İade {index}", text="iade"
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_ticket")
    engines._lexeme_stats.clear()
    with connection.cursor() as cursor:
        assert engine()._rows_to_scan(cursor, "iade:*", 26) == 26
    assert _found(workspace, "iade") == [f"DST-{n}" for n in range(30, 5, -1)][:25]
    assert _found(workspace, "iade kalemlik") == []
