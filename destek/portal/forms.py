from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from destek.portal.files import CustomerFilesField


class SigninForm(forms.Form):
    email = forms.EmailField(label=_("E-posta adresiniz"), max_length=254)


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Yanıtınız"), widget=forms.Textarea, max_length=50_000)
    files = CustomerFilesField()


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Puanınız"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Yorumunuz"), widget=forms.Textarea, required=False, max_length=2000
    )
