"""tests/mail/corpus.py: a missing corpus skips on a laptop and fails in CI."""

from __future__ import annotations

import pytest

from . import corpus


@pytest.fixture
def no_corpus(monkeypatch, tmp_path):
    monkeypatch.setattr(corpus, "CORPUS", tmp_path / "absent")
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("DESTEK_REQUIRE_SERVICES", raising=False)
    return monkeypatch


def test_a_missing_corpus_skips_locally(no_corpus):
    with pytest.raises(pytest.skip.Exception, match="corpus is not at"):
        corpus.require_corpus()


def test_a_missing_corpus_message_skips_locally(no_corpus):
    with pytest.raises(pytest.skip.Exception, match="corpus is not at"):
        corpus.require_corpus(corpus.CORPUS / "mail001.box")


@pytest.mark.parametrize(("name", "value"), [("CI", "true"), ("DESTEK_REQUIRE_SERVICES", "1")])
def test_a_missing_corpus_fails_in_ci(no_corpus, name, value):
    no_corpus.setenv(name, value)
    with pytest.raises(pytest.fail.Exception, match="required in CI"):
        corpus.require_corpus()


def test_without_the_corpus_parametrised_tests_still_run_once_to_report_it(no_corpus):
    assert corpus.corpus_boxes() == [None]


def test_the_psych_yaml_of_the_corpus_is_readable():
    box = corpus.require_corpus(corpus.CORPUS / "mail008.box")
    image = corpus.expected(box)["attachments"][1]
    assert (image["filename"], type(image["data"]), len(image["data"])) == (
        "image.gif",
        bytes,
        4157,
    )
