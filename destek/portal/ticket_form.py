"""The public new-ticket form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from destek.portal import spam
from destek.portal.files import CustomerFilesField
from destek.tickets.models import Category, Customer

HONEYPOT = "website"


class NewTicketForm(forms.Form):
    name = forms.CharField(label=_("Adınız soyadınız"), max_length=200)
    email = forms.EmailField(label=_("E-posta adresiniz"), max_length=254)
    subject = forms.CharField(label=_("Konu"), max_length=255)
    description = forms.CharField(
        label=_("Açıklama"),
        widget=forms.Textarea,
        max_length=50_000,
        help_text=_("Ne oldu, ne bekliyordunuz? Sipariş numarası gibi ayrıntılar yardımcı olur."),
    )
    category = forms.ModelChoiceField(
        label=_("Konu başlığı"), queryset=Category.objects.none(), required=False
    )
    files = CustomerFilesField()
    # Hidden from people by CSS; bots fill every field they see in the markup.
    website = forms.CharField(label=_("Bu alanı boş bırakın"), required=False)
    started = forms.CharField(widget=forms.HiddenInput)
    fs = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: object, workspace, customer: Customer | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.customer = customer
        if customer is not None:
            # A signed-in customer is known: the ticket is theirs, no name or address to type.
            del self.fields["name"]
            del self.fields["email"]
        categories = Category.objects.filter(workspace=workspace, is_public=True)
        self.fields["category"].queryset = categories
        self.fields["category"].empty_label = _("— Seçin (isteğe bağlı) —")
        if not categories.exists():
            del self.fields["category"]
        self.fields["website"].widget.attrs.update(autocomplete="off", tabindex="-1")
        self.fields["subject"].widget.attrs.update(autocomplete="off")

    def is_spam(self) -> bool:
        """The honeypot was filled in or the form came back too fast (or with a forged time)."""
        return bool(self.data.get(HONEYPOT)) or spam.too_fast_or_forged(self.data.get("started"))
