"""The SLA on screen: the settings page for admins, the ticket side panel, the queue's time-left
column and its "most urgent first" sort."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from destek.accounts.settings_cache import forget_all
from destek.sla import display
from destek.sla.models import BusinessCalendar, ClosedDay, OpeningHours, SlaPolicy
from destek.tickets import actions
from tests.sla.conftest import MONDAY_10, fresh, ist


@pytest.fixture
def settings_url(workspace) -> str:
    return reverse("sla_settings", args=[workspace.slug])


@pytest.fixture
def now(monkeypatch):
    """Pin the clock the pages count time left against: Monday 23 November 2026 10:30."""
    moment = ist(2026, 11, 23, 10, 30)
    monkeypatch.setattr(display, "current_time", lambda: moment)
    return moment


def text(response) -> str:
    return response.content.decode()


def policy_form(**changes: object) -> dict[str, object]:
    data = {
        "P0_first": 60,
        "P0_resolution": 480,
        "P1_first": 240,
        "P1_resolution": 540,
        "P1_business": "on",
        "P2_first": 540,
        "P2_resolution": 1620,
        "P2_business": "on",
        "P3_first": 1080,
        "P3_resolution": "",
        "P3_business": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def hours_form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {"public_holidays": "on"}
    for day in range(5):
        data.update({f"open_{day}": "on", f"opens_{day}": "09:00", f"closes_{day}": "18:00"})
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- settings page ------------------------------------------------------------------------------


def test_admin_sees_targets_hours_and_holidays(admin_client, settings_url):
    response = admin_client.get(settings_url)

    assert response.status_code == 200
    page = text(response)
    assert 'name="P2_first" value="540"' in page
    assert 'name="P3_resolution"' in page and 'name="P3_resolution" value' not in page
    assert 'name="opens_0" value="09:00"' in page
    assert "Cumhuriyet Bayramı" in page and "Ramazan Bayramı" in page
    assert "13:00'e kadar açık" in page


def test_agent_is_refused_the_settings(agent_client, settings_url):
    assert agent_client.get(settings_url).status_code == 403


def test_sidebar_links_the_settings_for_admins_only(admin_client, agent_client, workspace):
    queue = reverse("ticket_queue", args=[workspace.slug])
    link = f'href="/w/{workspace.slug}/sla/"'
    assert link in text(admin_client.get(queue))
    assert link not in text(agent_client.get(queue))


def test_saving_targets_recomputes_open_tickets(admin_client, workspace, ticket_at):
    ticket = ticket_at(MONDAY_10, priority="P3")
    url = reverse("sla_policies", args=[workspace.slug])

    response = admin_client.post(url, policy_form(P3_first=120, P3_business=None))

    assert response.status_code == 302
    p3 = SlaPolicy.objects.get(workspace=workspace, priority="P3")
    assert (p3.first_response_minutes, p3.resolution_minutes, p3.business_hours) == (
        120,
        None,
        False,
    )
    assert fresh(ticket).first_response_due_at == ist(2026, 11, 23, 12, 0)


def test_invalid_target_is_refused_and_nothing_changes(admin_client, workspace):
    url = reverse("sla_policies", args=[workspace.slug])

    response = admin_client.post(url, policy_form(P0_first=0))

    assert response.status_code == 400
    assert "Bu değerin 1 değerinden büyük veya eşit olduğuna emin olun." in text(response)
    assert SlaPolicy.objects.get(workspace=workspace, priority="P0").first_response_minutes == 60


def test_saving_hours_opens_saturday_morning(admin_client, workspace):
    url = reverse("sla_hours", args=[workspace.slug])

    response = admin_client.post(
        url, hours_form(open_5="on", opens_5="10:00", closes_5="14:00", public_holidays=None)
    )

    assert response.status_code == 302
    rows = OpeningHours.objects.filter(workspace=workspace)
    assert [(r.weekday, r.opens, r.closes) for r in rows][-1] == (5, time(10), time(14))
    assert BusinessCalendar.objects.get(workspace=workspace).public_holidays is False


def test_closing_before_opening_is_refused(admin_client, workspace):
    url = reverse("sla_hours", args=[workspace.slug])

    response = admin_client.post(url, hours_form(closes_0="08:00"))

    assert response.status_code == 400
    assert "Pazartesi: kapanış açılıştan sonra olmalı." in text(response)
    assert OpeningHours.objects.get(workspace=workspace, weekday=0).closes == time(18)


def test_a_week_without_open_days_is_refused(admin_client, workspace):
    url = reverse("sla_hours", args=[workspace.slug])
    closed = {f"open_{day}": None for day in range(5)}

    response = admin_client.post(url, hours_form(**closed))

    assert response.status_code == 400
    assert "En az bir gün açık olmalı." in text(response)


def test_closed_day_is_added_and_removed(admin_client, workspace):
    add = reverse("sla_closed_day_add", args=[workspace.slug])
    day = date.today() + timedelta(days=10)

    assert admin_client.post(add, {"date": day.isoformat(), "name": "Sayım"}).status_code == 302
    closed = ClosedDay.objects.get(workspace=workspace)
    assert (closed.date, closed.name) == (day, "Sayım")
    assert "Sayım" in text(admin_client.get(reverse("sla_settings", args=[workspace.slug])))

    remove = reverse("sla_closed_day_remove", args=[workspace.slug, closed.pk])
    assert admin_client.post(remove).status_code == 302
    assert not ClosedDay.objects.filter(workspace=workspace).exists()


def test_another_workspaces_closed_day_is_not_found(admin_client, workspace, other_workspace):
    theirs = ClosedDay.objects.create(workspace=other_workspace, date=date(2026, 12, 31))
    url = reverse("sla_closed_day_remove", args=[workspace.slug, theirs.pk])

    assert admin_client.post(url).status_code == 404
    assert ClosedDay.objects.filter(pk=theirs.pk).exists()


# --- ticket page -------------------------------------------------------------------------------


def detail(client, ticket) -> str:
    return text(client.get(reverse("ticket_detail", args=[ticket.workspace.slug, ticket.number])))


def test_panel_shows_due_times_and_time_left(agent_client, ticket_at, now):
    ticket = ticket_at(MONDAY_10, priority="P0")  # due 11:00 and 18:00, around the clock

    page = detail(agent_client, ticket)

    assert '<dd class="sla sla-ok">' in page
    assert '23 Kas 11:00</time><br><span class="sla-left">30 dk kaldı</span>' in page
    assert '23 Kas 18:00</time><br><span class="sla-left">7 sa 30 dk kaldı</span>' in page
    assert "Kalan süre çalışma saatleriyle sayılır." not in page


def test_panel_marks_near_breach_and_breach(agent_client, ticket_at, now):
    near = ticket_at(ist(2026, 11, 23, 9, 40), priority="P0")  # 80 % at 10:28, due 10:40
    late = ticket_at(ist(2026, 11, 23, 9, 15), priority="P0")  # due 10:15

    assert '<dd class="sla sla-near">' in detail(agent_client, near)
    assert "10 dk kaldı" in detail(agent_client, near)
    late_page = detail(agent_client, late)
    assert '<dd class="sla sla-breached">' in late_page
    assert '23 Kas 10:15</time><br><span class="sla-left">15 dk gecikti</span>' in late_page


def test_panel_counts_business_hours_for_business_policies(agent_client, ticket_at, now):
    ticket = ticket_at(ist(2026, 11, 20, 17, 0), priority="P1")  # Friday 17:00, 4 business hours

    page = detail(agent_client, ticket)

    # Due Monday 12:00; at Monday 10:30 one and a half working hours are left.
    assert '23 Kas 12:00</time><br><span class="sla-left">1 sa 30 dk kaldı</span>' in page
    assert "Kalan süre çalışma saatleriyle sayılır." in page


def test_panel_shows_pause_and_met_first_response(agent_client, agent, ticket_at, now):
    ticket = ticket_at(MONDAY_10, priority="P1")
    actions.reply(ticket=ticket, actor=agent, text="Bakıyoruz.", now=ist(2026, 11, 23, 10, 10))
    actions.change_status(
        ticket=ticket, actor=agent, status="pending", now=ist(2026, 11, 23, 10, 20)
    )

    page = detail(agent_client, ticket)

    assert '<dd class="sla sla-met">' in page and "karşılandı · 23 Kas 10:10" in page
    assert '<dd class="sla sla-paused">' in page and "duraklatıldı (beklemede)" in page


# --- queue -------------------------------------------------------------------------------------


def queue(client, workspace, **params) -> str:
    return text(client.get(reverse("ticket_queue", args=[workspace.slug]), params))


def test_queue_row_shows_compact_time_left(agent_client, workspace, ticket_at, now):
    ticket_at(ist(2026, 11, 23, 9, 15), priority="P0")

    page = queue(agent_client, workspace)

    assert '<span class="sla sla-breached" title="İlk yanıt · 23 Kas 10:15">−15 dk</span>' in page


def test_most_urgent_first_sorts_by_next_due_time_paused_last(
    agent_client, agent, workspace, ticket_at, now
):
    p2 = ticket_at(MONDAY_10, priority="P2")  # due Tuesday 10:00
    p0 = ticket_at(MONDAY_10, priority="P0")  # due 11:00
    paused = ticket_at(ist(2026, 11, 23, 9, 0), priority="P0")
    actions.change_status(ticket=paused, actor=agent, status="pending", now=ist(2026, 11, 23, 9, 1))
    replied = ticket_at(ist(2026, 11, 23, 9, 0), priority="P1")  # resolution due 18:00
    actions.reply(ticket=replied, actor=agent, text="Tamam.", now=ist(2026, 11, 23, 9, 5))

    response = agent_client.get(reverse("ticket_queue", args=[workspace.slug]), {"sort": "urgent"})

    order = [t.number for t in response.context["page_obj"]]
    assert order == [p0.number, replied.number, p2.number, paused.number]


def test_queue_query_count_stays_constant_with_mixed_policies(
    agent_client, workspace, ticket_at, now
):
    agent_client.get(reverse("ticket_queue", args=[workspace.slug]))  # session learns workspace

    def queries_for(count: int) -> int:
        for index in range(count):
            ticket_at(MONDAY_10, priority="P0" if index % 2 else "P2")
        forget_all()  # both counts include the settings, read once per process
        with CaptureQueriesContext(connection) as captured:
            agent_client.get(reverse("ticket_queue", args=[workspace.slug]))
        return len(captured)

    assert queries_for(2) == queries_for(20)
