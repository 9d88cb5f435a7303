"""Articles and categories (destek/kb/models.py, destek/kb/services.py)."""

from __future__ import annotations

from destek.kb import services
from destek.kb.models import Article, KbCategory, turkish_slug


def test_slug_keeps_turkish_letters_as_ascii():
    assert turkish_slug("Ödeme sorunları ve İADE") == "odeme-sorunlari-ve-iade"


def test_search_columns_hold_both_languages_folded(make_article):
    article = make_article(
        "Şifre Değişikliği", "Güçlü ŞİFRE", title_en="Password", body_en="Strong"
    )

    assert (article.search_title, article.search_body) == (
        "sifre degisikligi\npassword",
        "guclu sifre\nstrong",
    )


def test_search_columns_follow_a_partial_save(make_article):
    article = make_article("Eski başlık")
    article.title = "Yeni Başlık"
    article.save(update_fields=["title"])

    article.refresh_from_db()
    assert article.search_title == "yeni baslik\n"


def test_same_title_gets_a_numbered_slug(make_article):
    first = make_article("Kargo takibi")
    second = make_article("Kargo Takibi")

    assert (first.slug, second.slug) == ("kargo-takibi", "kargo-takibi-2")


def test_same_slug_is_fine_in_another_workspace(make_article, other_workspace):
    make_article("Kargo takibi")

    assert make_article("Kargo takibi", ws=other_workspace).slug == "kargo-takibi"


def test_publishing_sets_the_first_publication_date_once(make_article):
    article = make_article("Taslak yazı", status="draft")
    assert article.published_at is None

    article.status = "published"
    services.save_article(article=article, actor=None)
    first = article.published_at
    services.save_article(article=article, actor=None)

    assert first is not None and article.published_at == first


def test_new_articles_and_categories_go_last(make_article, workspace, kb_category):
    assert [make_article(f"Yazı {n}").position for n in range(3)] == [0, 1, 2]
    second = services.save_category(category=KbCategory(workspace=workspace, name="Kargo"))
    assert (kb_category.position, second.position) == (0, 1)


def test_english_falls_back_to_turkish_without_a_full_translation(make_article):
    half = make_article("Başlık", "Metin", title_en="Title")

    assert (half.title_for("en"), half.body_for("en")) == ("Başlık", "Metin")


def test_helpful_share_is_a_rounded_percentage(make_article):
    article = make_article("Oylanan")
    Article.objects.filter(pk=article.pk).update(helpful_yes=2, helpful_no=1)
    article.refresh_from_db()

    assert (article.helpful_share(), make_article("Oysuz").helpful_share()) == (67, None)
