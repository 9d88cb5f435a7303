"""destek/accounts/audit_views.py: filters and the CSV export of the audit log."""

import csv
import io
from datetime import UTC, datetime

import pytest

from destek.accounts import audit
from destek.accounts.models import AuditLog

pytestmark = pytest.mark.django_db
AUDIT = "/w/anadolu/audit/"


@pytest.fixture
def entries(workspace, admin, agent):
    def at(day):
        return datetime(2026, 11, day, 10, 0, tzinfo=UTC)

    made = [
        audit.record("member.role_changed", workspace=workspace, actor=admin, target="a@x.test"),
        audit.record("login.failed", workspace=workspace, target="ayse@anadolu.test"),
        audit.record("2fa.enabled", workspace=workspace, actor=agent, target="ayse@anadolu.test"),
    ]
    for entry, day in zip(made, (3, 10, 20), strict=True):
        AuditLog.objects.filter(pk=entry.pk).update(created_at=at(day))
    return made


def _targets(response):
    return [(entry.action, entry.target) for entry, _l, _d in response.context["rows"]]


def test_filter_by_actor(admin_client, entries, agent):
    response = admin_client.get(AUDIT, {"actor": agent.pk})

    assert _targets(response) == [("2fa.enabled", "ayse@anadolu.test")]


def test_filter_by_dates_in_the_workspace_time_zone(admin_client, entries):
    response = admin_client.get(AUDIT, {"since": "2026-11-05", "until": "2026-11-15"})

    assert _targets(response) == [("login.failed", "ayse@anadolu.test")]


def test_filter_by_target_text(admin_client, entries):
    response = admin_client.get(AUDIT, {"q": "A@X"})

    assert _targets(response) == [("member.role_changed", "a@x.test")]


def test_csv_export_follows_the_filters_and_is_audited(admin_client, entries, admin):
    response = admin_client.get("/w/anadolu/audit/export.csv", {"q": "ayse"})

    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert response["Content-Disposition"] == 'attachment; filename="denetim-kaydi.csv"'
    assert rows[0] == ["time", "actor", "action", "label", "target", "details", "ip"]
    assert [(r[2], r[4]) for r in rows[1:]] == [
        ("2fa.enabled", "ayse@anadolu.test"),
        ("login.failed", "ayse@anadolu.test"),
    ]
    entry = AuditLog.objects.get(action="audit.exported")
    assert (entry.actor, entry.data) == (admin, {"filters": "q=ayse"})


def test_the_page_links_the_export_with_the_same_filters(admin_client, entries):
    page = admin_client.get(AUDIT, {"action": "login.failed"}).content.decode()

    assert 'href="/w/anadolu/audit/export.csv?action=login.failed"' in page


def test_agents_cannot_export(agent_client, entries):
    assert agent_client.get("/w/anadolu/audit/export.csv").status_code == 403
