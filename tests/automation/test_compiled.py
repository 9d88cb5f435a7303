"""Compiled rules against plain facts: no database."""

from __future__ import annotations

from dataclasses import dataclass, field

from destek.automation.compiled import compile_rule, has_phrase, index_words
from destek.lib.turkish import folded_words


@dataclass
class Facts:
    subject: str = ""
    body: str = ""
    sender: str = "ali@firma.com.tr"
    mailbox_id: int | None = None
    category_id: int | None = None
    priority: str = "P2"
    status: str = "new"
    in_business_hours: bool = True
    subject_words: list[str] = field(init=False)
    body_words: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.subject_words = folded_words(self.subject)
        self.body_words = folded_words(self.body)
        self.subject_index = index_words(self.subject_words)
        self.body_index = index_words(self.body_words)


def _rule(conditions: list[dict], match: str = "all"):
    return compile_rule(
        pk=1, name="R", match=match, conditions=conditions, actions=[{"kind": "x", "value": 1}]
    )


def test_phrases_are_folded_once_when_compiled():
    rule = _rule([{"kind": "subject", "value": ["ÖDEME Alamıyorum", "İade"]}])
    assert rule.conditions[0].value == (("odeme", "alamiyorum"), ("iade",))


def test_a_phrase_matches_whole_adjacent_words_only():
    words = folded_words("Kartla ödeme alamıyorum, ödemeler de yok")
    index = index_words(words)
    assert has_phrase(words, index, ("odeme", "alamiyorum"))
    assert not has_phrase(words, index, ("alamiyorum", "odeme"))
    assert not has_phrase(words, index, ("odeme", "de"))


def test_a_rule_without_conditions_always_matches():
    assert _rule([]).matches(Facts())


def test_all_and_any():
    conditions = [{"kind": "priority", "value": "P0"}, {"kind": "status", "value": "new"}]
    assert not _rule(conditions).matches(Facts())
    assert _rule(conditions, "any").matches(Facts())
    assert _rule(conditions).matches(Facts(priority="P0"))


def test_business_hours_in_and_out():
    inside = _rule([{"kind": "business_hours", "value": "in"}])
    outside = _rule([{"kind": "business_hours", "value": "out"}])
    assert inside.matches(Facts()) and not outside.matches(Facts())
    assert outside.matches(Facts(in_business_hours=False))


def test_body_and_subject_or_body():
    rule = _rule([{"kind": "subject_or_body", "value": ["site açılmıyor"]}])
    assert rule.matches(Facts(body="SİTE AÇILMIYOR"))
    assert rule.matches(Facts(subject="Site açılmıyor!"))
    assert not rule.matches(Facts(subject="Site", body="açılmıyor"))
