"""Forms of the two-step login and the account security page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import User


class CodeForm(forms.Form):
    """Six digits from the authenticator app, or one recovery code."""

    code = forms.CharField(
        label=_("Doğrulama kodu"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
        help_text=_("Doğrulama uygulamasındaki 6 haneli kod ya da bir kurtarma kodu."),
    )


class PasswordConfirmForm(forms.Form):
    """Disabling 2FA or replacing the recovery codes asks for the password again."""

    password = forms.CharField(
        label=_("Parolanız"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Parola yanlış."))
        return password
