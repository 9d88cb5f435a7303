"""destek/accounts/security_views.py: two-step login, lockout, the security page, the
workspace's 2FA requirement, ending other sessions."""

import re

import pyotp
import pytest
from django.test import Client
from django.utils import timezone

from destek.accounts import twofactor
from destek.accounts.models import AuditLog, LoginFailure, TwoFactor
from tests.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _login(client, email="ayse@anadolu.test", password=PASSWORD):
    return client.post("/accounts/login/", {"username": email, "password": password})


def _current_code(secret=SECRET):
    return pyotp.TOTP(secret).at(timezone.now())


def test_a_user_with_2fa_is_asked_for_a_code_before_being_logged_in(client, agent):
    twofactor.enable(user=agent, secret=SECRET)

    response = _login(client)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session


def test_the_right_code_logs_in(client, agent):
    twofactor.enable(user=agent, secret=SECRET)
    _login(client)

    response = client.post("/accounts/login/code/", {"code": _current_code()})

    assert response.status_code == 302 and response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == agent.pk
    assert AuditLog.objects.filter(action="login", target=agent.email).count() == 1


def test_a_wrong_code_is_refused_counted_and_audited(client, agent):
    twofactor.enable(user=agent, secret=SECRET)
    _login(client)

    response = client.post("/accounts/login/code/", {"code": "12345x"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Kod geçersiz ya da kullanılmış." in response.content.decode()
    assert LoginFailure.objects.filter(email=agent.email).count() == 1
    assert AuditLog.objects.filter(action="login.2fa_failed", target=agent.email).count() == 1


def test_a_recovery_code_logs_in_and_says_how_many_are_left(client, agent):
    codes = twofactor.enable(user=agent, secret=SECRET)
    _login(client)

    response = client.post("/accounts/login/code/", {"code": codes[0]}, follow=True)

    assert int(client.session["_auth_user_id"]) == agent.pk
    assert "Bir kurtarma kodu kullandınız; 9 kod kaldı." in response.content.decode()


def test_the_code_page_without_a_password_step_goes_back_to_login(client):
    response = client.get("/accounts/login/code/")

    assert response.status_code == 302 and response["Location"] == "/accounts/login/"


def test_too_many_wrong_passwords_lock_the_account_with_a_clear_message(client, agent, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        _login(client, password="yanlış-parola")

    response = _login(client)  # the right password, but locked

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    body = response.content.decode()
    assert "Bu hesaba çok fazla başarısız giriş denemesi yapıldı; güvenliğiniz için 15" in body
    assert AuditLog.objects.filter(action="login.locked", target=agent.email).count() == 1


def test_too_many_failures_from_one_address_lock_that_address(client, agent, admin, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 4
    for number in range(4):
        _login(client, email=f"yok{number}@anadolu.test", password="yanlış-parola")

    response = _login(client, email=admin.email)

    assert "_auth_user_id" not in client.session
    assert "Bu bağlantıdan çok fazla başarısız giriş denemesi yapıldı." in response.content.decode()
    other_address = Client(REMOTE_ADDR="10.1.2.3")
    assert _login(other_address, email=admin.email).status_code == 302


def test_a_successful_login_forgives_earlier_failures(client, agent):
    _login(client, password="yanlış-parola")
    _login(client)

    assert LoginFailure.objects.filter(email=agent.email).count() == 0


def test_setting_up_2fa_from_the_security_page(agent):
    client = client_for(agent)
    page = client.get("/account/security/").content.decode()
    assert "<svg" in page
    secret = client.session["2fa_setup_secret"]
    assert secret in page

    response = client.post("/account/security/2fa/enable/", {"code": _current_code(secret)})

    body = response.content.decode()
    assert "İki adımlı doğrulama açıldı." in body
    assert len(re.findall(r"<code>[0-9a-f]{5}-[0-9a-f]{5}</code>", body)) == 10
    assert TwoFactor.objects.filter(user=agent).exists()


def test_a_wrong_set_up_code_turns_nothing_on(agent):
    client = client_for(agent)
    client.get("/account/security/")

    response = client.post("/account/security/2fa/enable/", {"code": "000000x"})

    assert "Kod tutmadı" in response.content.decode()
    assert not TwoFactor.objects.filter(user=agent).exists()


def test_disabling_2fa_needs_the_password(agent):
    twofactor.enable(user=agent, secret=SECRET)
    client = client_for(agent)

    client.post("/account/security/2fa/disable/", {"password": "yanlış"})
    assert TwoFactor.objects.filter(user=agent).exists()

    client.post("/account/security/2fa/disable/", {"password": PASSWORD})
    assert not TwoFactor.objects.filter(user=agent).exists()
    assert AuditLog.objects.filter(action="2fa.disabled", target=agent.email).count() == 1


def test_a_workspace_that_requires_2fa_sends_members_without_it_to_set_it_up(agent, workspace):
    workspace.require_2fa = True
    workspace.save()

    response = client_for(agent).get("/w/anadolu/tickets/")

    assert response.status_code == 302
    assert response["Location"] == "/account/security/?next=%2Fw%2Fanadolu%2Ftickets%2F"


def test_a_member_with_2fa_works_normally_when_it_is_required(agent, workspace):
    twofactor.enable(user=agent, secret=SECRET)
    workspace.require_2fa = True
    workspace.save()

    assert client_for(agent).get("/w/anadolu/tickets/").status_code == 200


def test_nobody_can_drop_2fa_while_a_workspace_requires_it(agent, workspace):
    twofactor.enable(user=agent, secret=SECRET)
    workspace.require_2fa = True
    workspace.save()

    client_for(agent).post("/account/security/2fa/disable/", {"password": PASSWORD})

    assert TwoFactor.objects.filter(user=agent).exists()


def test_an_admin_turns_the_requirement_on_after_setting_up_their_own(admin, workspace):
    client = client_for(admin)
    client.post("/w/anadolu/members/require-2fa/", {"require_2fa": "on"})
    workspace.refresh_from_db()
    assert workspace.require_2fa is False

    twofactor.enable(user=admin, secret=SECRET)
    client.post("/w/anadolu/members/require-2fa/", {"require_2fa": "on"})

    workspace.refresh_from_db()
    assert workspace.require_2fa is True
    entry = AuditLog.objects.get(action="workspace.require_2fa")
    assert (entry.actor, entry.data) == (admin, {"required": True})


def test_an_agent_cannot_change_the_requirement(agent, workspace):
    response = client_for(agent).post("/w/anadolu/members/require-2fa/", {"require_2fa": "on"})

    assert response.status_code == 403


def test_log_out_other_sessions_keeps_this_one(agent):
    here = Client()
    elsewhere = Client()
    _login(here)
    _login(elsewhere)

    here.post("/account/security/sessions/")

    assert here.get("/workspaces/").status_code == 200
    assert elsewhere.get("/workspaces/").status_code == 302
    assert AuditLog.objects.filter(action="sessions.revoked", target=agent.email).count() == 1


def test_sessions_expire_after_the_configured_hours(client, agent, settings):
    _login(client)

    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 12 * 3600


@pytest.mark.parametrize(
    ("password", "error"),
    [
        ("kısa-1", "Bu parola çok kısa. En az 10 karakter içermek zorunda."),
        ("password123", "Bu parola çok geneldir."),
        ("9876543210123", "Bu parola tamamıyla sayısaldır."),
    ],
)
def test_password_policy(password, error, agent):
    from django.contrib.auth import password_validation
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("tr"), pytest.raises(ValidationError) as raised:
        password_validation.validate_password(password, agent)

    assert error in raised.value.messages


def test_the_team_page_shows_who_has_2fa(admin_client, agent):
    twofactor.enable(user=agent, secret=SECRET)

    response = admin_client.get("/w/anadolu/members/")

    rows = response.content.decode().split("<tr>")
    agent_row = next(row for row in rows if "ayse@anadolu.test" in row)
    admin_row = next(row for row in rows if "yonetici@anadolu.test" in row)
    assert '<td class="hide-sm">Açık</td>' in agent_row
    assert "Kapalı" in admin_row
