"""Server settings of common mail providers, so the setup wizard asks only for an address and a
password (DESIGN §5, setup).

Pure data and string work, no network: a business domain hosted by Google Workspace or
Microsoft 365 can't be recognised offline, so an unknown domain gets the usual cPanel/Plesk
hosting guess (``mail.<domain>``) with a note asking the admin to pick the provider instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from destek.mail.models import Security

HOSTING = "hosting"


@dataclass(frozen=True)
class Preset:
    imap_host: str
    imap_port: int
    imap_security: str
    smtp_host: str
    smtp_port: int
    smtp_security: str
    note: str | Promise = ""


@dataclass(frozen=True)
class Provider:
    key: str
    label: str | Promise
    # Addresses at these domains are this provider's own (gmail.com, not a business domain).
    domains: frozenset[str]
    preset: Preset


APP_PASSWORD = _(
    "Bu sağlayıcı, iki adımlı doğrulama açıkken normal parolanızı kabul etmez: hesap "
    "ayarlarından bir uygulama şifresi oluşturup onu girin."
)

PROVIDERS: dict[str, Provider] = {
    provider.key: provider
    for provider in (
        Provider(
            "gmail",
            _("Gmail / Google Workspace"),
            frozenset({"gmail.com", "googlemail.com"}),
            Preset(
                "imap.gmail.com",
                993,
                Security.SSL,
                "smtp.gmail.com",
                465,
                Security.SSL,
                _(
                    "Gmail'de IMAP açık olmalı ve normal parolanız yerine bir uygulama şifresi "
                    "gerekir (Google Hesabı → Güvenlik → Uygulama şifreleri)."
                ),
            ),
        ),
        Provider(
            "yandex",
            _("Yandex / Yandex 360"),
            frozenset({"yandex.com", "yandex.com.tr", "yandex.ru", "ya.ru"}),
            Preset(
                "imap.yandex.com",
                993,
                Security.SSL,
                "smtp.yandex.com",
                465,
                Security.SSL,
                _(
                    "Yandex Posta ayarlarında “IMAP ile erişim” açık olmalı; bir uygulama şifresi "
                    "kullanmanız önerilir."
                ),
            ),
        ),
        Provider(
            "outlook",
            _("Outlook / Hotmail / Microsoft 365"),
            frozenset({"outlook.com", "hotmail.com", "hotmail.com.tr", "live.com", "msn.com"}),
            Preset(
                "outlook.office365.com",
                993,
                Security.SSL,
                "smtp.office365.com",
                587,
                Security.STARTTLS,
                _(
                    "Microsoft hesaplarında IMAP ve SMTP AUTH, yönetici tarafından kapatılmış "
                    "olabilir; bağlantı testi kimlik doğrulamada kalırsa bu ayarları kontrol edin."
                ),
            ),
        ),
        Provider(
            "yahoo",
            _("Yahoo"),
            frozenset({"yahoo.com", "yahoo.com.tr", "ymail.com", "rocketmail.com"}),
            Preset(
                "imap.mail.yahoo.com",
                993,
                Security.SSL,
                "smtp.mail.yahoo.com",
                465,
                Security.SSL,
                APP_PASSWORD,
            ),
        ),
        Provider(
            "icloud",
            _("iCloud"),
            frozenset({"icloud.com", "me.com", "mac.com"}),
            Preset(
                "imap.mail.me.com",
                993,
                Security.SSL,
                "smtp.mail.me.com",
                587,
                Security.STARTTLS,
                _("iCloud yalnızca uygulamaya özel parolayla bağlanır (appleid.apple.com)."),
            ),
        ),
        Provider(
            "zoho",
            _("Zoho Mail"),
            frozenset({"zoho.com", "zohomail.com"}),
            Preset(
                "imap.zoho.com",
                993,
                Security.SSL,
                "smtp.zoho.com",
                465,
                Security.SSL,
                _(
                    "Zoho'da IMAP erişimi ayarlardan açılmalı. Hesabınız Avrupa veri merkezindeyse "
                    "sunucu adlarındaki .com'u .eu yapın."
                ),
            ),
        ),
    )
}

# A business domain on Zoho uses the "pro" servers, not the personal ones.
ZOHO_BUSINESS = Preset(
    "imappro.zoho.com",
    993,
    Security.SSL,
    "smtppro.zoho.com",
    465,
    Security.SSL,
    PROVIDERS["zoho"].preset.note,
)

HOSTING_NOTE = _(
    "Adresiniz tanınan bir sağlayıcıya ait değil; cPanel/Plesk barındırmalarındaki olağan "
    "ayarlar dolduruldu. Alan adınız Google Workspace, Microsoft 365, Yandex 360 veya Zoho "
    "üzerindeyse listeden sağlayıcıyı seçin. 465 çalışmazsa SMTP için 587 ve STARTTLS deneyin."
)


def domain_of(address: str) -> str:
    return address.rpartition("@")[2].strip().lower().rstrip(".")


def provider_for(address: str) -> str:
    """The provider key an address belongs to, or ``"hosting"`` for any other domain."""
    domain = domain_of(address)
    for provider in PROVIDERS.values():
        if domain in provider.domains:
            return provider.key
    return HOSTING


def hosting_preset(domain: str) -> Preset:
    host = f"mail.{domain}" if domain else ""
    return Preset(host, 993, Security.SSL, host, 465, Security.SSL, HOSTING_NOTE)


def preset_for(address: str, provider: str | None = None) -> Preset:
    """Server settings for ``address``; ``provider`` (a key of :data:`PROVIDERS` or
    ``"hosting"``) overrides the guess from the domain, e.g. for a Google Workspace domain."""
    domain = domain_of(address)
    key = provider or provider_for(address)
    if key == "zoho" and domain not in PROVIDERS["zoho"].domains:
        return ZOHO_BUSINESS
    if key in PROVIDERS:
        return PROVIDERS[key].preset
    return hosting_preset(domain)


def provider_choices() -> list[tuple[str, str | Promise]]:
    """For the wizard's provider select, hosting last."""
    choices: list[tuple[str, str | Promise]] = [(p.key, p.label) for p in PROVIDERS.values()]
    return [*choices, (HOSTING, _("Kendi alan adım (cPanel, Plesk, diğer barındırma)"))]
