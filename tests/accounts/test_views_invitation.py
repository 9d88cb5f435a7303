from datetime import timedelta

import pytest
from django.utils import timezone

from destek.accounts.models import Invitation, Membership, Role, User
from destek.accounts.services import invite
from tests.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(workspace, admin) -> Invitation:
    return invite(workspace=workspace, email="yeni@anadolu.test", role=Role.AGENT, actor=admin)


def _url(invitation):
    return f"/invite/{invitation.token}/"


def test_invitation_page_shows_workspace_and_role(client, invitation):
    response = client.get(_url(invitation))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Anadolu Kahve ekibine davet" in body
    assert "Temsilci" in body
    assert response.context["state"] == "new"


def test_new_person_sets_name_and_password_and_joins(client, invitation, workspace):
    response = client.post(_url(invitation), {"name": "Can Demir", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/w/anadolu/"
    user = User.objects.get(email="yeni@anadolu.test")
    assert user.name == "Can Demir"
    assert user.check_password(PASSWORD)
    membership = Membership.objects.get(workspace=workspace, user=user)
    assert (membership.role, membership.is_active) == (Role.AGENT, True)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_new_person_is_logged_in_after_accepting(client, invitation):
    client.post(_url(invitation), {"name": "Can Demir", "password": PASSWORD})

    user = User.objects.get(email="yeni@anadolu.test")
    assert int(client.session["_auth_user_id"]) == user.pk


def test_new_person_must_choose_a_strong_password(client, invitation):
    response = client.post(_url(invitation), {"name": "Can Demir", "password": "123"})

    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    assert not User.objects.filter(email="yeni@anadolu.test").exists()


def test_existing_user_logged_in_with_the_invited_address_just_accepts(
    workspace, admin, other_agent
):
    invitation = invite(
        workspace=workspace, email="mehmet@baska.test", role=Role.ADMIN, actor=admin
    )
    client = client_for(other_agent)
    assert client.get(_url(invitation)).context["state"] == "accept"

    response = client.post(_url(invitation))

    assert response["Location"] == "/w/anadolu/"
    assert Membership.objects.get(workspace=workspace, user=other_agent).role == Role.ADMIN
    assert other_agent.memberships.filter(workspace__slug="baska", is_active=True).exists()


def test_existing_user_who_is_not_logged_in_is_asked_to_log_in(
    client, workspace, admin, other_agent
):
    invitation = invite(
        workspace=workspace, email="mehmet@baska.test", role=Role.AGENT, actor=admin
    )

    page = client.get(_url(invitation))
    posted = client.post(_url(invitation), {"name": "Biri", "password": "başka-bir-parola-99"})

    assert page.context["state"] == "login"
    assert f'href="/accounts/login/?next=/invite/{invitation.token}/"' in page.content.decode()
    assert posted.status_code == 200
    assert not Membership.objects.filter(workspace=workspace, user=other_agent).exists()
    other_agent.refresh_from_db()
    assert other_agent.check_password(PASSWORD)


def test_someone_logged_in_with_another_address_cannot_accept(agent_client, invitation, workspace):
    page = agent_client.get(_url(invitation))
    agent_client.post(_url(invitation))

    assert page.context["state"] == "wrong_user"
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not User.objects.filter(email="yeni@anadolu.test").exists()


def test_used_invitation_shows_a_clear_message(client, invitation):
    client.post(_url(invitation), {"name": "Can Demir", "password": PASSWORD})

    response = client_for(None).get(_url(invitation))

    assert response.status_code == 410
    assert "Bu davet bağlantısı kullanılmış, geri alınmış ya da süresi dolmuş." in (
        response.content.decode()
    )


def test_expired_invitation_shows_a_clear_message(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    response = client.post(_url(invitation), {"name": "Can Demir", "password": PASSWORD})

    assert response.status_code == 410
    assert "süresi dolmuş" in response.content.decode()
    assert not User.objects.filter(email="yeni@anadolu.test").exists()


def test_unknown_invitation_token_is_404(client, workspace):
    response = client.get("/invite/bilinmeyen-jeton/")

    assert response.status_code == 404
    assert "Davet geçersiz" in response.content.decode()


def test_invitation_to_a_read_only_workspace_cannot_be_accepted(client, invitation, workspace):
    workspace.trial_ends_at = timezone.now() - timedelta(days=1)
    workspace.save()

    response = client.post(_url(invitation), {"name": "Can Demir", "password": PASSWORD})

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "Anadolu Kahve çalışma alanının deneme süresi bitti; değişiklik yapılamaz."
    ]
    assert not User.objects.filter(email="yeni@anadolu.test").exists()
