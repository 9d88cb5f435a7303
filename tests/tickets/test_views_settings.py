"""Desk settings (admins): categories and canned replies — add, edit, delete, order."""

from __future__ import annotations

import pytest
from django.urls import reverse

from destek.tickets.models import CannedReply, Category, Priority
from tests.tickets.conftest import shown_messages


def _url(name: str, workspace, *args: object) -> str:
    return reverse(name, args=[workspace.slug, *args])


def _categories(workspace) -> list[tuple[str, str, bool, int]]:
    return list(
        Category.objects.filter(workspace=workspace).values_list(
            "name", "default_priority", "is_critical", "position"
        )
    )


def _canned(workspace) -> list[tuple[str, str, int]]:
    return list(
        CannedReply.objects.filter(workspace=workspace).values_list("title", "body", "position")
    )


@pytest.fixture
def fresh(workspace):
    """The workspace with exactly two categories and two canned replies."""
    Category.objects.filter(workspace=workspace).delete()
    CannedReply.objects.filter(workspace=workspace).delete()
    Category.objects.create(workspace=workspace, name="Kargo", position=0)
    Category.objects.create(
        workspace=workspace,
        name="Ödeme",
        default_priority=Priority.P1,
        is_critical=True,
        position=1,
    )
    CannedReply.objects.create(workspace=workspace, title="Selam", body="Merhaba", position=0)
    CannedReply.objects.create(workspace=workspace, title="Veda", body="Hoşça kalın", position=1)
    return workspace


def test_admin_sees_categories_in_order_with_critical_mark(admin_client, fresh):
    response = admin_client.get(_url("category_list", fresh))
    assert response.status_code == 200
    text = response.content.decode()
    assert text.index("Kargo") < text.index("Ödeme")
    assert "kritik" in text


def test_admin_adds_a_category_at_the_end(admin_client, fresh):
    response = admin_client.post(
        _url("category_list", fresh),
        {"name": "İade", "default_priority": "P2", "is_critical": "on"},
        follow=True,
    )
    assert shown_messages(response) == ["Kategori eklendi: İade"]
    assert _categories(fresh) == [
        ("Kargo", "", False, 0),
        ("Ödeme", "P1", True, 1),
        ("İade", "P2", True, 2),
    ]


def test_duplicate_category_name_is_a_field_error(admin_client, fresh):
    response = admin_client.post(_url("category_list", fresh), {"name": "kargo"})
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["Bu adla bir kategori zaten var."]
    assert len(_categories(fresh)) == 2

    kargo = Category.objects.get(workspace=fresh, name="Kargo")
    response = admin_client.post(_url("category_edit", fresh, kargo.pk), {"name": "Ödeme"})
    assert response.status_code == 400
    assert "name" in response.context["form"].errors


def test_the_same_name_in_another_workspace_is_fine(admin_client, fresh, other_workspace):
    Category.objects.create(workspace=other_workspace, name="İade")
    admin_client.post(_url("category_list", fresh), {"name": "İade"})
    assert Category.objects.filter(workspace=fresh, name="İade").exists()


def test_admin_edits_a_category(admin_client, fresh):
    kargo = Category.objects.get(workspace=fresh, name="Kargo")
    assert admin_client.get(_url("category_edit", fresh, kargo.pk)).status_code == 200
    response = admin_client.post(
        _url("category_edit", fresh, kargo.pk),
        {"name": "Kargo / teslimat", "default_priority": "P3"},
    )
    assert response.status_code == 302
    assert _categories(fresh) == [("Kargo / teslimat", "P3", False, 0), ("Ödeme", "P1", True, 1)]


def test_deleting_a_category_in_use_asks_first_and_leaves_tickets_without_one(
    admin_client, fresh, ticket
):
    odeme = Category.objects.get(workspace=fresh, name="Ödeme")
    ticket.category = odeme
    ticket.save(update_fields=["category"])

    confirm = admin_client.get(_url("category_delete", fresh, odeme.pk))
    assert confirm.status_code == 200
    assert "1 talep var" in confirm.content.decode()
    assert Category.objects.filter(pk=odeme.pk).exists()

    response = admin_client.post(_url("category_delete", fresh, odeme.pk), follow=True)
    assert shown_messages(response) == ["Kategori silindi: Ödeme. 1 talep artık kategorisiz."]
    assert _categories(fresh) == [("Kargo", "", False, 0)]
    ticket.refresh_from_db()
    assert ticket.category is None


def test_admin_reorders_categories(admin_client, fresh):
    odeme = Category.objects.get(workspace=fresh, name="Ödeme")
    admin_client.post(_url("category_move", fresh, odeme.pk), {"direction": "up"})
    assert _categories(fresh) == [("Ödeme", "P1", True, 0), ("Kargo", "", False, 1)]
    # Already first: nothing moves.
    admin_client.post(_url("category_move", fresh, odeme.pk), {"direction": "up"})
    assert _categories(fresh)[0][0] == "Ödeme"
    admin_client.post(_url("category_move", fresh, odeme.pk), {"direction": "down"})
    assert _categories(fresh) == [("Kargo", "", False, 0), ("Ödeme", "P1", True, 1)]
    bad = admin_client.post(_url("category_move", fresh, odeme.pk), {"direction": "sideways"})
    assert bad.status_code == 400


def test_admin_adds_edits_and_deletes_canned_replies(admin_client, admin, fresh):
    page = admin_client.get(_url("canned_list", fresh))
    assert "{{ customer.name }}" in page.content.decode()

    admin_client.post(
        _url("canned_list", fresh),
        {"title": "Kargo", "body": "Merhaba {{ customer.name }}, {{ ticket.code }} kargoda."},
    )
    assert _canned(fresh) == [
        ("Selam", "Merhaba", 0),
        ("Veda", "Hoşça kalın", 1),
        ("Kargo", "Merhaba {{ customer.name }}, {{ ticket.code }} kargoda.", 2),
    ]
    assert CannedReply.objects.get(workspace=fresh, title="Kargo").created_by == admin

    selam = CannedReply.objects.get(workspace=fresh, title="Selam")
    assert admin_client.get(_url("canned_edit", fresh, selam.pk)).status_code == 200
    admin_client.post(
        _url("canned_edit", fresh, selam.pk), {"title": "Karşılama", "body": "İyi günler"}
    )
    veda = CannedReply.objects.get(workspace=fresh, title="Veda")
    response = admin_client.post(_url("canned_delete", fresh, veda.pk), follow=True)
    assert shown_messages(response)[-1] == "Hazır yanıt silindi: Veda"
    assert _canned(fresh) == [
        ("Karşılama", "İyi günler", 0),
        ("Kargo", "Merhaba {{ customer.name }}, {{ ticket.code }} kargoda.", 2),
    ]

    response = admin_client.post(_url("canned_list", fresh), {"title": "", "body": ""})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"title", "body"}


def test_admin_reorders_canned_replies(admin_client, fresh):
    veda = CannedReply.objects.get(workspace=fresh, title="Veda")
    admin_client.post(_url("canned_move", fresh, veda.pk), {"direction": "up"})
    assert _canned(fresh) == [("Veda", "Hoşça kalın", 0), ("Selam", "Merhaba", 1)]
    admin_client.post(_url("canned_move", fresh, veda.pk), {"direction": "down"})
    assert _canned(fresh) == [("Selam", "Merhaba", 0), ("Veda", "Hoşça kalın", 1)]


def test_delete_and_move_are_post_only(admin_client, fresh):
    canned = CannedReply.objects.filter(workspace=fresh).first()
    category = Category.objects.filter(workspace=fresh).first()
    assert admin_client.get(_url("canned_delete", fresh, canned.pk)).status_code == 405
    assert admin_client.get(_url("canned_move", fresh, canned.pk)).status_code == 405
    assert admin_client.get(_url("category_move", fresh, category.pk)).status_code == 405


@pytest.mark.parametrize("client_fixture", ["agent_client", "owner_client"])
def test_agents_and_the_owner_get_403(request, client_fixture, fresh):
    client = request.getfixturevalue(client_fixture)
    category = Category.objects.filter(workspace=fresh).first()
    canned = CannedReply.objects.filter(workspace=fresh).first()
    assert client.get(_url("category_list", fresh)).status_code == 403
    assert client.get(_url("canned_list", fresh)).status_code == 403
    assert client.post(_url("category_list", fresh), {"name": "Yeni"}).status_code == 403
    assert client.post(_url("category_delete", fresh, category.pk)).status_code == 403
    assert client.post(_url("canned_delete", fresh, canned.pk)).status_code == 403
    assert len(_categories(fresh)) == 2 and len(_canned(fresh)) == 2


def test_another_workspaces_agent_gets_404(other_agent_client, fresh):
    category = Category.objects.filter(workspace=fresh).first()
    canned = CannedReply.objects.filter(workspace=fresh).first()
    assert other_agent_client.get(_url("category_list", fresh)).status_code == 404
    assert other_agent_client.post(_url("category_delete", fresh, category.pk)).status_code == 404
    assert other_agent_client.post(_url("canned_delete", fresh, canned.pk)).status_code == 404
    assert len(_categories(fresh)) == 2 and len(_canned(fresh)) == 2


def test_an_admin_cannot_reach_another_workspaces_category(admin_client, fresh, other_workspace):
    foreign = Category.objects.create(workspace=other_workspace, name="Yabancı")
    assert admin_client.get(_url("category_edit", fresh, foreign.pk)).status_code == 404
    assert admin_client.post(_url("category_delete", fresh, foreign.pk)).status_code == 404
    assert Category.objects.filter(pk=foreign.pk).exists()


def test_sidebar_links_for_admins_only(admin_client, agent_client, fresh):
    home = reverse("dashboard", args=[fresh.slug])
    assert _url("category_list", fresh) in admin_client.get(home).content.decode()
    assert _url("canned_list", fresh) not in agent_client.get(home).content.decode()


# --- auto-close and pending reminders -------------------------------------------------------------


def test_admin_sets_auto_close_and_pending_reminder_days(admin_client, workspace):
    url = f"/w/{workspace.slug}/settings/lifecycle/"
    assert admin_client.get(url).status_code == 200
    assert (workspace.auto_close_days, workspace.pending_reminder_days) == (7, None)

    admin_client.post(url, {"auto_close_days": "10", "pending_reminder_days": "3"})
    workspace.refresh_from_db()
    assert (workspace.auto_close_days, workspace.pending_reminder_days) == (10, 3)

    admin_client.post(url, {"auto_close_days": "10", "pending_reminder_days": ""})
    workspace.refresh_from_db()
    assert workspace.pending_reminder_days is None

    response = admin_client.post(url, {"auto_close_days": "0", "pending_reminder_days": "400"})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "auto_close_days": ["1 ile 365 gün arasında bir değer girin."],
        "pending_reminder_days": ["1 ile 365 gün arasında bir değer girin."],
    }


def test_lifecycle_settings_are_for_admins(agent_client, owner_client, workspace):
    for client in (agent_client, owner_client):
        assert client.get(f"/w/{workspace.slug}/settings/lifecycle/").status_code == 403
