from datetime import UTC, datetime

import pytest

from destek.accounts import audit
from destek.accounts.models import AuditLog

pytestmark = pytest.mark.django_db

AUDIT = "/w/anadolu/audit/"


def test_admin_sees_this_workspaces_audit_log(admin_client, workspace, other_workspace):
    response = admin_client.get(AUDIT)

    assert response.status_code == 200
    assert [
        (entry.action, entry.target) for entry, _label, _details in response.context["rows"]
    ] == [
        ("login", "yonetici@anadolu.test"),  # the test client's own login
        ("workspace.created", "anadolu"),
    ]
    assert "baska" not in response.content.decode()


def test_owner_sees_administrative_actions_only(owner_client, workspace, admin):
    audit.record("member.removed", workspace=workspace, actor=admin, target="eski@anadolu.test")
    audit.record("ticket.evidence_exported", workspace=workspace, actor=admin, target="DST-1")
    audit.record("mail.forced_ticket", workspace=workspace, actor=admin, target="DST-2")

    response = owner_client.get(AUDIT)

    actions = [entry.action for entry, _label, _details in response.context["rows"]]
    assert actions == ["member.removed", "login", "workspace.created"]
    assert "DST-" not in response.content.decode()


def test_agent_gets_403_on_the_audit_log(agent_client):
    assert agent_client.get(AUDIT).status_code == 403


def test_another_workspaces_agent_gets_404_on_the_audit_log(other_agent_client, workspace):
    assert other_agent_client.get(AUDIT).status_code == 404


def test_audit_log_filters_by_action(admin_client, workspace, admin):
    audit.record(
        "member.role_changed",
        workspace=workspace,
        actor=admin,
        target="a@x.test",
        old="agent",
        new="admin",
    )

    response = admin_client.get(AUDIT, {"action": "member.role_changed"})

    rows = [(entry.target, label, details) for entry, label, details in response.context["rows"]]
    assert rows == [("a@x.test", "Rol değiştirildi", "Temsilci → Yönetici")]
    assert response.context["actions"] == [
        ("login", "Giriş"),
        ("member.role_changed", "Rol değiştirildi"),
        ("workspace.created", "Çalışma alanı oluşturuldu"),
    ]


def test_audit_log_is_paginated_and_keeps_the_filter(admin_client, workspace):
    AuditLog.objects.bulk_create(
        AuditLog(workspace=workspace, action="login.failed", target="x@anadolu.test")
        for _ in range(51)
    )

    first = admin_client.get(AUDIT, {"action": "login.failed"})
    second = admin_client.get(AUDIT, {"action": "login.failed", "page": 2})

    assert len(first.context["rows"]) == 50
    assert 'href="?action=login.failed&amp;page=2"' in first.content.decode()
    assert len(second.context["rows"]) == 1


def test_audit_times_are_shown_in_the_workspace_time_zone(admin_client, workspace):
    AuditLog.objects.create(
        workspace=workspace,
        action="member.added",
        target="saat@anadolu.test",
        created_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
    )

    response = admin_client.get(AUDIT, {"action": "member.added"})

    assert "02 Mar 2026 12:30" in response.content.decode()  # Europe/Istanbul is UTC+3
