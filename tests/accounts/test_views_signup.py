from datetime import timedelta

import pytest
from django.utils import timezone

from destek.accounts.models import AuditLog, Membership, Role, User, Workspace
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SIGNUP = {
    "name": "Kuzey Optik",
    "slug": "kuzey-optik",
    "prefix": "KZY",
    "owner_name": "Elif Kuzey",
    "email": "elif@kuzeyoptik.test",
    "password": PASSWORD,
}


def _errors(response, field):
    return [str(error) for error in response.context["form"].errors.get(field, [])]


def test_signup_page_shows_the_form(client):
    response = client.get("/signup/")

    assert response.status_code == 200
    assert 'name="slug"' in response.content.decode()


def test_signup_creates_workspace_with_owner_and_redirects_into_it(client):
    response = client.post("/signup/", SIGNUP)

    assert response.status_code == 302
    assert response["Location"] == "/w/kuzey-optik/"
    workspace = Workspace.objects.get(slug="kuzey-optik")
    assert (workspace.name, workspace.prefix) == ("Kuzey Optik", "KZY")
    owner = User.objects.get(email="elif@kuzeyoptik.test")
    assert owner.name == "Elif Kuzey"
    assert owner.check_password(PASSWORD)
    assert Membership.objects.get(workspace=workspace).user == owner
    assert Membership.objects.get(workspace=workspace).role == Role.OWNER


def test_signup_starts_the_trial(client):
    client.post("/signup/", SIGNUP)

    workspace = Workspace.objects.get(slug="kuzey-optik")
    assert workspace.activated_at is None
    expected_end = timezone.now() + timedelta(days=7)
    assert abs(workspace.trial_ends_at - expected_end) < timedelta(minutes=1)
    assert not workspace.is_read_only()


def test_signup_logs_the_owner_in(client):
    client.post("/signup/", SIGNUP)

    owner = User.objects.get(email="elif@kuzeyoptik.test")
    assert int(client.session["_auth_user_id"]) == owner.pk


def test_signup_writes_the_audit_log(client):
    client.post("/signup/", SIGNUP)

    workspace = Workspace.objects.get(slug="kuzey-optik")
    entries = AuditLog.objects.filter(workspace=workspace).order_by("created_at", "pk")
    assert [(e.action, e.target) for e in entries] == [
        ("workspace.created", "kuzey-optik"),
        ("login", "elif@kuzeyoptik.test"),
    ]


def test_signup_uppercases_the_prefix_and_lowercases_the_slug(client):
    client.post("/signup/", {**SIGNUP, "slug": "Kuzey-Optik", "prefix": "kzy"})

    assert Workspace.objects.get(slug="kuzey-optik").prefix == "KZY"


def test_signup_refuses_a_slug_in_use(client, workspace):
    response = client.post("/signup/", {**SIGNUP, "slug": "anadolu"})

    assert response.status_code == 200
    assert _errors(response, "slug") == ["Bu kısa ad kullanımda; başka bir tane seçin."]
    assert not User.objects.filter(email="elif@kuzeyoptik.test").exists()


def test_signup_refuses_a_slug_with_bad_characters(client):
    response = client.post("/signup/", {**SIGNUP, "slug": "kuzey_optik!"})

    assert response.status_code == 200
    assert "Küçük harf, rakam ve tire." in _errors(response, "slug")


@pytest.mark.parametrize("prefix", ["K", "1KZ", "KZ-Y", "ABCDEFGHI"])
def test_signup_refuses_a_bad_prefix(client, prefix):
    response = client.post("/signup/", {**SIGNUP, "prefix": prefix})

    assert response.status_code == 200
    assert "prefix" in response.context["form"].errors
    assert not Workspace.objects.filter(slug="kuzey-optik").exists()


def test_signup_refuses_a_weak_password_in_turkish(client):
    response = client.post("/signup/", {**SIGNUP, "password": "12345"})

    assert response.status_code == 200
    errors = _errors(response, "password")
    assert "Bu parola çok kısa. En az 10 karakter içermek zorunda." in errors
    assert "Bu parola tamamıyla sayısaldır." in errors
    assert not Workspace.objects.exists()


def test_signup_errors_follow_the_browser_language(client):
    response = client.post("/signup/", {**SIGNUP, "password": "12345"}, HTTP_ACCEPT_LANGUAGE="en")

    assert "This password is too short. It must contain at least 10 characters." in _errors(
        response, "password"
    )


def test_signup_refuses_a_password_like_the_email(client):
    response = client.post("/signup/", {**SIGNUP, "password": "elif@kuzeyoptik"})

    assert response.status_code == 200
    assert "password" in response.context["form"].errors


def test_signup_refuses_an_email_that_already_has_an_account(client, workspace):
    response = client.post("/signup/", {**SIGNUP, "email": "Patron@Anadolu.test"})

    assert response.status_code == 200
    assert _errors(response, "email") == [
        "Bu e-posta adresiyle zaten bir hesap var. Giriş yaptıktan sonra yeni bir çalışma "
        "alanı açabilirsiniz."
    ]
    assert not Workspace.objects.filter(slug="kuzey-optik").exists()


def test_logged_in_user_opens_another_workspace_as_its_owner(agent_client, agent):
    form = {"name": "Yan Proje", "slug": "yan-proje", "prefix": "YAN"}

    response = agent_client.post("/signup/", form)

    assert response.status_code == 302
    assert response["Location"] == "/w/yan-proje/"
    membership = Membership.objects.get(workspace__slug="yan-proje")
    assert (membership.user, membership.role) == (agent, Role.OWNER)
    assert agent.check_password(PASSWORD)
