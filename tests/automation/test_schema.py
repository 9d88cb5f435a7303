"""Checking typed-in rule rows: what is stored, and the message for what is refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from destek.automation import schema
from destek.tickets.models import CannedReply, Category, Team


def _condition(workspace, kind: str, raw: object) -> object:
    return schema.clean_conditions(workspace, [(kind, raw)])[0]["value"]


def _action(workspace, kind: str, raw: object) -> object:
    return schema.clean_actions(workspace, [(kind, raw)])[0]["value"]


def _refusal(clean, workspace, rows) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        clean(workspace, rows)
    return caught.value.messages


def test_phrases_are_split_on_commas_and_lines_and_deduplicated(workspace):
    value = _condition(
        workspace, "subject", "ödeme  alamıyorum, kart çekilmiyor\nödeme alamıyorum;"
    )
    assert value == ["ödeme alamıyorum", "kart çekilmiyor"]


def test_sender_is_an_address_or_a_domain_in_lower_case(workspace):
    assert _condition(workspace, "sender", " Ali@Firma.COM.tr ") == "ali@firma.com.tr"
    assert _condition(workspace, "sender", "@Firma.com.tr") == "firma.com.tr"
    assert _refusal(schema.clean_conditions, workspace, [("sender", "firma")]) == [
        "Koşul 1 (Gönderen adresi veya alan adı): Geçerli bir e-posta adresi ya da alan adı yazın."
    ]


def test_ids_must_belong_to_the_workspace(workspace, other_workspace):
    ours = Category.objects.filter(workspace=workspace).first()
    theirs = Category.objects.filter(workspace=other_workspace).first()
    assert _action(workspace, "set_category", str(ours.pk)) == ours.pk
    assert _refusal(schema.clean_actions, workspace, [("set_category", str(theirs.pk))]) == [
        "Eylem 1 (Kategoriyi ayarla): Bilinmeyen kategori."
    ]
    team = Team.objects.create(workspace=other_workspace, name="Teknik")
    canned = CannedReply.objects.create(workspace=other_workspace, title="x", body="y")
    assert _refusal(schema.clean_actions, workspace, [("set_team", team.pk)]) == [
        "Eylem 1 (Ekibe ver): Bilinmeyen ekip."
    ]
    assert _refusal(schema.clean_actions, workspace, [("send_canned", canned.pk)]) == [
        "Eylem 1 (Hazır yanıt gönder): Bilinmeyen hazır yanıt."
    ]


def test_assignee_must_be_an_agent_of_the_workspace(workspace, agent, owner, other_agent):
    assert _action(workspace, "set_assignee", agent.pk) == agent.pk
    for user in (owner, other_agent):
        assert _refusal(schema.clean_actions, workspace, [("set_assignee", user.pk)]) == [
            "Eylem 1 (Temsilciye ata): Bu kişi bu çalışma alanında temsilci değil."
        ]


def test_every_bad_row_is_reported_with_its_number(workspace):
    rows = [("priority", "P0"), ("status", "uçuyor"), ("", ""), ("business_hours", "bazen")]
    assert _refusal(schema.clean_conditions, workspace, rows) == [
        "Koşul 2 (Durum): Geçersiz durum.",
        "Koşul 4 (Çalışma saatleri): “İçinde” ya da “dışında” seçin.",
    ]


def test_actions_need_at_least_one_row_and_never_move_back_to_new(workspace):
    assert _refusal(schema.clean_actions, workspace, [("", "")]) == [
        "Kural en az bir eylem içermeli."
    ]
    assert _refusal(schema.clean_actions, workspace, [("set_status", "new")]) == [
        "Bir kural talebi “Yeni” durumuna döndüremez."
    ]


def test_tags_are_lower_case_and_sorted(workspace):
    assert _action(workspace, "add_tags", "VIP, acil , vip") == ["acil", "vip"]


def test_note_text_is_required(workspace):
    assert _refusal(schema.clean_actions, workspace, [("add_note", "  ")]) == [
        "Eylem 1 (Dahili not ekle): Not metni boş olamaz."
    ]


def test_a_personal_canned_reply_cannot_be_sent_by_a_rule(workspace, agent):
    shared = CannedReply.objects.create(workspace=workspace, title="Ortak", body="x")
    personal = CannedReply.objects.create(workspace=workspace, title="Benim", body="y", owner=agent)
    assert _action(workspace, "send_canned", shared.pk) == shared.pk
    assert _refusal(schema.clean_actions, workspace, [("send_canned", personal.pk)]) == [
        "Eylem 1 (Hazır yanıt gönder): Bilinmeyen hazır yanıt."
    ]
    offered = [title for _pk, title in schema.options(workspace, "canned")]
    assert "Ortak" in offered and "Benim" not in offered
