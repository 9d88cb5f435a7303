"""Reading delivery reports (destek/mail/bounce.py): pure, on parsed fixture mail."""

from __future__ import annotations

from destek.mail import bounce
from destek.mail.parse import parse_email
from tests.mail.inbound import build_mail, fixture

OLD_STYLE = b"""Return-Path: <>
From: Mail Delivery Subsystem <MAILER-DAEMON@mx.musteri.test>
To: destek@anadolukahve.com.tr
Subject: Mail delivery failed: returning message to sender
Message-ID: <fail.1@mx.musteri.test>
Content-Type: text/plain; charset=us-ascii

This message was created automatically by mail delivery software.

  yanlis@musteri.test
    SMTP error from remote mail server after RCPT TO:<yanlis@musteri.test>:
    550 5.1.1 No such user here

------ This is a copy of the message, including all the headers. ------

From: Anadolu Kahve Destek <destek@anadolukahve.com.tr>
Message-ID:
 <destek.1.2.abc.0123456789abcdef0123@anadolukahve.com.tr>
Subject: Re: [DST-2] Sipari\xc5\x9f
"""


def test_a_dsn_names_the_returned_message_and_the_servers_reason():
    parsed = parse_email(fixture("bounce-dsn.eml"))
    assert bounce.is_failure(parsed)
    assert bounce.returned_message_ids(parsed) == ["dst-1044.99aa@anadolukahve.com.tr"]
    assert bounce.reason(parsed) == ("yanlis.adres@musteri.com.tr 5.1.1 550 5.1.1 User unknown")


def test_an_old_style_notice_is_a_failure_found_by_the_quoted_headers():
    parsed = parse_email(OLD_STYLE)
    assert parsed.is_bounce and parsed.delivery_status is None
    assert bounce.is_failure(parsed)
    assert bounce.returned_message_ids(parsed) == [
        "destek.1.2.abc.0123456789abcdef0123@anadolukahve.com.tr"
    ]
    assert bounce.reason(parsed) == "550 5.1.1 No such user here"


def test_a_delay_warning_without_a_report_is_no_failure():
    raw = OLD_STYLE.replace(
        b"Mail delivery failed: returning message to sender",
        b"Warning: message delayed, still being retried",
    )
    assert not bounce.is_failure(parse_email(raw))


def test_mail_from_a_person_is_no_failure():
    assert not bounce.is_failure(parse_email(build_mail()))
