"""Compiled rules against plain facts: no database."""

from __future__ import annotations

from dataclasses import dataclass, field

from destek.automation.compiled import compile_rule, word_string


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
    subject_words: str = field(init=False)
    body_words: str = field(init=False)

    def __post_init__(self) -> None:
        self.subject_words = word_string(self.subject)
        self.body_words = word_string(self.body)


def _rule(conditions: list[dict], match: str = "all"):
    return compile_rule(
        pk=1, name="R", match=match, conditions=conditions, actions=[{"kind": "x", "value": 1}]
    )


def test_phrases_are_folded_once_when_compiled():
    rule = _rule([{"kind": "subject", "value": ["ÖDEME Alamıyorum", "İade"]}])
    assert rule.conditions[0].value == (" odeme alamiyorum ", " iade ")


def test_a_phrase_matches_whole_adjacent_words_only():
    rule = _rule([{"kind": "body", "value": ["ödeme alamıyorum"]}])
    assert rule.matches(Facts(body="Kartla ÖDEME, alamıyorum!"))
    assert not rule.matches(Facts(body="alamıyorum ödeme"))
    assert not rule.matches(Facts(body="ödemeler alamıyorum"))
    assert not rule.matches(Facts(body="ödeme alamıyorumdur"))


def test_a_phrase_of_only_punctuation_is_dropped():
    rule = _rule([{"kind": "subject", "value": ["...", "iade"]}])
    assert rule.conditions[0].value == (" iade ",)


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
