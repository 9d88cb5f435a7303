"""Rules compiled for matching: phrases folded once, values typed, no database.

A compiled rule is what the cache holds (it pickles) and what the engine checks against a
ticket's :class:`Facts`-like object; see ``engine.Facts`` for where the facts come from.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from destek.automation.schema import Hours
from destek.lib.turkish import folded_words


class Facts(Protocol):
    subject_words: str  # see :func:`word_string`
    body_words: str
    sender: str
    mailbox_id: int | None
    category_id: int | None
    priority: str
    status: str
    in_business_hours: bool


@dataclass(frozen=True)
class Condition:
    kind: str
    value: object


@dataclass(frozen=True)
class CompiledRule:
    pk: int
    name: str
    match_all: bool
    conditions: tuple[Condition, ...]
    actions: tuple[tuple[str, object], ...]

    def matches(self, facts: Facts) -> bool:
        """All (or any) conditions hold; a rule without conditions always matches. Facts are
        read lazily, so a condition that is never reached costs nothing."""
        if not self.conditions:
            return True
        results = (MATCHERS[c.kind](facts, c.value) for c in self.conditions)
        return all(results) if self.match_all else any(results)


def word_string(text: str) -> str:
    """The folded words of ``text`` between single spaces, with a space at each end: a phrase
    prepared the same way is then found by one substring search, on whole words only."""
    return " " + " ".join(folded_words(text)) + " "


def _compile_value(kind: str, value: object) -> object:
    if kind in {"subject", "body", "subject_or_body"}:
        phrases = (word_string(str(p)) for p in value)  # type: ignore[union-attr]
        return tuple(p for p in phrases if p.strip())
    if kind == "business_hours":
        return value == Hours.IN
    return value


def compile_rule(
    *, pk: int, name: str, match: str, conditions: Sequence[dict], actions: Sequence[dict]
) -> CompiledRule:
    return CompiledRule(
        pk=pk,
        name=name,
        match_all=match != "any",
        conditions=tuple(
            Condition(c["kind"], _compile_value(c["kind"], c["value"])) for c in conditions
        ),
        actions=tuple((a["kind"], a["value"]) for a in actions),
    )


def _in_subject(facts: Facts, phrases: object) -> bool:
    return any(phrase in facts.subject_words for phrase in phrases)  # type: ignore[attr-defined]


def _in_body(facts: Facts, phrases: object) -> bool:
    return any(phrase in facts.body_words for phrase in phrases)  # type: ignore[attr-defined]


def _sender(facts: Facts, wanted: object) -> bool:
    """An address matches itself; a domain matches its addresses and its subdomains'."""
    sender, wanted = facts.sender, str(wanted)
    if "@" in wanted:
        return sender == wanted
    domain = sender.rpartition("@")[2]
    return domain == wanted or domain.endswith("." + wanted)


MATCHERS: dict[str, Callable[[Facts, object], bool]] = {
    "subject": _in_subject,
    "body": _in_body,
    "subject_or_body": lambda f, v: _in_subject(f, v) or _in_body(f, v),
    "sender": _sender,
    "mailbox": lambda f, v: f.mailbox_id == v,
    "category": lambda f, v: f.category_id == v,
    "priority": lambda f, v: f.priority == v,
    "status": lambda f, v: f.status == v,
    "business_hours": lambda f, v: f.in_business_hours is v,
}
