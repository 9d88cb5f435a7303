"""Forms of the API app's pages: a new API token, a webhook endpoint."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from destek.api.models import Scope, WebhookEvent
from destek.api.webhooks.manage import clean_url

EXPIRY_CHOICES = [
    ("30", _("30 gün")),
    ("90", _("90 gün")),
    ("365", _("1 yıl")),
    ("", _("Süresiz")),
]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Ad"),
        max_length=80,
        help_text=_("Anahtarı nerede kullandığınız, ör. “Web mağazası”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Yetki kapsamı"),
        choices=Scope.choices,
        initial=[Scope.READ],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Anahtar hiçbir zaman rolünüzün izin verdiğinden fazlasını yapamaz."),
    )
    expires_in = forms.ChoiceField(
        label=_("Geçerlilik"), choices=EXPIRY_CHOICES, initial="90", required=False
    )

    def expires_at(self, now: datetime | None = None) -> datetime | None:
        days = self.cleaned_data.get("expires_in")
        return (now or timezone.now()) + timedelta(days=int(days)) if days else None


class WebhookForm(forms.Form):
    url = forms.CharField(
        label=_("Adres (URL)"),
        max_length=500,
        help_text=_("http:// veya https:// ile başlayan, internetten erişilebilen bir adres."),
    )
    events = forms.MultipleChoiceField(
        label=_("Olaylar"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(label=_("Etkin"), required=False, initial=True)
    is_internal = forms.BooleanField(
        label=_("Dahili"),
        required=False,
        help_text=_("Dahili adresler iç notları da alır; müşteriye açık sistemlere vermeyin."),
    )

    def clean_url(self) -> str:
        try:
            return clean_url(self.cleaned_data["url"])
        except ValidationError as exc:
            raise ValidationError(_("Geçerli bir http(s) adresi girin.")) from exc
