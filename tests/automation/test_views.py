"""The rule settings pages: list, builder, validation messages, toggle, order, delete."""

from __future__ import annotations

import pytest
from django.urls import reverse

from destek.automation.models import Rule
from destek.tickets.models import Category

SEEDED = ["Ödeme sorunu acil", "Site açılmıyor acil", "VIP müşteri"]


def _url(name: str, workspace, *args: object) -> str:
    return reverse(name, args=[workspace.slug, *args])


def _names(workspace) -> list[str]:
    return list(Rule.objects.filter(workspace=workspace).values_list("name", flat=True))


def _post_rule(client, workspace, **overrides):
    data = {
        "name": "Ödeme acil",
        "trigger": "ticket_created",
        "match": "all",
        "is_active": "on",
        "condition_kind": ["subject_or_body"],
        "condition_value": ["ödeme alamıyorum, kart çekilmiyor"],
        "action_kind": ["set_priority", "add_tags"],
        "action_value": ["P0", "acil, ödeme"],
    }
    data.update(overrides)
    return client.post(_url("rule_add", workspace), data)


def test_list_shows_the_disabled_examples_in_order(admin_client, workspace):
    response = admin_client.get(_url("rule_list", workspace))
    page = response.content.decode()
    assert response.status_code == 200
    assert [page.index(name) for name in SEEDED] == sorted(page.index(name) for name in SEEDED)
    assert page.count(">Kapalı<") == 3
    assert "Konu veya ileti şunlardan birini içerir: ödeme alamıyorum, ödeme yapılamıyor" in page
    assert "Kategoriyi ayarla: Ödeme / Checkout" in page


@pytest.mark.parametrize("client_name", ["agent_client", "owner_client"])
def test_only_desk_managers_see_rules(request, workspace, client_name):
    client = request.getfixturevalue(client_name)
    assert client.get(_url("rule_list", workspace)).status_code == 403


def test_another_workspaces_rule_is_not_found(admin_client, other_workspace):
    rule = Rule.objects.filter(workspace=other_workspace).first()
    url = reverse("rule_edit", args=["anadolu", rule.pk])
    assert admin_client.get(url).status_code == 404


def test_builder_saves_a_rule_with_its_rows(admin_client, workspace):
    response = _post_rule(admin_client, workspace)
    assert response.status_code == 302
    rule = Rule.objects.get(workspace=workspace, name="Ödeme acil")
    assert (rule.is_active, rule.position, rule.trigger, rule.match) == (
        True,
        3,
        "ticket_created",
        "all",
    )
    assert rule.conditions == [
        {"kind": "subject_or_body", "value": ["ödeme alamıyorum", "kart çekilmiyor"]}
    ]
    assert rule.actions == [
        {"kind": "set_priority", "value": "P0"},
        {"kind": "add_tags", "value": ["acil", "ödeme"]},
    ]


def test_empty_rows_are_ignored(admin_client, workspace):
    _post_rule(
        admin_client,
        workspace,
        condition_kind=["", "priority"],
        condition_value=["", "P3"],
    )
    rule = Rule.objects.get(workspace=workspace, name="Ödeme acil")
    assert rule.conditions == [{"kind": "priority", "value": "P3"}]


def test_unknown_category_is_refused_with_its_row(admin_client, workspace, other_workspace):
    foreign = Category.objects.filter(workspace=other_workspace).first()
    response = _post_rule(
        admin_client,
        workspace,
        action_kind=["set_priority", "set_category"],
        action_value=["P0", str(foreign.pk)],
    )
    assert response.status_code == 400
    assert "Eylem 2 (Kategoriyi ayarla): Bilinmeyen kategori." in response.content.decode()
    assert "Ödeme acil" not in _names(workspace)


@pytest.mark.parametrize(
    ("condition", "value", "message"),
    [
        ("sender", "not an address", "Geçerli bir e-posta adresi ya da alan adı yazın."),
        ("subject", " , ;", "En az bir sözcük yazın."),
        ("priority", "P9", "Geçersiz öncelik."),
        ("hacked", "x", "Koşul 1: bilinmeyen tür."),
    ],
)
def test_bad_conditions_say_what_is_wrong(admin_client, workspace, condition, value, message):
    response = _post_rule(
        admin_client, workspace, condition_kind=[condition], condition_value=[value]
    )
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_rule_needs_an_action(admin_client, workspace):
    response = _post_rule(admin_client, workspace, action_kind=[""], action_value=[""])
    assert response.status_code == 400
    assert "Kural en az bir eylem içermeli." in response.content.decode()


def test_names_are_unique_in_the_workspace(admin_client, workspace):
    response = _post_rule(admin_client, workspace, name="VIP müşteri")
    assert response.status_code == 400
    assert "Bu adda bir kural zaten var." in response.content.decode()


def test_edit_shows_the_stored_rows_and_saves(admin_client, workspace):
    rule = Rule.objects.get(workspace=workspace, name="VIP müşteri")
    page = admin_client.get(_url("rule_edit", workspace, rule.pk)).content.decode()
    assert 'value="ornek-vip.com.tr"' in page
    response = admin_client.post(
        _url("rule_edit", workspace, rule.pk),
        {
            "name": "VIP müşteri",
            "trigger": "customer_replied",
            "match": "any",
            "condition_kind": ["sender"],
            "condition_value": ["@Buyuk-Musteri.com.tr"],
            "action_kind": ["set_priority"],
            "action_value": ["P1"],
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.trigger, rule.is_active) == ("customer_replied", False)
    assert rule.conditions == [{"kind": "sender", "value": "buyuk-musteri.com.tr"}]


def test_toggle_turns_a_rule_on_and_off(admin_client, workspace):
    rule = Rule.objects.get(workspace=workspace, name="VIP müşteri")
    admin_client.post(_url("rule_toggle", workspace, rule.pk))
    rule.refresh_from_db()
    assert rule.is_active is True
    admin_client.post(_url("rule_toggle", workspace, rule.pk))
    rule.refresh_from_db()
    assert rule.is_active is False


def test_move_changes_the_order(admin_client, workspace):
    rule = Rule.objects.get(workspace=workspace, name="VIP müşteri")
    admin_client.post(_url("rule_move", workspace, rule.pk), {"direction": "up"})
    assert _names(workspace) == [SEEDED[0], SEEDED[2], SEEDED[1]]


def test_delete_asks_then_deletes(admin_client, workspace):
    rule = Rule.objects.get(workspace=workspace, name="VIP müşteri")
    page = admin_client.get(_url("rule_delete", workspace, rule.pk)).content.decode()
    assert "“VIP müşteri” kuralı silinsin mi?" in page
    assert _names(workspace) == SEEDED
    admin_client.post(_url("rule_delete", workspace, rule.pk))
    assert _names(workspace) == SEEDED[:2]


def test_row_partial_offers_a_value_field_for_the_kind(admin_client, workspace):
    url = _url("rule_row", workspace)
    category_row = admin_client.get(url, {"part": "action", "action_kind": "set_category"})
    assert '<option value="">— seçin —</option>' in category_row.content.decode()
    assert "Ödeme / Checkout</option>" in category_row.content.decode()
    note_row = admin_client.get(url, {"part": "action", "action_kind": "add_note"})
    assert '<textarea name="action_value"' in note_row.content.decode()
    words_row = admin_client.get(url, {"part": "condition", "condition_kind": "subject"})
    assert '<input type="text" name="condition_value"' in words_row.content.decode()
    assert admin_client.get(url, {"part": "nope"}).status_code == 404


def test_rule_changes_are_in_the_audit_log(admin_client, workspace, admin):
    from destek.accounts.models import AuditLog

    _post_rule(admin_client, workspace)
    rule = Rule.objects.get(workspace=workspace, name="Ödeme acil")
    admin_client.post(_url("rule_toggle", workspace, rule.pk))
    admin_client.post(_url("rule_delete", workspace, rule.pk))
    entries = AuditLog.objects.filter(workspace=workspace, action__startswith="rule.")
    assert list(entries.order_by("pk").values_list("action", "target", "actor")) == [
        ("rule.created", "Ödeme acil", admin.pk),
        ("rule.disabled", "Ödeme acil", admin.pk),
        ("rule.deleted", "Ödeme acil", admin.pk),
    ]
