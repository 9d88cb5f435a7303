import re

import pytest
from django.core import mail
from django.test import Client

from destek.accounts.models import AuditLog, Membership, Role, User
from tests.accounts.conftest import link_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "yeni-kırmızı-fener-77"


def _login(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"username": email, "password": password})


def test_login_page_shows_the_email_field(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert 'type="email" name="username"' in response.content.decode()


def test_login_by_email_ignores_letter_case(client, agent):
    response = _login(client, "AYSE@Anadolu.TEST")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == agent.pk


def test_login_is_written_to_the_audit_log_of_the_users_workspace(client, agent, workspace):
    _login(client, "ayse@anadolu.test")

    entry = AuditLog.objects.get(action="login")
    assert (entry.workspace, entry.actor, entry.target) == (workspace, agent, "ayse@anadolu.test")
    assert entry.ip_address == "127.0.0.1"


def test_login_of_a_member_of_two_workspaces_is_logged_in_both(client, agent, other_workspace):
    Membership.objects.create(workspace=other_workspace, user=agent, role=Role.AGENT)

    _login(client, "ayse@anadolu.test")

    assert sorted(
        AuditLog.objects.filter(action="login").values_list("workspace__slug", flat=True)
    ) == [
        "anadolu",
        "baska",
    ]


def test_wrong_password_is_refused_and_logged_as_a_failed_login(client, agent, workspace):
    response = _login(client, "ayse@anadolu.test", "yanlış-parola")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    entry = AuditLog.objects.get(action="login.failed")
    assert (entry.workspace, entry.actor, entry.target) == (workspace, None, "ayse@anadolu.test")


def test_failed_login_for_an_unknown_address_is_logged_without_the_address(client, workspace):
    _login(client, "kimse@yok.test", "yanlış-parola")

    entry = AuditLog.objects.get(action="login.failed")
    assert (entry.workspace, entry.actor, entry.target) == (None, None, "")


def test_logout_is_post_only_and_ends_the_session(agent_client):
    assert agent_client.get("/accounts/logout/").status_code == 405

    response = agent_client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in agent_client.session


def test_password_reset_sends_a_link_to_the_account_address(client, agent):
    response = client.post("/accounts/password-reset/", {"email": "Ayse@anadolu.test"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ayse@anadolu.test"]
    assert message.subject == "Destek parola sıfırlama"
    assert message.extra_headers["X-Destek-Mail"] == "password-reset"
    assert re.fullmatch(
        r"https://destek\.example\.test/accounts/password-reset/[\w-]+/[\w-]+/",
        link_in(message.body),
    )


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, workspace):
    response = client.post("/accounts/password-reset/", {"email": "kimse@yok.test"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_password_reset_link_sets_a_new_password(client, agent):
    client.post("/accounts/password-reset/", {"email": "ayse@anadolu.test"})
    path = link_in(mail.outbox[0].body).removeprefix("https://destek.example.test")

    form_page = client.get(path)
    assert form_page.status_code == 302  # Django moves the token into the session
    response = client.post(
        form_page["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/complete/"
    agent.refresh_from_db()
    assert agent.check_password(NEW_PASSWORD)
    assert AuditLog.objects.filter(action="password.reset", actor=agent).count() == 1


def test_password_reset_link_works_only_once(client, agent):
    client.post("/accounts/password-reset/", {"email": "ayse@anadolu.test"})
    path = link_in(mail.outbox[0].body).removeprefix("https://destek.example.test")
    form_page = client.get(path)
    client.post(
        form_page["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    again = Client().get(path)

    assert again.status_code == 200
    assert again.context["validlink"] is False


def test_password_reset_lets_a_user_without_a_password_set_one(client, workspace):
    User.objects.create_user("sifresiz@anadolu.test", None)

    client.post("/accounts/password-reset/", {"email": "sifresiz@anadolu.test"})

    assert [m.to for m in mail.outbox] == [["sifresiz@anadolu.test"]]
