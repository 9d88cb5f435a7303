from destek.search.highlight import highlight, snippet


def test_highlight_marks_the_original_spelling_of_a_folded_match():
    assert highlight("Kredi kartıyla ÖDEME alamıyorum", ["odeme"]) == (
        "Kredi kartıyla <mark>ÖDEME</mark> alamıyorum"
    )


def test_highlight_marks_words_that_start_with_the_term():
    assert highlight("Şikâyetim var", ["sikayet"]) == "<mark>Şikâyetim</mark> var"


def test_highlight_folds_dotted_and_dotless_i():
    assert highlight("İSTANBUL ve Isparta", ["istanbul", "isparta"]) == (
        "<mark>İSTANBUL</mark> ve <mark>Isparta</mark>"
    )


def test_highlight_escapes_the_text_around_the_marks():
    assert highlight("<b>fatura</b> & iade", ["fatura"]) == (
        "&lt;b&gt;<mark>fatura</mark>&lt;/b&gt; &amp; iade"
    )


def test_one_letter_term_marks_whole_words_only():
    assert highlight("a ab", ["a"]) == "<mark>a</mark> ab"


def test_snippet_cuts_around_the_first_match_at_word_boundaries():
    text = " ".join(["kelime"] * 60) + " iade talebim " + " ".join(["son"] * 60)
    result = snippet(text, ["iade"], width=60)
    assert result.startswith("… kelime")
    assert "<mark>iade</mark> talebim" in result
    assert result.endswith(" …")
    assert len(result) < 120


def test_snippet_is_none_without_a_match():
    assert snippet("merhaba dünya", ["fatura"]) is None


def test_ascii_and_turkish_spellings_are_marked_alike():
    text = "ISPARTA Isparta ısparta İstanbul ODEME Ödeme"
    assert highlight(text, ["isparta", "odeme"]) == (
        "<mark>ISPARTA</mark> <mark>Isparta</mark> <mark>ısparta</mark> İstanbul "
        "<mark>ODEME</mark> <mark>Ödeme</mark>"
    )
