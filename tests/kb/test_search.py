"""Turkish-aware, ranked search (destek/kb/search.py)."""

from __future__ import annotations

import pytest

from destek.kb.search import public_search, query_words, suggest


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("İstanbul mağazası", "istanbul"),
        ("İstanbul mağazası", "ISTANBUL"),
        ("istanbul mağazası", "İSTANBUL"),
        ("Kapıda ödeme", "kapida"),  # ı/i
        ("Kargo şubesi", "subesi"),  # ş/s
        ("Kargo ağırlığı", "agirligi"),  # ğ/g
        ("Ürün iadesi", "urun"),  # ü/u
        ("Ödeme alınamıyor", "odeme"),  # ö/o
        ("Fatura çıktısı", "ciktisi"),  # ç/c
        ("Kargo takibi", "KARGO TAKİBİ"),
        ("Isparta şubesi", "ısparta"),
    ],
)
def test_search_folds_case_and_turkish_letters(make_article, workspace, stored, typed):
    article = make_article(stored, "Kısa metin.")

    assert public_search(workspace, typed) == [article]


def test_typed_turkish_letters_find_ascii_text(make_article, workspace):
    article = make_article("Odeme sayfasi", "Kart bilgisi.")

    assert public_search(workspace, "Ödeme sayfası") == [article]


def test_title_hits_rank_above_body_hits(make_article, workspace):
    in_body = make_article("Sipariş durumu", "İade talebi için hesabınıza girin.")
    in_title = make_article("İade nasıl yapılır", "Hesabınıza girin.")

    assert public_search(workspace, "iade") == [in_title, in_body]


def test_all_words_rank_above_some_words(make_article, workspace):
    some = make_article("Kargo ücreti", "Kargo ücreti sepet tutarına göre değişir.")
    every = make_article("Teslimat süresi", "Kargo ile iade gönderiminde kod kullanın.")

    assert public_search(workspace, "kargo iade") == [every, some]


def test_more_viewed_article_wins_a_tie(make_article, workspace):
    quiet = make_article("E-posta kurulumu iPhone", "IMAP 993.")
    popular = make_article("E-posta kurulumu Android", "IMAP 993.")
    type(popular).objects.filter(pk=popular.pk).update(view_count=50)

    assert public_search(workspace, "imap") == [popular, quiet]


def test_stop_words_and_punctuation_are_not_searched():
    assert query_words("Nasıl iade ederim?? ve, bir de FATURA") == ["iade", "ederim", "fatura"]


def test_empty_or_stop_word_query_finds_nothing(make_article, workspace):
    make_article("Nasıl sipariş veririm", "Bir ürün seçin.")

    assert public_search(workspace, "  nasıl bir ?  ") == []


def test_drafts_and_internal_articles_are_not_found_publicly(make_article, workspace):
    make_article("Ödeme taslağı", status="draft")
    make_article("Ödeme iç notu", visibility="internal")
    public = make_article("Ödeme yöntemleri")

    assert public_search(workspace, "odeme") == [public]


def test_other_workspace_articles_are_not_found(make_article, workspace, other_workspace):
    make_article("Ödeme yöntemleri", ws=other_workspace)

    assert public_search(workspace, "odeme") == []


def test_suggest_gives_titles_in_the_visitor_language(make_article, workspace):
    both = make_article(
        "İade ve iptal", "Cayma hakkı 14 gün.", title_en="Returns", body_en="14 days."
    )
    turkish_only = make_article("İade kargo kodu", "Kod ile gönderin.")

    found = suggest(workspace, "iade", language="en")

    assert [(a.pk, a.display_title) for a in found] == [
        (both.pk, "Returns"),
        (turkish_only.pk, "İade kargo kodu"),
    ]


def test_suggest_respects_the_limit(make_article, workspace):
    for n in range(7):
        make_article(f"Fatura sorusu {n}")

    assert len(suggest(workspace, "fatura", language="tr", limit=5)) == 5
    assert len(suggest(workspace, "fatura", language="tr")) == 5
