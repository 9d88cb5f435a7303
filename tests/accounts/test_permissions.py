from datetime import timedelta

import pytest
from django.utils import timezone

from destek.accounts.models import Invitation, Membership, Role
from destek.accounts.permissions import Capability, can_manage_member, has_capability

pytestmark = pytest.mark.django_db


@pytest.fixture
def trial_over(workspace):
    workspace.trial_ends_at = timezone.now() - timedelta(days=1)
    workspace.save()
    return workspace


def _role(workspace, role):
    return Membership(workspace=workspace, role=role)


def test_read_only_workspace_refuses_a_post(admin_client, trial_over):
    response = admin_client.post(
        "/w/anadolu/members/invite/", {"email": "yeni@anadolu.test", "role": "agent"}
    )

    assert response.status_code == 403
    assert response.templates[0].name == "read_only.html"
    assert "Anadolu Kahve çalışma alanının deneme süresi bitti" in response.content.decode()
    assert not Invitation.objects.exists()


def test_read_only_workspace_can_still_be_read_with_a_banner(admin_client, trial_over):
    response = admin_client.get("/w/anadolu/members/")

    assert response.status_code == 200
    assert "Etkinleştirilene kadar yalnızca okunabilir." in response.content.decode()


def test_activated_workspace_accepts_changes_after_the_trial(admin_client, trial_over):
    trial_over.activated_at = timezone.now()
    trial_over.save()

    response = admin_client.post(
        "/w/anadolu/members/invite/", {"email": "yeni@anadolu.test", "role": "agent"}
    )

    assert response.status_code == 302
    assert Invitation.objects.count() == 1


def test_workspace_in_trial_shows_the_days_left(admin_client, workspace):
    response = admin_client.get("/w/anadolu/members/")

    assert "Deneme süresinin bitmesine 7 gün kaldı." in response.content.decode()


def test_workspace_page_remembers_the_workspace_in_the_session(admin_client, workspace):
    admin_client.get("/w/anadolu/members/")

    assert admin_client.session["last_workspace"] == "anadolu"


@pytest.mark.parametrize(
    ("actor", "target", "allowed"),
    [
        (Role.OWNER, Role.ADMIN, True),
        (Role.OWNER, Role.AGENT, True),
        (Role.OWNER, Role.OWNER, True),
        (Role.ADMIN, Role.ADMIN, True),
        (Role.ADMIN, Role.AGENT, True),
        (Role.ADMIN, Role.OWNER, False),
        (Role.AGENT, Role.AGENT, False),
    ],
)
def test_can_manage_member_keeps_the_owner_out_of_admins_reach(workspace, actor, target, allowed):
    assert can_manage_member(_role(workspace, actor), target) is allowed


def test_only_admins_read_system_mail(workspace):
    capability = Capability.VIEW_SYSTEM_MAIL
    assert [has_capability(_role(workspace, r), capability) for r in Role.values] == [
        False,
        True,
        False,
    ]


def test_owner_and_admins_read_the_audit_log(workspace):
    # The owner's view holds administrative actions only (accounts/audit_views.py).
    capability = Capability.VIEW_AUDIT
    assert [has_capability(_role(workspace, r), capability) for r in Role.values] == [
        True,
        True,
        False,
    ]


def test_only_admins_handle_kvkk_requests(workspace):
    capability = Capability.MANAGE_PRIVACY
    assert [has_capability(_role(workspace, r), capability) for r in Role.values] == [
        False,
        True,
        False,
    ]


def test_language_switcher_choice_wins_over_the_workspace_language(agent_client, workspace):
    from django.conf import settings

    agent_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = agent_client.get(f"/w/{workspace.slug}/dashboard/")
    assert response.status_code == 200
    assert response.wsgi_request.LANGUAGE_CODE == "en"


def test_workspace_language_applies_without_a_choice(agent_client, workspace):
    response = agent_client.get(f"/w/{workspace.slug}/dashboard/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.wsgi_request.LANGUAGE_CODE == "tr"
