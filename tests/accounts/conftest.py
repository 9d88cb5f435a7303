"""Helpers for the accounts tests: system mail kept as files, links found in mail bodies."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def mail_to_files(settings):
    """System mail goes to the data directory, as in the embedded default (not to locmem)."""
    settings.EMAIL_BACKEND = "destek.lib.system_mail.DataDirEmailBackend"


@pytest.fixture(autouse=True)
def _known_base_url(settings):
    settings.BASE_URL = "https://destek.example.test"


def link_in(body: str) -> str:
    """The one link in a mail body."""
    links = re.findall(r"https?://\S+", body)
    assert len(links) == 1, links
    return links[0]
