"""Suggestions for the portal's form and deflection counting (destek/kb/deflection.py)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from destek.kb import deflection
from destek.kb.models import FormSession, SuggestionOpen

FORM = "form-oturumu-1"


def _url(workspace, rest: str) -> str:
    return f"/s/{workspace.slug}/sss/{rest}"


def test_suggestion_endpoint_lists_matching_articles_with_the_form_id(
    client, workspace, make_article
):
    article = make_article("Ödeme alınamıyor", "Kart hatası")
    make_article("Kargo takibi", "Takip numarası")

    response = client.get(_url(workspace, "oneriler/"), {"subject": "ODEME hatası", "fs": FORM})

    body = response.content.decode()
    assert response.status_code == 200
    assert f'href="/s/{workspace.slug}/sss/{article.slug}/?fs={FORM}"' in body
    assert "Kargo takibi" not in body


def test_suggestion_endpoint_is_empty_for_short_or_unknown_subjects(
    client, workspace, make_article
):
    make_article("Ödeme alınamıyor")

    for subject in ("öd", "zzzz"):
        response = client.get(_url(workspace, "oneriler/"), {"subject": subject})
        assert response.content.decode().strip() == "", subject


def test_suggestion_endpoint_never_offers_hidden_articles(client, workspace, make_article):
    make_article("Ödeme taslağı", status="draft")
    make_article("Ödeme iç notu", visibility="internal")

    response = client.get(_url(workspace, "oneriler/"), {"subject": "odeme"})

    assert response.content.decode().strip() == ""


def test_opening_a_suggested_article_is_recorded_once(client, workspace, make_article):
    article = make_article("Ödeme alınamıyor")

    client.get(_url(workspace, f"{article.slug}/"), {"fs": FORM})
    client.get(_url(workspace, f"{article.slug}/"), {"fs": FORM})
    client.get(_url(workspace, f"{article.slug}/"))

    opened = SuggestionOpen.objects.get()
    assert (opened.article, opened.form_session.key) == (article, FORM)


def test_a_bad_form_id_is_ignored(workspace, make_article):
    article = make_article("Ödeme")

    for key in ("", "x" * 65, "<script>", "a b"):
        assert not deflection.record_suggestion_opened(
            workspace=workspace, form_session_id=key, article=article
        )
    assert FormSession.objects.count() == 0


def test_an_article_of_another_workspace_is_not_recorded(workspace, other_workspace, make_article):
    article = make_article("Ödeme", ws=other_workspace)

    assert not deflection.record_suggestion_opened(
        workspace=workspace, form_session_id=FORM, article=article
    )


def _open(workspace, key, article, at):
    deflection.record_suggestion_opened(
        workspace=workspace, form_session_id=key, article=article, now=at
    )


def test_summary_counts_left_forms_as_deflections(workspace, make_article):
    now = timezone.now()
    article = make_article("Ödeme")
    two_hours_ago = now - timedelta(hours=2)
    _open(workspace, "left", article, two_hours_ago)
    _open(workspace, "submitted", article, two_hours_ago)
    deflection.record_form_submitted(
        workspace=workspace, form_session_id="submitted", now=two_hours_ago + timedelta(minutes=5)
    )
    _open(workspace, "still-typing", article, now - timedelta(minutes=10))
    deflection.record_form_submitted(workspace=workspace, form_session_id="no-suggestion", now=now)

    summary = deflection.summary(workspace, since=now - timedelta(days=1), until=now, now=now)

    assert (summary.forms_with_suggestions, summary.deflected, summary.submitted) == (3, 1, 1)
    assert summary.rate == 50


def test_summary_is_per_workspace_and_period(workspace, other_workspace, make_article):
    now = timezone.now()
    _open(
        other_workspace,
        "elsewhere",
        make_article("A", ws=other_workspace),
        now - timedelta(hours=3),
    )
    _open(workspace, "old", make_article("B"), now - timedelta(days=40))

    summary = deflection.summary(workspace, since=now - timedelta(days=30), until=now, now=now)

    assert (summary.forms_with_suggestions, summary.rate) == (0, None)


def test_per_article_counts(workspace, make_article):
    now = timezone.now()
    first, second = make_article("Ödeme"), make_article("İade")
    earlier = now - timedelta(hours=2)
    _open(workspace, "one", first, earlier)
    _open(workspace, "one", second, earlier)
    _open(workspace, "two", first, earlier)
    deflection.record_form_submitted(workspace=workspace, form_session_id="two", now=earlier)

    counts = deflection.deflections_by_article(
        workspace, since=now - timedelta(days=1), until=now, now=now
    )

    assert counts == {first.pk: (2, 1), second.pk: (1, 1)}


def test_report_page_for_admins_only(
    admin_client, owner_client, agent_client, workspace, make_article
):
    article = make_article("Ödeme alınamıyor")
    _open(workspace, "left", article, timezone.now() - timedelta(hours=2))

    response = admin_client.get(f"/w/{workspace.slug}/sss/rapor/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Ödeme alınamıyor" in body and "%100" in body
    assert owner_client.get(f"/w/{workspace.slug}/sss/rapor/").status_code == 403
    assert agent_client.get(f"/w/{workspace.slug}/sss/rapor/").status_code == 403
