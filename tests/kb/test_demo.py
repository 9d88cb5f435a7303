"""The demo workspace's SSS (destek/kb/demo.py)."""

from __future__ import annotations

from destek.kb.demo import seed_kb
from destek.kb.models import Article, KbCategory
from destek.kb.search import public_search


def test_demo_articles_cover_the_faq_topics(workspace, admin):
    seed_kb(workspace=workspace, author=admin)

    assert KbCategory.objects.filter(workspace=workspace).count() == 5
    titles = [a.title for a in public_search(workspace, "imap 993")]
    assert titles[:3] == [
        "iPhone'da kurumsal e-posta kurulumu (IMAP 993 / SMTP 465)",
        "Android'de (Gmail uygulaması) e-posta kurulumu",
        "Outlook'ta e-posta hesabı ekleme",
    ]
    assert public_search(workspace, "iade iptal")[0].title == "İade ve iptal nasıl yapılır?"
    assert public_search(workspace, "kvkk")[0].title.startswith("KVKK aydınlatma metni")
    assert Article.objects.filter(workspace=workspace, status="draft").count() == 1
    assert Article.objects.filter(workspace=workspace, visibility="internal").count() == 1


def test_demo_text_is_unwrapped_but_lists_stay(workspace, admin):
    seed_kb(workspace=workspace, author=admin)

    article = Article.objects.get(title__startswith="İade ve iptal")
    assert "gerekçe göstermeden iade edebilirsiniz (Mesafeli" in article.body
    assert "\n1. Hesabım" in article.body


def test_the_demo_workspace_comes_with_its_sss(db):
    from destek.tickets.demo import build_demo

    workspace = build_demo(tickets=2)

    assert Article.objects.filter(workspace=workspace).public().count() == 9
    assert public_search(workspace, "mesafeli satis")[0].title == (
        "Mesafeli satış sözleşmesi ve ön bilgilendirme formu"
    )


def test_demo_report_has_deflections(workspace, admin):
    from datetime import timedelta

    from django.utils import timezone

    from destek.kb import deflection

    now = timezone.now()
    seed_kb(workspace=workspace, author=admin, now=now)

    summary = deflection.summary(workspace, since=now - timedelta(days=30), until=now, now=now)
    # Seeded: the same 24 of 40 forms are left unsent on every build.
    assert (summary.forms_with_suggestions, summary.deflected, summary.submitted) == (40, 24, 16)
