"""The small typed schema of a rule's conditions and actions.

A rule stores each row as ``{"kind": …, "value": …}``. Every kind has one value type; the type
says how a typed-in value is checked and stored (an id of the workspace's category, a priority,
a list of phrases, …) and which field the rule builder shows for it. Nothing is stored that
this module did not check, so the engine can trust the JSON it reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from destek.accounts.models import Membership, Workspace
from destek.lib.turkish import folded_words
from destek.tickets.models import CannedReply, Category, Priority, Team
from destek.tickets.status import Status

MAX_PHRASES = 20
MAX_NOTE = 5000
_SPLIT = re.compile(r"[,;\n]")
_DOMAIN = re.compile(r"^(?=.{3,253}$)[a-z0-9-]+(\.[a-z0-9-]+)+$")


class ValueType(StrEnum):
    WORDS = "words"
    ADDRESS = "address"
    MAILBOX = "mailbox"
    CATEGORY = "category"
    PRIORITY = "priority"
    STATUS = "status"
    HOURS = "hours"
    TEAM = "team"
    AGENT = "agent"
    TAGS = "tags"
    TEXT = "text"
    CANNED = "canned"


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise
    value_type: ValueType


def _kinds(*kinds: Kind) -> dict[str, Kind]:
    return {kind.key: kind for kind in kinds}


CONDITIONS = _kinds(
    Kind(
        "subject_or_body", gettext_lazy("Konu veya ileti şunlardan birini içerir"), ValueType.WORDS
    ),
    Kind("subject", gettext_lazy("Konu şunlardan birini içerir"), ValueType.WORDS),
    Kind("body", gettext_lazy("İleti şunlardan birini içerir"), ValueType.WORDS),
    Kind("sender", gettext_lazy("Gönderen adresi veya alan adı"), ValueType.ADDRESS),
    Kind("mailbox", gettext_lazy("Geldiği posta kutusu"), ValueType.MAILBOX),
    Kind("category", gettext_lazy("Kategori"), ValueType.CATEGORY),
    Kind("priority", gettext_lazy("Öncelik"), ValueType.PRIORITY),
    Kind("status", gettext_lazy("Durum"), ValueType.STATUS),
    Kind("business_hours", gettext_lazy("Çalışma saatleri"), ValueType.HOURS),
)

ACTIONS = _kinds(
    Kind("set_priority", gettext_lazy("Önceliği ayarla"), ValueType.PRIORITY),
    Kind("set_category", gettext_lazy("Kategoriyi ayarla"), ValueType.CATEGORY),
    Kind("set_team", gettext_lazy("Ekibe ver"), ValueType.TEAM),
    Kind("set_assignee", gettext_lazy("Temsilciye ata"), ValueType.AGENT),
    Kind("add_tags", gettext_lazy("Etiket ekle"), ValueType.TAGS),
    Kind("set_status", gettext_lazy("Durumu değiştir"), ValueType.STATUS),
    Kind("add_note", gettext_lazy("Dahili not ekle"), ValueType.TEXT),
    Kind("send_canned", gettext_lazy("Hazır yanıt gönder"), ValueType.CANNED),
)


class Hours(StrEnum):
    IN = "in"
    OUT = "out"


def hours_choices() -> list[tuple[str, str]]:
    return [(Hours.IN, _("içinde")), (Hours.OUT, _("dışında"))]


def options(workspace: Workspace, value_type: str) -> list[tuple[str, str]] | None:
    """The choices a select offers for ``value_type`` (value, label), or None for free text."""
    loader = _OPTIONS.get(value_type)
    return loader(workspace) if loader else None


def _mailbox_options(workspace: Workspace) -> list[tuple[str, str]]:
    from destek.mail.models import Mailbox

    rows = Mailbox.objects.filter(workspace=workspace).order_by("address")
    return [(str(pk), address) for pk, address in rows.values_list("pk", "address")]


def _agent_options(workspace: Workspace) -> list[tuple[str, str]]:
    members = Membership.objects.for_workspace(workspace).agents().select_related("user")
    return [(str(m.user_id), m.user.display_name) for m in members.order_by("user__email")]


def _named(model: type, field: str = "name") -> Callable[[Workspace], list[tuple[str, str]]]:
    def load(workspace: Workspace) -> list[tuple[str, str]]:
        rows = model.objects.filter(workspace=workspace).values_list("pk", field)
        return [(str(pk), name) for pk, name in rows]

    return load


def _shared_canned_options(workspace: Workspace) -> list[tuple[str, str]]:
    # A rule speaks for the workspace: an agent's personal replies are not offered.
    rows = CannedReply.objects.filter(workspace=workspace).shared().values_list("pk", "title")
    return [(str(pk), title) for pk, title in rows]


_OPTIONS: dict[str, Callable[[Workspace], list[tuple[str, str]]]] = {
    ValueType.MAILBOX: _mailbox_options,
    ValueType.CATEGORY: _named(Category),
    ValueType.TEAM: _named(Team),
    ValueType.AGENT: _agent_options,
    ValueType.CANNED: _shared_canned_options,
    ValueType.PRIORITY: lambda _ws: [(value, str(label)) for value, label in Priority.choices],
    ValueType.STATUS: lambda _ws: [(value, str(label)) for value, label in Status.choices],
    ValueType.HOURS: lambda _ws: hours_choices(),
}

# Value types chosen from a list (the others are typed in).
SELECT_TYPES = frozenset(_OPTIONS)


# --- Checking typed-in values --------------------------------------------------------------------


def _phrases(raw: object, workspace: Workspace) -> list[str]:
    items = raw if isinstance(raw, list) else _SPLIT.split(str(raw))
    phrases = list(dict.fromkeys(" ".join(str(p).split()) for p in items if folded_words(str(p))))
    if not phrases:
        raise ValidationError(_("En az bir sözcük yazın."))
    if len(phrases) > MAX_PHRASES:
        raise ValidationError(_("En çok %(count)d ifade yazılabilir.") % {"count": MAX_PHRASES})
    return phrases


def _address(raw: object, workspace: Workspace) -> str:
    value = str(raw).strip().lower().removeprefix("@")
    if "@" in value:
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError(_("Geçerli bir e-posta adresi ya da alan adı yazın.")) from None
        return value
    if not _DOMAIN.match(value):
        raise ValidationError(_("Geçerli bir e-posta adresi ya da alan adı yazın."))
    return value


def _id_in(
    load: Callable[[Workspace, int], bool], message: Promise
) -> Callable[[object, Workspace], int]:
    def check(raw: object, workspace: Workspace) -> int:
        try:
            pk = int(str(raw))
        except ValueError:
            raise ValidationError(str(message)) from None
        if not load(workspace, pk):
            raise ValidationError(str(message))
        return pk

    return check


def _in_workspace(model: type) -> Callable[[Workspace, int], bool]:
    return lambda workspace, pk: model.objects.filter(workspace=workspace, pk=pk).exists()


def _mailbox_exists(workspace: Workspace, pk: int) -> bool:
    from destek.mail.models import Mailbox

    return Mailbox.objects.filter(workspace=workspace, pk=pk).exists()


def _shared_canned(workspace: Workspace, pk: int) -> bool:
    return CannedReply.objects.filter(workspace=workspace, pk=pk).shared().exists()


def _agent_exists(workspace: Workspace, pk: int) -> bool:
    return Membership.objects.for_workspace(workspace).agents().filter(user_id=pk).exists()


def _choice(values: Iterable[str], message: Promise) -> Callable[[object, Workspace], str]:
    allowed = frozenset(values)

    def check(raw: object, workspace: Workspace) -> str:
        if str(raw) not in allowed:
            raise ValidationError(str(message))
        return str(raw)

    return check


def _tags(raw: object, workspace: Workspace) -> list[str]:
    items = raw if isinstance(raw, list) else _SPLIT.split(str(raw))
    names = sorted({str(n).strip().lower()[:50] for n in items if str(n).strip()})
    if not names:
        raise ValidationError(_("En az bir etiket yazın."))
    return names


def _text(raw: object, workspace: Workspace) -> str:
    text = str(raw).strip()
    if not text:
        raise ValidationError(_("Not metni boş olamaz."))
    if len(text) > MAX_NOTE:
        raise ValidationError(_("Not en çok %(count)d karakter olabilir.") % {"count": MAX_NOTE})
    return text


CHECKS: dict[str, Callable[[object, Workspace], object]] = {
    ValueType.WORDS: _phrases,
    ValueType.ADDRESS: _address,
    ValueType.MAILBOX: _id_in(_mailbox_exists, gettext_lazy("Bilinmeyen posta kutusu.")),
    ValueType.CATEGORY: _id_in(_in_workspace(Category), gettext_lazy("Bilinmeyen kategori.")),
    ValueType.TEAM: _id_in(_in_workspace(Team), gettext_lazy("Bilinmeyen ekip.")),
    ValueType.AGENT: _id_in(
        _agent_exists, gettext_lazy("Bu kişi bu çalışma alanında temsilci değil.")
    ),
    ValueType.CANNED: _id_in(_shared_canned, gettext_lazy("Bilinmeyen hazır yanıt.")),
    ValueType.PRIORITY: _choice(Priority.values, gettext_lazy("Geçersiz öncelik.")),
    ValueType.STATUS: _choice(Status.values, gettext_lazy("Geçersiz durum.")),
    ValueType.HOURS: _choice(Hours, gettext_lazy("“İçinde” ya da “dışında” seçin.")),
    ValueType.TAGS: _tags,
    ValueType.TEXT: _text,
}


def clean_rows(
    workspace: Workspace,
    rows: Sequence[tuple[str, object]],
    kinds: dict[str, Kind],
    row_label: Promise,
) -> list[dict[str, object]]:
    """Check typed-in ``(kind, value)`` rows (a blank kind is an empty row and skipped) and
    return them as stored; every problem is reported with its row number."""
    cleaned, errors = [], []
    for number, (key, raw) in enumerate(rows, start=1):
        if not key:
            continue
        kind = kinds.get(key)
        where = f"{row_label} {number}"
        if kind is None:
            errors.append(_("%(where)s: bilinmeyen tür.") % {"where": where})
            continue
        try:
            value = CHECKS[kind.value_type](raw, workspace)
        except ValidationError as exc:
            errors.append(f"{where} ({kind.label}): {' '.join(exc.messages)}")
            continue
        cleaned.append({"kind": key, "value": value})
    if errors:
        raise ValidationError(errors)
    return cleaned


def clean_conditions(workspace: Workspace, rows: Sequence[tuple[str, object]]) -> list[dict]:
    return clean_rows(workspace, rows, CONDITIONS, gettext_lazy("Koşul"))


def clean_actions(workspace: Workspace, rows: Sequence[tuple[str, object]]) -> list[dict]:
    actions = clean_rows(workspace, rows, ACTIONS, gettext_lazy("Eylem"))
    if not actions:
        raise ValidationError(_("Kural en az bir eylem içermeli."))
    if any(a["kind"] == "set_status" and a["value"] == Status.NEW for a in actions):
        raise ValidationError(_("Bir kural talebi “Yeni” durumuna döndüremez."))
    return actions


def raw_value(value: object) -> str:
    """A stored value as the builder's field shows it."""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)
