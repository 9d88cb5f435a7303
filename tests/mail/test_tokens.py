import pytest

from destek.mail.tokens import (
    make_body_token,
    make_message_id,
    ticket_of_message_id,
    tickets_of_body,
)


def test_message_id_names_its_ticket():
    message_id = make_message_id(workspace_id=3, ticket_id=1042, domain="firma.test")
    assert message_id.endswith("@firma.test")
    assert ticket_of_message_id(message_id) == (3, 1042)
    assert ticket_of_message_id(f"<{message_id}>") == (3, 1042)


def test_message_ids_are_unique():
    ids = {make_message_id(workspace_id=1, ticket_id=1, domain="x.test") for _ in range(50)}
    assert len(ids) == 50


def test_forged_message_id_is_refused():
    genuine = make_message_id(workspace_id=3, ticket_id=1042, domain="firma.test")
    forged = genuine.replace("destek.3.1042.", "destek.3.1043.", 1)
    assert ticket_of_message_id(forged) is None
    assert ticket_of_message_id("random-id@gmail.com") is None


def test_body_token_found_in_quoted_reply():
    token = make_body_token(workspace_id=3, ticket_id=7)
    reply = f"Teşekkürler!\n\n> Merhaba,\n> çözüldü.\n> {token}\n"
    assert tickets_of_body(reply) == [(3, 7)]


def test_forged_body_token_is_ignored():
    token = make_body_token(workspace_id=3, ticket_id=7)
    assert tickets_of_body(token.replace("-7-", "-8-")) == []


@pytest.mark.parametrize("value", ["destek.3.1042.a1b2c3", "body.3-1042", "şüphe"])
def test_a_signature_is_django_salted_hmac(value, settings):
    from django.utils.crypto import salted_hmac

    from destek.mail.tokens import _SALT, _sign

    for secret in ("ilk-anahtar", "yeni-anahtar"):  # a changed key signs with the new one
        settings.SECRET_KEY = secret
        expected = salted_hmac(_SALT, value, algorithm="sha256").hexdigest()
        assert _sign(value, 20) == expected[:20]
