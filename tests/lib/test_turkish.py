import pytest
from hypothesis import given
from hypothesis import strategies as st

from destek.lib.turkish import _fold_letters, contains_words, fold, folded_words, turkish_lower


@pytest.mark.parametrize(
    ("text", "lowered"),
    [("İSTANBUL", "istanbul"), ("ISPARTA", "ısparta"), ("Iğdır", "ığdır"), ("ŞİKÂYET", "şikâyet")],
)
def test_turkish_lower_follows_dotted_and_dotless_i(text, lowered):
    assert turkish_lower(text) == lowered


@pytest.mark.parametrize(
    "variant", ["İstanbul", "istanbul", "ISTANBUL", "İSTANBUL", "Istanbul", "ıstanbul"]
)
def test_fold_matches_every_spelling_of_istanbul(variant):
    assert fold(variant) == "istanbul"


@pytest.mark.parametrize(
    ("typed", "word"),
    [("odeme", "ödeme"), ("sikayet", "şikâyet"), ("cagri", "çağrı"), ("ucret", "ÜCRET")],
)
def test_fold_makes_diacritics_optional(typed, word):
    assert fold(typed) == fold(word)


def test_folded_words_drop_punctuation():
    assert folded_words("Ödeme alamıyorum!! (acil)") == ["odeme", "alamiyorum", "acil"]


def test_contains_words_matches_whole_adjacent_words_only():
    assert contains_words("Merhaba, ÖDEME ALAMIYORUM acil", "ödeme alamıyorum")
    assert not contains_words("ödemeler gecikti", "ödeme")
    assert not contains_words("alamıyorum ödeme", "ödeme alamıyorum")
    assert not contains_words("anything", "  ")


def test_fold_keeps_other_scripts_and_drops_every_combining_mark():
    assert fold("Привет “Ёлка” — مرحبا 日本語") == "привет “елка” — مرحبا 日本語"
    assert fold("Cafe\u0301 nai\u0308ve i\u0307") == "cafe naive i"
    assert fold("IŞIK İĞNE ÂÎÛ") == "isik igne aiu"


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=30))
def test_an_ascii_word_folds_to_its_lower_case(word):
    # fold() takes this shortcut for ASCII text; the full rules give the same.
    assert _fold_letters(word) == word.lower() == fold(word)
