"""destek.mail.classify: bounces and automatic mail, from signals, fixtures and the corpus."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from destek.mail.classify import Classification, MailSignals, classify, delivery_status
from destek.mail.parse import parse_email

from .corpus import CORPUS, FIXTURES, box_id, corpus_boxes, require_corpus

PERSON = MailSignals(
    from_email="zeynep.kaya@musteri.com.tr", return_path="zeynep.kaya@musteri.com.tr"
)


def signals(**changes) -> MailSignals:
    return dataclasses.replace(PERSON, **changes)


def test_mail_from_a_person_is_neither_bounce_nor_automatic():
    assert classify(PERSON) == Classification(
        is_bounce=False, is_auto=False, delivery_status=None, auto_reasons=()
    )


@pytest.mark.parametrize("value", ["auto-replied", "auto-generated", "Auto-Notified; owner=x"])
def test_auto_submitted_other_than_no_is_automatic(value):
    verdict = classify(signals(auto_submitted=value))
    assert verdict.auto_reasons == (f"auto-submitted:{value.split(';')[0].lower()}",)


def test_auto_submitted_no_is_a_person():
    assert classify(signals(auto_submitted="no")).is_auto is False


@pytest.mark.parametrize("value", ["bulk", "junk", "list", "Bulk"])
def test_bulk_junk_and_list_precedence_are_automatic(value):
    assert classify(signals(precedence=value)).auto_reasons == (f"precedence:{value.lower()}",)


def test_first_class_precedence_is_a_person():
    assert classify(signals(precedence="first-class")).is_auto is False


def test_x_autoreply_is_automatic():
    assert classify(signals(x_autoreply="yes")).auto_reasons == ("x-autoreply",)


def test_x_autorespond_is_automatic():
    assert classify(signals(x_autorespond="")).auto_reasons == ("x-autorespond",)


def test_exchange_suppressing_auto_responses_is_automatic():
    assert classify(signals(x_auto_response_suppress="DR, OOF")).auto_reasons == (
        "x-auto-response-suppress",
    )


def test_list_id_makes_a_mailing_list():
    assert classify(signals(list_id="<duyuru.firma.com.tr>")).auto_reasons == ("mailing-list",)


@pytest.mark.parametrize(
    "sender",
    [
        "no-reply@kargo.com.tr",
        "noreply@firma.com",
        "no_reply@firma.com",
        "donotreply@banka.com.tr",
        "do-not-reply@banka.com.tr",
        "noreply+siparis@magaza.com",
        "MAILER-DAEMON@mx.firma.com",
        "bounces+12345-abc@list.firma.com",
    ],
)
def test_machine_senders_are_automatic(sender):
    assert "machine-sender" in classify(signals(from_email=sender.lower())).auto_reasons


@pytest.mark.parametrize("sender", ["noreen@firma.com", "replyteam@firma.com", "daemon@x.com"])
def test_people_with_similar_addresses_are_not_machine_senders(sender):
    assert classify(signals(from_email=sender)).is_auto is False


def test_the_null_return_path_is_automatic():
    assert classify(signals(return_path="")).auto_reasons == ("null-return-path",)


@pytest.mark.parametrize(
    "subject",
    ["Otomatik yanıt: Sipariş", "Automatic reply: Order", "Out of Office: back Monday"],
)
def test_out_of_office_subjects_are_automatic(subject):
    assert classify(signals(subject=subject)).auto_reasons == ("auto-reply-subject",)


def test_a_subject_that_only_mentions_auto_reply_is_a_person():
    assert classify(signals(subject="Otomatik yanıt gelmedi")).is_auto is False


def test_a_delivery_status_report_is_a_bounce():
    verdict = classify(
        signals(
            content_type="multipart/report",
            report_type="delivery-status",
            delivery_actions=["failed"],
        )
    )
    assert (verdict.is_bounce, verdict.is_auto, verdict.delivery_status) == (True, True, "failed")


def test_a_read_receipt_report_is_not_a_bounce():
    verdict = classify(
        signals(content_type="multipart/report", report_type="disposition-notification")
    )
    assert verdict.is_bounce is False


def test_exim_failed_recipients_header_makes_a_bounce():
    assert classify(signals(x_failed_recipients="a@b.c")).is_bounce is True


def test_a_plain_text_notice_from_the_mailer_daemon_is_a_bounce():
    verdict = classify(
        signals(from_email="mailer-daemon@mx.firma.com", subject="Returned mail: User unknown")
    )
    assert (verdict.is_bounce, verdict.delivery_status) == (True, None)


def test_postmaster_mail_without_a_bounce_subject_or_null_sender_is_no_bounce():
    verdict = classify(signals(from_email="postmaster@firma.com", subject="Yeni kampanyalar"))
    assert (verdict.is_bounce, verdict.is_auto) == (False, True)


@pytest.mark.parametrize(
    ("actions", "status"),
    [
        (["delivered", "failed"], "failed"),
        (["delayed"], "delayed"),
        (["Relayed"], "relayed"),
        ([], None),
    ],
)
def test_one_failed_recipient_makes_a_failed_report(actions, status):
    assert delivery_status(actions) == status


def fixture(name: str):
    return parse_email((FIXTURES / name).read_bytes())


def test_dsn_fixture_is_a_failed_bounce():
    parsed = fixture("bounce-dsn.eml")
    assert (parsed.is_bounce, parsed.delivery_status, parsed.auto_reasons) == (
        True,
        "failed",
        ("bounce", "auto-submitted:auto-replied", "machine-sender", "null-return-path"),
    )


def test_out_of_office_fixture_is_automatic_but_no_bounce():
    parsed = fixture("auto-reply-out-of-office.eml")
    assert (parsed.is_bounce, parsed.auto_submitted, parsed.x_autoreply, parsed.auto_reasons) == (
        False,
        "auto-replied",
        "yes",
        (
            "auto-submitted:auto-replied",
            "precedence:auto_reply",
            "x-autoreply",
            "x-auto-response-suppress",
            "auto-reply-subject",
        ),
    )


def test_no_reply_sender_fixture_is_automatic_and_names_the_customer_in_reply_to():
    parsed = fixture("no-reply-sender.eml")
    assert (parsed.is_auto, parsed.auto_reasons, parsed.reply_to) == (
        True,
        ("machine-sender",),
        (("Burak Çelik", "burak.celik@musteri.com.tr"),),
    )


def test_mailing_list_fixture_is_automatic():
    parsed = fixture("mailing-list-bulk.eml")
    assert (parsed.list_id, parsed.precedence, parsed.auto_reasons) == (
        "Kahve Bulteni <bulten.kahvebulteni.com.tr>",
        "list",
        ("precedence:list", "mailing-list"),
    )


def test_a_customer_mail_fixture_is_not_automatic():
    parsed = fixture("reply-gmail-turkish-quote.eml")
    assert (parsed.is_bounce, parsed.is_auto, parsed.return_path) == (False, False, None)


# The corpus's bounces (README: DSNs, the Exchange UTF-7 notice, the plain-text one).
CORPUS_BOUNCES = {
    "mail018": "failed",
    "mail033-undelivered-mail-returned-to-sender": "failed",
    "mail052": None,
    "mail053": "failed",
    "mail055": "failed",
    "mail063": "failed",
    "mail078": "delayed",
    "mail092": "failed",
}


@pytest.mark.parametrize("box", corpus_boxes(), ids=box_id)
def test_exactly_the_corpus_bounces_are_bounces(box: Path | None):
    parsed = parse_email(require_corpus(box).read_bytes())
    bounce = box.stem in CORPUS_BOUNCES
    assert (parsed.is_bounce, parsed.delivery_status) == (bounce, CORPUS_BOUNCES.get(box.stem))


@pytest.mark.parametrize("stem", ["mail089", "mail090"])
def test_servicenow_notifications_are_automatic(stem):
    parsed = parse_email(require_corpus(CORPUS / f"{stem}.box").read_bytes())
    assert parsed.auto_reasons == ("auto-submitted:auto-generated", "precedence:bulk")
