"""Forms of the desk settings pages (admins): categories and canned replies (DESIGN §6)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from destek.accounts.models import Workspace
from destek.tickets.canned import VARIABLES, unknown_variables, variables_help
from destek.tickets.models import CannedReply, Category, Team


class CategorySettingsForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name", "default_priority", "team", "is_critical", "is_public"]
        labels = {
            "name": _("Ad"),
            "default_priority": _("Varsayılan öncelik"),
            "team": _("Ekip"),
            "is_critical": _("Kritik"),
            "is_public": _("Müşteri portalında göster"),
        }
        help_texts = {
            "default_priority": _("Bu kategoriye giren yeni taleplere verilecek öncelik."),
            "team": _("Bu kategorideki talepler bu ekibe yönlendirilir."),
            "is_critical": _("Kritik kategorideki talepler öne çıkarılır."),
            "is_public": _("Müşteriler portaldaki talep formunda bu kategoriyi seçebilir."),
        }

    def __init__(self, *args: object, workspace: Workspace, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.fields["default_priority"].choices = [
            ("", _("— Yok —")),
            *[choice for choice in self.fields["default_priority"].choices if choice[0]],
        ]
        self.fields["team"].queryset = Team.objects.filter(workspace=workspace)
        self.fields["team"].empty_label = _("— Yok —")

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = Category.objects.filter(workspace=self.workspace, name__iexact=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Bu adla bir kategori zaten var."))
        return name


class CannedReplySettingsForm(forms.ModelForm):
    """A canned reply, workspace-wide (admins) or personal (each agent their own)."""

    class Meta:
        model = CannedReply
        fields = ["title", "body"]
        labels = {"title": _("Başlık"), "body": _("Metin")}
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = _("Kullanılabilecek değişkenler: %(list)s.") % {
            "list": variables_help()
        }

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        unknown = unknown_variables(body)
        if unknown:
            raise forms.ValidationError(
                ngettext(
                    "Bilinmeyen değişken: %(names)s. Kullanılabilecekler: %(known)s.",
                    "Bilinmeyen değişkenler: %(names)s. Kullanılabilecekler: %(known)s.",
                    len(unknown),
                )
                % {
                    "names": ", ".join(unknown),
                    "known": ", ".join(f"{{{{ {name} }}}}" for name in VARIABLES),
                }
            )
        return body
