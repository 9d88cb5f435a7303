"""Loop and noise guards for automatic mail (destek/mail/guard.py, DESIGN §5)."""

from __future__ import annotations

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

from destek.mail import guard
from destek.mail.parse import parse_email
from tests.mail.inbound import build_mail, fixture, make_mailbox

CUSTOMER = "zeynep.kaya@musteri.test"


def refusal(workspace, raw: bytes, address: str | None = CUSTOMER) -> str | None:
    return guard.refusal(workspace_id=workspace.pk, parsed=parse_email(raw), address=address)


def test_mail_from_a_person_may_be_answered(workspace):
    assert refusal(workspace, build_mail()) is None


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Auto-Submitted": "auto-replied"}, "auto-submitted:auto-replied"),
        ({"Auto-Submitted": "auto-generated; owner=x"}, "auto-submitted:auto-generated"),
        ({"Precedence": "bulk"}, "precedence:bulk"),
        ({"Precedence": "junk"}, "precedence:junk"),
        ({"Precedence": "list"}, "precedence:list"),
        ({"X-Autoreply": "yes"}, "x-autoreply"),
        ({"List-Id": "<duyuru.kahve.test>"}, "mailing-list"),
    ],
)
def test_automatic_headers_refuse_an_automatic_answer(workspace, headers, reason):
    assert refusal(workspace, build_mail(headers=headers)) == reason


def test_auto_submitted_no_is_a_person(workspace):
    assert refusal(workspace, build_mail(headers={"Auto-Submitted": "no"})) is None


@pytest.mark.parametrize(
    "sender",
    [
        "MAILER-DAEMON@mx.musteri.test",
        "postmaster@musteri.test",
        "no-reply@magaza.test",
        "noreply@magaza.test",
    ],
)
def test_machine_senders_get_no_automatic_answer(workspace, sender):
    raw = build_mail(sender=sender)
    assert refusal(workspace, raw, address=sender) is not None


def test_a_contact_form_from_no_reply_is_answered_to_the_person_in_reply_to(workspace):
    raw = fixture("no-reply-sender.eml")
    assert refusal(workspace, raw, address="burak.celik@musteri.com.tr") is None


def test_a_no_reply_address_in_reply_to_gets_no_answer(workspace):
    raw = build_mail(reply_to="noreply@kampanya.test")
    assert refusal(workspace, raw, address="noreply@kampanya.test") == "machine-address"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("auto-reply-out-of-office.eml", "auto-submitted:auto-replied"),
        ("mailing-list-bulk.eml", "precedence:list"),
        ("bounce-dsn.eml", "bounce"),
    ],
)
def test_fixture_mail_from_machines_is_refused(workspace, name, reason):
    assert refusal(workspace, fixture(name), address="someone@musteri.test") == reason


def test_mail_from_our_own_mailbox_gets_no_answer(workspace):
    make_mailbox(workspace, "destek@anadolukahve.com.tr")
    raw = build_mail(sender="Destek <Destek@AnadoluKahve.com.tr>")
    assert refusal(workspace, raw, address="destek@anadolukahve.com.tr") == "own-address"


def test_another_workspaces_mailbox_is_not_our_own(workspace, other_workspace):
    make_mailbox(other_workspace, "destek@baska.test")
    raw = build_mail(sender="destek@baska.test")
    assert refusal(workspace, raw, address="destek@baska.test") is None


def test_mail_without_an_address_to_answer_is_refused(workspace):
    assert refusal(workspace, build_mail(), address=None) == "no-address"


def test_rate_limit_allows_three_automatic_mails_an_hour_per_sender(workspace):
    slots = [guard.take_slot("ack", workspace_id=workspace.pk, address=CUSTOMER) for _ in range(5)]
    assert slots == [True, True, True, False, False]


def test_rate_limit_counts_each_sender_workspace_and_kind_apart(workspace, other_workspace):
    for _ in range(3):
        guard.take_slot("ack", workspace_id=workspace.pk, address=CUSTOMER)
    assert guard.take_slot("ack", workspace_id=workspace.pk, address=CUSTOMER.upper()) is False
    assert guard.take_slot("ack", workspace_id=workspace.pk, address="ali@musteri.test")
    assert guard.take_slot("ack", workspace_id=other_workspace.pk, address=CUSTOMER)
    assert guard.take_slot("notify", workspace_id=workspace.pk, address=CUSTOMER)


def test_rate_limit_keys_hold_no_address_in_clear(workspace):
    key = guard._rate_key("ack", workspace.pk, CUSTOMER)
    assert "musteri" not in key and "zeynep" not in key


def test_a_slot_starts_its_window_and_can_be_given_back(workspace):
    key = guard._rate_key("ack", workspace.pk, CUSTOMER)
    with guard.slots_taken() as taken:
        assert guard.take_slot("ack", workspace_id=workspace.pk, address=CUSTOMER)
        assert guard.take_slot("ack", workspace_id=workspace.pk, address=CUSTOMER)
    assert taken == [key, key]
    assert cache.get(key) == 2
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        # The count lives no longer than the hour it counts.
        full_key = backend.make_and_validate_key(key)
        ttl = backend._cache.get_client(full_key).ttl(full_key)
        assert 0 < ttl <= guard._WINDOW_SECONDS
    guard.give_back(taken)
    assert cache.get(key) == 0
    slots = [guard.take_slot("ack", workspace_id=workspace.pk, address=CUSTOMER) for _ in range(4)]
    assert slots == [True, True, True, False]
