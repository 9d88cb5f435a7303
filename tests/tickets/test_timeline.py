"""The timeline: messages and events in order, events as sentences."""

from __future__ import annotations

from datetime import timedelta

from destek.tickets import actions
from destek.tickets.models import EventKind, TicketEvent
from destek.tickets.status import Status
from destek.tickets.timeline import build_timeline, describe


def event(ticket, actor, kind, old="", new="") -> TicketEvent:
    return TicketEvent(ticket=ticket, actor=actor, kind=kind, old_value=old, new_value=new)


def test_status_change_reads_as_a_sentence(agent, ticket):
    sentence = describe(event(ticket, agent, EventKind.STATUS, "new", "open"))

    assert sentence == "Ayşe Yılmaz durumu Yeni → İnceleniyor olarak değiştirdi"


def test_change_without_a_person_is_made_by_the_system(ticket):
    sentence = describe(event(ticket, None, EventKind.STATUS, "resolved", "closed"))

    assert sentence == "Sistem durumu Çözüldü → Kapandı olarak değiştirdi"


def test_assignment_sentences(agent, admin, ticket):
    assert describe(event(ticket, admin, EventKind.ASSIGNEE, "", "Ayşe Yılmaz")) == (
        f"{admin.display_name} talebi Ayşe Yılmaz kişisine atadı"
    )
    assert describe(event(ticket, agent, EventKind.ASSIGNEE, "", "Ayşe Yılmaz")) == (
        "Ayşe Yılmaz talebi üzerine aldı"
    )
    assert describe(event(ticket, agent, EventKind.ASSIGNEE, "Ayşe Yılmaz", "")) == (
        "Ayşe Yılmaz atamayı kaldırdı"
    )


def test_priority_category_and_tag_sentences(agent, ticket):
    assert describe(event(ticket, agent, EventKind.PRIORITY, "P2", "P0")) == (
        "Ayşe Yılmaz önceliği P2 · Normal → P0 · Acil olarak değiştirdi"
    )
    assert describe(event(ticket, agent, EventKind.CATEGORY, "", "SEO / performans")) == (
        "Ayşe Yılmaz kategoriyi — → SEO / performans olarak değiştirdi"
    )
    assert describe(event(ticket, agent, EventKind.TAGS, "", "iade, kargo")) == (
        "Ayşe Yılmaz etiketleri güncelledi: iade, kargo"
    )


def test_messages_and_events_are_merged_by_time(agent, ticket):
    later = ticket.created_at + timedelta(minutes=5)
    note = actions.add_note(ticket=ticket, actor=agent, text="not", now=later)
    actions.change_status(
        ticket=ticket, actor=agent, status=Status.PENDING, now=later + timedelta(minutes=1)
    )

    entries = build_timeline(ticket.messages.all(), ticket.events.all())

    first_message = ticket.messages.first()
    assert [(e.message, e.event.kind if e.event else None) for e in entries] == [
        (first_message, None),
        (None, EventKind.CREATED),
        (note, None),
        (None, EventKind.STATUS),
    ]
