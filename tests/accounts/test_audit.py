import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from destek.accounts import audit
from destek.accounts.models import AuditLog, Membership, Role, User

pytestmark = pytest.mark.django_db


def test_record_for_user_writes_one_entry_per_workspace(workspace, other_workspace, admin):
    Membership.objects.create(workspace=other_workspace, user=admin, role=Role.AGENT)

    entries = audit.record_for_user("password.reset", user=admin, actor=admin)

    assert sorted(e.workspace.slug for e in entries) == ["anadolu", "baska"]
    assert {e.target for e in entries} == {"yonetici@anadolu.test"}


def test_record_for_a_user_without_workspace_is_kept_outside_any(db):
    user = User.objects.create_user("yalniz@x.test", "parola-uzun-123")

    (entry,) = audit.record_for_user("password.reset", user=user)

    assert (entry.workspace, entry.target) == (None, "yalniz@x.test")


def test_failed_authentication_without_a_request_is_logged(agent):
    assert authenticate(username="ayse@anadolu.test", password="yanlış") is None

    entry = AuditLog.objects.get(action="login.failed")
    assert (entry.target, entry.ip_address) == ("ayse@anadolu.test", None)


def test_record_takes_the_actor_and_address_from_the_request(workspace, admin):
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")
    request.user = admin

    entry = audit.record("member.added", workspace=workspace, request=request)

    assert (entry.actor, entry.ip_address) == (admin, "203.0.113.7")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"old": "agent", "new": "admin"}, "Temsilci → Yönetici"),
        ({"role": "agent"}, "Temsilci"),
        ({}, ""),
    ],
)
def test_describe_shows_roles_by_their_names(data, expected):
    assert audit.describe(AuditLog(action="x", data=data)) == expected


def test_unknown_actions_are_shown_by_their_code():
    assert audit.action_label("kvkk.export") == "kvkk.export"
    assert audit.action_label("login") == "Giriş"
