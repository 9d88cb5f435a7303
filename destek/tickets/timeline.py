"""The ticket page's timeline: messages and events in one list, events as readable sentences."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from destek.tickets.models import EventKind, Message, Priority, TicketEvent
from destek.tickets.status import Status


@dataclass(frozen=True)
class Entry:
    at: datetime
    message: Message | None = None
    event: TicketEvent | None = None
    sentence: str = ""


def _label(choices: type[Status] | type[Priority], value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or "—"


def _status(event: TicketEvent, actor: str) -> str:
    return _("%(actor)s durumu %(old)s → %(new)s olarak değiştirdi") % {
        "actor": actor,
        "old": _label(Status, event.old_value),
        "new": _label(Status, event.new_value),
    }


def _assignee(event: TicketEvent, actor: str) -> str:
    if event.actor is None and event.new_value:
        return _("Otomatik atama: talep %(new)s kişisine verildi") % {"new": event.new_value}
    if not event.new_value:
        return _("%(actor)s atamayı kaldırdı") % {"actor": actor}
    if event.actor is not None and event.new_value == actor:
        return _("%(actor)s talebi üzerine aldı") % {"actor": actor}
    return _("%(actor)s talebi %(new)s kişisine atadı") % {"actor": actor, "new": event.new_value}


def _priority(event: TicketEvent, actor: str) -> str:
    return _("%(actor)s önceliği %(old)s → %(new)s olarak değiştirdi") % {
        "actor": actor,
        "old": _label(Priority, event.old_value),
        "new": _label(Priority, event.new_value),
    }


def _category(event: TicketEvent, actor: str) -> str:
    return _("%(actor)s kategoriyi %(old)s → %(new)s olarak değiştirdi") % {
        "actor": actor,
        "old": event.old_value or "—",
        "new": event.new_value or "—",
    }


def _team(event: TicketEvent, actor: str) -> str:
    if event.actor is None and event.new_value:
        return _("Talep %(new)s ekibine yönlendirildi") % {"new": event.new_value}
    return _("%(actor)s ekibi %(old)s → %(new)s olarak değiştirdi") % {
        "actor": actor,
        "old": event.old_value or "—",
        "new": event.new_value or "—",
    }


def _tags(event: TicketEvent, actor: str) -> str:
    if not event.new_value:
        return _("%(actor)s tüm etiketleri kaldırdı") % {"actor": actor}
    return _("%(actor)s etiketleri güncelledi: %(new)s") % {"actor": actor, "new": event.new_value}


def _created(event: TicketEvent, actor: str) -> str:
    if event.actor is None:
        return _("Talep oluşturuldu")
    return _("%(actor)s talebi oluşturdu") % {"actor": actor}


def _reopened(event: TicketEvent, actor: str) -> str:
    return _("Talep yeniden açıldı")


def _follow_up(event: TicketEvent, actor: str) -> str:
    return _("Takip talebi açıldı: %(code)s") % {"code": event.new_value}


def _merged(event: TicketEvent, actor: str) -> str:
    return _("%(actor)s talebi birleştirdi: %(code)s") % {"actor": actor, "code": event.new_value}


def _due(event: TicketEvent) -> str:
    """The due time an SLA event was about (stored as ISO 8601), in the workspace's zone."""
    try:
        due = datetime.fromisoformat(event.old_value)
    except ValueError:
        return "—"
    return formats.date_format(timezone.localtime(due), "j M H:i")


def _sla_warning(event: TicketEvent, actor: str) -> str:
    if event.new_value == "resolution":
        return _("Çözüm süresinin %%80'i doldu (son süre %(due)s)") % {"due": _due(event)}
    return _("İlk yanıt süresinin %%80'i doldu (son süre %(due)s)") % {"due": _due(event)}


def _sla_breach(event: TicketEvent, actor: str) -> str:
    if event.new_value == "resolution":
        return _("Çözüm süresi aşıldı (son süre %(due)s)") % {"due": _due(event)}
    return _("İlk yanıt süresi aşıldı (son süre %(due)s)") % {"due": _due(event)}


SENTENCES: dict[str, Callable[[TicketEvent, str], str]] = {
    EventKind.CREATED: _created,
    EventKind.STATUS: _status,
    EventKind.ASSIGNEE: _assignee,
    EventKind.PRIORITY: _priority,
    EventKind.CATEGORY: _category,
    EventKind.TEAM: _team,
    EventKind.TAGS: _tags,
    EventKind.REOPENED: _reopened,
    EventKind.FOLLOW_UP: _follow_up,
    EventKind.MERGED: _merged,
    EventKind.SLA_WARNING: _sla_warning,
    EventKind.SLA_BREACH: _sla_breach,
}


def _actor(event: TicketEvent) -> str:
    if event.via_rule:
        return _("Kural: %(name)s") % {"name": event.via_rule}
    return event.actor.display_name if event.actor is not None else _("Sistem")


def describe(event: TicketEvent) -> str:
    """One event as a sentence, e.g. "Ayşe durumu Yeni → İnceleniyor olarak değiştirdi"."""
    actor = _actor(event)
    sentence = SENTENCES.get(event.kind)
    return sentence(event, actor) if sentence else event.get_kind_display()


def build_timeline(messages: Iterable[Message], events: Iterable[TicketEvent]) -> list[Entry]:
    """Messages and events by time; at the same instant the message comes first (a reply and
    the status change it causes share a timestamp)."""
    entries = [Entry(at=message.created_at, message=message) for message in messages]
    entries += [
        Entry(at=event.created_at, event=event, sentence=describe(event)) for event in events
    ]
    return sorted(entries, key=lambda entry: (entry.at, entry.message is None))
