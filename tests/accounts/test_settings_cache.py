"""The settings version moves with every write pages depend on, however it is made, and pages
kept per process follow it."""

from __future__ import annotations

from datetime import date, time

import pytest

from destek.accounts.models import Membership, Role, User, Workspace
from destek.accounts.settings_cache import forget_all
from destek.sla import services as sla
from destek.sla.models import SlaPolicy
from destek.tickets.access import (
    canned_replies_for,
    workspace_agents,
    workspace_categories,
    workspace_teams,
)
from destek.tickets.models import CannedReply, Category, Team
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def version(workspace: Workspace) -> int:
    return Workspace.objects.values_list("settings_version", flat=True).get(pk=workspace.pk)


def fresh(workspace: Workspace) -> Workspace:
    return Workspace.objects.get(pk=workspace.pk)


@pytest.fixture(autouse=True)
def _empty():
    forget_all()


def test_new_workspaces_start_at_unrelated_versions(workspace, other_workspace):
    assert version(workspace) != version(other_workspace)


@pytest.mark.parametrize(
    "change",
    [
        lambda ws: Category.objects.create(workspace=ws, name="Yeni"),
        lambda ws: Category.objects.filter(workspace=ws).update(is_critical=True),
        lambda ws: Category.objects.filter(workspace=ws).delete(),
        lambda ws: Team.objects.create(workspace=ws, name="Destek"),
        lambda ws: SlaPolicy.objects.filter(workspace=ws).update(first_response_minutes=5),
        lambda ws: sla.save_hours(
            workspace=ws, hours={0: (time(8), time(17))}, public_holidays=False
        ),
        lambda ws: sla.add_closed_day(workspace=ws, day=date(2026, 12, 31), name="Sayım"),
        lambda ws: Membership.objects.filter(workspace=ws, role=Role.ADMIN).update(is_active=False),
        lambda ws: User.objects.filter(memberships__workspace=ws).update(name="Yeni Ad"),
        lambda ws: CannedReply.objects.create(workspace=ws, title="Teşekkür", body="Sağ olun."),
    ],
    ids=[
        "category created",
        "category updated in bulk",
        "categories deleted",
        "team created",
        "policy updated in bulk",
        "opening hours replaced",
        "closed day added",
        "membership updated in bulk",
        "user renamed in bulk",
        "canned reply created",
    ],
)
def test_every_kind_of_write_moves_the_version(workspace, change):
    before = version(workspace)
    change(workspace)
    assert version(workspace) != before


def test_writes_pages_do_not_show_leave_the_version(workspace, admin):
    team = Team.objects.create(workspace=workspace, name="Destek")
    before = version(workspace)
    Team.objects.filter(pk=team.pk).update(last_assigned=admin)  # round-robin's cursor
    User.objects.filter(pk=admin.pk).update(last_login="2026-11-23T10:00:00Z")
    assert version(workspace) == before


def test_a_users_rename_moves_each_of_their_workspaces(workspace, other_workspace):
    user = make_user("ortak@firma.test", "Ortak")
    for ws in (workspace, other_workspace):
        Membership.objects.create(workspace=ws, user=user, role=Role.AGENT)
    before = (version(workspace), version(other_workspace))
    user.name = "Ortak Kişi"
    user.save()
    after = (version(workspace), version(other_workspace))
    assert after[0] != before[0] and after[1] != before[1]


def test_saving_an_older_copy_keeps_the_newer_version(workspace):
    stale = fresh(workspace)
    Category.objects.create(workspace=workspace, name="Yeni")
    moved = version(workspace)
    stale.name = "Yeni Ad"
    stale.save()
    assert version(workspace) == moved
    assert fresh(workspace).name == "Yeni Ad"


def test_kept_lists_follow_a_change_made_elsewhere(workspace, agent):
    loaded = fresh(workspace)
    names = [c.name for c in workspace_categories(loaded)]
    # Another process renames a category: this one's request still holds the old row...
    Category.objects.filter(workspace=workspace, name=names[0]).update(name="Yeniden adlandı")
    assert [c.name for c in workspace_categories(loaded)] == names
    # ...and its next request, which reads the workspace row again, sees the change.
    assert "Yeniden adlandı" in [c.name for c in workspace_categories(fresh(workspace))]
    User.objects.filter(pk=agent.pk).update(name="Ayşe Kaya")
    assert "Ayşe Kaya" in [u.display_name for u in workspace_agents(fresh(workspace))]
    Team.objects.create(workspace=workspace, name="Muhasebe")
    assert [t.name for t in workspace_teams(fresh(workspace))] == ["Muhasebe"]


def test_the_page_calendar_follows_the_opening_hours(workspace):
    assert sla.SlaSetup.for_page(fresh(workspace)).calendar.hours[0] == (time(9), time(18))
    sla.save_hours(workspace=workspace, hours={0: (time(8), time(12))}, public_holidays=True)
    assert sla.SlaSetup.for_page(fresh(workspace)).calendar.hours == {0: (time(8), time(12))}


def test_kept_lists_are_read_once_per_version(workspace, django_assert_num_queries):
    loaded = fresh(workspace)
    first = (workspace_categories(loaded), sla.SlaSetup.for_page(loaded).calendar)
    with django_assert_num_queries(0):
        again = (workspace_categories(loaded), sla.SlaSetup.for_page(loaded).calendar)
    assert again == first


def test_a_caller_changing_its_list_does_not_change_the_next(workspace):
    loaded = fresh(workspace)
    workspace_categories(loaded).clear()
    assert workspace_categories(loaded)


def test_kept_canned_replies_are_the_shared_and_ones_own(workspace, agent, admin):
    CannedReply.objects.create(workspace=workspace, title="Ortak", body="x")
    CannedReply.objects.create(workspace=workspace, title="Ayşe'nin", body="x", owner=agent)
    CannedReply.objects.create(workspace=workspace, title="Yöneticinin", body="x", owner=admin)
    loaded = fresh(workspace)

    mine = {reply.title for reply in canned_replies_for(loaded, agent)}

    assert {"Ortak", "Ayşe'nin"} <= mine
    assert "Yöneticinin" not in mine
    assert [r.pk for r in canned_replies_for(loaded, agent)] == list(
        CannedReply.objects.visible_to(loaded, agent).values_list("pk", flat=True)
    )
