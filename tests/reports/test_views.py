"""Dashboard, report pages and CSV files: numbers for whoever may see stats, contents for
nobody, and each person's own numbers for agents."""

from __future__ import annotations

import pytest
from django.urls import reverse

from destek.reports.models import DigestOptOut
from destek.reports.pages import REPORTS

SECRETS = (
    "Gizli-konu-5a1",
    "gizli-govde-5a1",
    "gizli-yorum-5a1",
    "Zeynep Kaya",
    "zeynep.kaya@musteri.test",
    "DST-",
)
WEEK = {"period": "custom", "first": "2026-10-26", "last": "2026-11-01"}


def _urls(slug: str) -> list[str]:
    urls = [reverse("dashboard", args=[slug])]
    urls += [reverse(f"report_{name}", args=[slug]) for name in REPORTS]
    return urls


def test_owner_sees_every_page_with_numbers_and_no_ticket_content(owner_client, workspace, history):
    for url in _urls(workspace.slug):
        response = owner_client.get(url, WEEK)

        assert response.status_code == 200, url
        text = response.content.decode()
        assert "<svg" in text or "agents" in url, url
        for secret in SECRETS:
            assert secret not in text, (url, secret)


def test_dashboard_numbers_for_the_chosen_week(owner_client, workspace, history):
    response = owner_client.get(reverse("dashboard", args=[workspace.slug]), WEEK)

    desk = response.context["desk"]
    assert (desk.volume, desk.volume_before, desk.volume_change) == (5, 1, 400.0)
    assert desk.first_response.business_median == 3600
    assert desk.sla.resolution.percent == 75.0


def test_agent_sees_only_their_own_numbers(agent_client, workspace, history):
    response = agent_client.get(reverse("dashboard", args=[workspace.slug]), WEEK)

    desk = response.context["desk"]
    assert response.context["scope"].filters.agent == history.agent.pk
    assert desk.volume == 3  # T1, T2 and T6 are hers
    assert [row[0] for row in desk.agents.rows] == ["Ayşe Yılmaz"]
    assert "agent" not in response.context["form"].fields


def test_agent_cannot_widen_to_another_agent(agent_client, workspace, history):
    params = WEEK | {"agent": history.admin.pk}

    response = agent_client.get(reverse("report_agents", args=[workspace.slug]), params)

    assert [row[0] for row in response.context["page"].tables[0].rows] == ["Ayşe Yılmaz"]


def test_report_csv_is_the_table_with_raw_numbers(owner_client, workspace, history):
    url = reverse("report_times_csv", args=[workspace.slug])

    response = owner_client.get(url, WEEK | {"table": "times"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="times-times-2026-10-26-2026-11-01.csv"'
    )
    assert response.content.decode().splitlines() == [
        "Ölçü,Saat,Talepler,Ortalama,Ortanca,Önceki ortalama,Önceki ortanca",
        "İlk yanıt,Takvim,4,742.5,90.0,20.0,20.0",
        "İlk yanıt,İş saatleri,4,60.0,60.0,20.0,20.0",
        "Çözüm,Takvim,3,1860.0,1560.0,1440.0,1440.0",
        "Çözüm,İş saatleri,3,340.0,420.0,540.0,540.0",
    ]


def test_dashboard_csv_of_the_agents_table(owner_client, workspace, history):
    url = reverse("dashboard_csv", args=[workspace.slug])

    response = owner_client.get(url, WEEK | {"table": "agents"})

    assert response.content.decode().splitlines() == [
        "Temsilci,Çözülen,Gönderilen yanıt,İlk yanıt ortancası,İlk yanıt ortancası (iş saatleri)",
        "Ayşe Yılmaz,2,3,90.0,90.0",
        "yonetici,1,2,30.0,30.0",
    ]


def test_csv_without_a_table_name_is_the_first_table(owner_client, workspace, history):
    url = reverse("report_volume_csv", args=[workspace.slug])

    response = owner_client.get(url, WEEK)

    assert response.content.decode().splitlines() == [
        "Bu dönem,Önceki dönem,Değişim",
        "5,1,400.0",
    ]


def test_csv_of_an_unknown_table_is_404(owner_client, workspace, history):
    url = reverse("report_volume_csv", args=[workspace.slug])

    assert owner_client.get(url, {"table": "nope"}).status_code == 404


@pytest.mark.parametrize("name", ["dashboard", "report_volume", "report_volume_csv"])
def test_other_workspace_gets_404(other_agent_client, workspace, name):
    assert other_agent_client.get(reverse(name, args=[workspace.slug])).status_code == 404


def test_workspace_home_sends_owner_and_admin_to_dashboard_and_agent_to_queue(
    owner_client, admin_client, agent_client, workspace
):
    home = reverse("workspace_home", args=[workspace.slug])
    dashboard = reverse("dashboard", args=[workspace.slug])

    assert owner_client.get(home)["Location"] == dashboard
    assert admin_client.get(home)["Location"] == dashboard
    assert agent_client.get(home)["Location"] == reverse("ticket_queue", args=[workspace.slug])


def test_owner_turns_the_weekly_summary_off_and_on(owner_client, owner, workspace):
    url = reverse("digest_choice", args=[workspace.slug])

    owner_client.post(url, {"wanted": "0"})
    assert DigestOptOut.objects.filter(workspace=workspace, user=owner).count() == 1
    owner_client.post(url, {"wanted": "1"})
    assert DigestOptOut.objects.filter(workspace=workspace, user=owner).count() == 0


def test_agent_has_no_weekly_summary_switch(agent_client, workspace):
    url = reverse("digest_choice", args=[workspace.slug])

    assert agent_client.post(url, {"wanted": "0"}).status_code == 403
