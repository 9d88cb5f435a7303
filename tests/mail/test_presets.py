"""Provider presets: an address (and, for business domains, a chosen provider) gives the servers
the setup wizard fills in."""

from __future__ import annotations

import pytest

from destek.mail.presets import HOSTING, PROVIDERS, Preset, preset_for, provider_for


def servers(preset: Preset) -> tuple:
    return (
        preset.imap_host,
        preset.imap_port,
        preset.imap_security,
        preset.smtp_host,
        preset.smtp_port,
        preset.smtp_security,
    )


GMAIL = ("imap.gmail.com", 993, "ssl", "smtp.gmail.com", 465, "ssl")
YANDEX = ("imap.yandex.com", 993, "ssl", "smtp.yandex.com", 465, "ssl")
MICROSOFT = ("outlook.office365.com", 993, "ssl", "smtp.office365.com", 587, "starttls")
YAHOO = ("imap.mail.yahoo.com", 993, "ssl", "smtp.mail.yahoo.com", 465, "ssl")
ICLOUD = ("imap.mail.me.com", 993, "ssl", "smtp.mail.me.com", 587, "starttls")
ZOHO = ("imap.zoho.com", 993, "ssl", "smtp.zoho.com", 465, "ssl")


@pytest.mark.parametrize("address", ["destek@gmail.com", "Destek@GoogleMail.com"])
def test_gmail_addresses_get_googles_servers(address):
    assert servers(preset_for(address)) == GMAIL
    assert provider_for(address) == "gmail"


@pytest.mark.parametrize(
    "address", ["destek@yandex.com", "destek@yandex.com.tr", "destek@ya.ru", "destek@yandex.ru"]
)
def test_yandex_addresses_get_yandex_servers(address):
    assert servers(preset_for(address)) == YANDEX


@pytest.mark.parametrize(
    "address", ["destek@outlook.com", "destek@hotmail.com", "destek@hotmail.com.tr", "x@live.com"]
)
def test_microsoft_addresses_get_office365_servers_with_starttls(address):
    assert servers(preset_for(address)) == MICROSOFT


@pytest.mark.parametrize("address", ["destek@yahoo.com", "destek@yahoo.com.tr", "x@ymail.com"])
def test_yahoo_addresses_get_yahoo_servers(address):
    assert servers(preset_for(address)) == YAHOO


@pytest.mark.parametrize("address", ["destek@icloud.com", "destek@me.com", "destek@mac.com"])
def test_icloud_addresses_get_apple_servers(address):
    assert servers(preset_for(address)) == ICLOUD


def test_zoho_personal_address_gets_the_personal_servers():
    assert servers(preset_for("destek@zoho.com")) == ZOHO


def test_business_domain_on_zoho_gets_the_pro_servers():
    preset = preset_for("destek@firma.com.tr", "zoho")

    assert (preset.imap_host, preset.smtp_host) == ("imappro.zoho.com", "smtppro.zoho.com")


def test_unknown_domain_gets_cpanel_style_hosting_settings_with_a_note():
    preset = preset_for("destek@anadolukahve.com.tr")

    assert servers(preset) == (
        "mail.anadolukahve.com.tr",
        993,
        "ssl",
        "mail.anadolukahve.com.tr",
        465,
        "ssl",
    )
    assert provider_for("destek@anadolukahve.com.tr") == HOSTING
    # Google Workspace or Microsoft 365 behind a business domain can't be seen offline.
    assert "Google Workspace" in str(preset.note)
    assert "587" in str(preset.note)


@pytest.mark.parametrize(
    ("provider", "expected"), [("gmail", GMAIL), ("outlook", MICROSOFT), ("yandex", YANDEX)]
)
def test_chosen_provider_wins_over_the_domain_guess(provider, expected):
    assert servers(preset_for("destek@anadolukahve.com.tr", provider)) == expected


def test_choosing_hosting_for_a_known_domain_uses_mail_dot_domain():
    assert preset_for("destek@gmail.com", HOSTING).imap_host == "mail.gmail.com"


def test_domain_is_read_case_insensitively_and_without_a_trailing_dot():
    assert servers(preset_for("Destek@Gmail.COM.")) == GMAIL


def test_every_provider_preset_uses_implicit_tls_for_imap_and_explains_itself():
    for provider in PROVIDERS.values():
        assert (provider.preset.imap_port, provider.preset.imap_security) == (993, "ssl")
        assert str(provider.preset.note)
