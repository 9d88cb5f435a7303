"""Forms of the mailbox pages: the setup wizard's three steps and the settings page.

Stored passwords are never sent back to the browser. Between the wizard's steps the typed
password travels only as a sealed token (Fernet, bound to the workspace and the admin, valid for
an hour), so nothing readable is left in the page.
"""

from __future__ import annotations

import json
import time
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from destek.lib import crypto
from destek.mail.models import Mailbox
from destek.mail.presets import Preset, provider_choices

SEAL_SECONDS = 3600

SERVER_FIELDS = (
    "imap_host",
    "imap_port",
    "imap_security",
    "imap_user",
    "imap_folder",
    "smtp_host",
    "smtp_port",
    "smtp_security",
    "smtp_user",
)


def seal(owner: tuple[int, int], secrets: dict[str, str]) -> str:
    """``secrets`` encrypted for the next step of the wizard of ``owner`` (workspace, user)."""
    payload = {"owner": list(owner), "at": int(time.time()), "secrets": secrets}
    return crypto.encrypt(json.dumps(payload))


def unseal(owner: tuple[int, int], token: str) -> dict[str, str]:
    """The secrets of a token this owner sealed within the hour; empty for anything else."""
    try:
        payload = json.loads(crypto.decrypt(token))
    except (crypto.SecretUnreadable, ValueError):
        return {}
    fresh = time.time() - payload.get("at", 0) < SEAL_SECONDS
    if payload.get("owner") != list(owner) or not fresh:
        return {}
    return {key: str(value) for key, value in payload.get("secrets", {}).items()}


class AddressForm(forms.Form):
    """Step 1: the support address, its password and (optionally) who hosts it."""

    address = forms.EmailField(label=_("E-posta adresi"), max_length=254)
    password = forms.CharField(
        label=_("Parola"), required=False, strip=False, widget=forms.PasswordInput
    )
    provider = forms.ChoiceField(
        label=_("Sağlayıcı"),
        required=False,
        help_text=_("Alan adınız Google Workspace, Microsoft 365 gibi bir hizmetteyse seçin."),
    )
    sealed = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, owner: tuple[int, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["provider"].choices = [("", _("Adresten anla")), *provider_choices()]

    def clean_address(self) -> str:
        address = self.cleaned_data["address"].strip().lower()
        if Mailbox.objects.filter(address__iexact=address).exists():
            raise forms.ValidationError(_("Bu adres zaten bir posta kutusu olarak ekli."))
        return address

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        secrets = unseal(self.owner, cleaned.get("sealed") or "")
        if cleaned.get("password"):
            secrets["password"] = cleaned["password"]
        if not secrets.get("password"):
            self.add_error("password", _("Parolayı girin."))
        self.secrets = secrets
        return cleaned


class ServerForm(forms.ModelForm):
    """IMAP and SMTP settings; the password fields left blank keep what is already known."""

    smtp_password = forms.CharField(
        label=_("SMTP parolası"),
        required=False,
        strip=False,
        widget=forms.PasswordInput,
        help_text=_("Yalnızca IMAP parolasından farklıysa girin."),
    )

    class Meta:
        model = Mailbox
        fields = SERVER_FIELDS
        widgets = {"imap_port": forms.NumberInput, "smtp_port": forms.NumberInput}

    def __init__(self, *args: Any, require_servers: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["imap_host"].required = require_servers
        self.fields["smtp_host"].required = require_servers
        for name in ("imap_port", "smtp_port"):
            self.fields[name].validators += [MinValueValidator(1), MaxValueValidator(65535)]
            self.fields[name].widget.attrs.update(min=1, max=65535)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for side in ("imap", "smtp"):
            if cleaned.get(f"{side}_host") and not cleaned.get(f"{side}_port"):
                self.add_error(f"{side}_port", _("Sunucu girildiyse port da gerekli."))
        return cleaned


def server_initial(preset: Preset, address: str) -> dict[str, object]:
    """The server step's starting values: the preset, with the address as the user name."""
    return {
        "imap_host": preset.imap_host,
        "imap_port": preset.imap_port,
        "imap_security": preset.imap_security,
        "imap_user": address,
        "imap_folder": "INBOX",
        "smtp_host": preset.smtp_host,
        "smtp_port": preset.smtp_port,
        "smtp_security": preset.smtp_security,
        "smtp_user": address,
    }


class FirstFetchForm(forms.Form):
    """Step 3: what the first connection imports, and the name customers see."""

    NEW_ONLY = "new"
    IMPORT = "import"

    display_name = forms.CharField(
        label=_("Görünen ad"),
        required=False,
        max_length=120,
        help_text=_("Müşterilerin gördüğü gönderen adı, örneğin “Anadolu Kahve Destek”."),
    )
    first_fetch = forms.ChoiceField(
        label=_("İlk bağlantıda"),
        widget=forms.RadioSelect,
        initial=NEW_ONLY,
        choices=[
            (NEW_ONLY, _("Yalnızca bundan sonra gelen e-postaları al")),
            (IMPORT, _("Son günlerin e-postalarını da içe aktar")),
        ],
    )
    import_days = forms.IntegerField(
        label=_("Kaç gün geriye"), required=False, min_value=1, max_value=3650, initial=30
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("first_fetch") == self.IMPORT and not cleaned.get("import_days"):
            self.add_error("import_days", _("Kaç günlük e-postanın içe aktarılacağını girin."))
        return cleaned

    def import_days_value(self) -> int | None:
        if self.cleaned_data["first_fetch"] == self.IMPORT:
            return self.cleaned_data["import_days"]
        return None


class MailboxForm(ServerForm):
    """The settings page of a saved mailbox."""

    imap_password = forms.CharField(
        label=_("IMAP parolası"),
        required=False,
        strip=False,
        widget=forms.PasswordInput,
        help_text=_("Boş bırakılırsa kayıtlı parola korunur."),
    )

    class Meta(ServerForm.Meta):
        fields = (
            "display_name",
            *SERVER_FIELDS,
            "signature",
            "sent_copy",
            "sent_folder",
            "only_addressed",
            "acknowledge",
            "acknowledgement_subject",
            "acknowledgement_body",
        )
        widgets = {
            **ServerForm.Meta.widgets,
            "signature": forms.Textarea(attrs={"rows": 4}),
            "acknowledgement_body": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "only_addressed": _(
                "Kişisel bir posta kutusu kaynak olarak kullanılıyorsa, bu adresin Kime/Bilgi "
                "alanında olmadığı e-postalar (bültenler vb.) talep olmaz."
            ),
            "sent_copy": _(
                "Müşteriye giden yanıtların bir kopyası IMAP'teki Gönderilmiş klasörüne "
                "eklenir; e-posta programınız da gösterir."
            ),
            "sent_folder": _(
                "Boş bırakılırsa sunucunun Gönderilmiş olarak işaretlediği klasör kullanılır."
            ),
            "acknowledgement_subject": _("Boş bırakılırsa varsayılan konu kullanılır."),
            "acknowledgement_body": _("Boş bırakılırsa varsayılan metin kullanılır."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["smtp_password"].help_text = _("Boş bırakılırsa kayıtlı parola korunur.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("sent_copy") and not cleaned.get("imap_host"):
            self.add_error("sent_copy", _("Gönderilenleri kaydetmek için IMAP sunucusu gerekli."))
        return cleaned

    def save(self, commit: bool = True) -> Mailbox:
        mailbox = super().save(commit=False)
        # Blank means "keep": the stored password is never shown, so it can't be re-submitted.
        if self.cleaned_data.get("imap_password"):
            mailbox.imap_password = self.cleaned_data["imap_password"]
        if self.cleaned_data.get("smtp_password"):
            mailbox.smtp_password = self.cleaned_data["smtp_password"]
        if self.changed_data:
            # New settings are tried at the next poll instead of after the current backoff.
            mailbox.next_attempt_at = None
        if commit:
            mailbox.save()
        return mailbox
