"""Forms of the staff SSS pages: articles, categories and the workspace's editing setting."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import Workspace
from destek.kb.models import Article, KbCategory


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title",
            "body",
            "title_en",
            "body_en",
            "category",
            "status",
            "visibility",
            "position",
        ]
        labels = {
            "title": _("Başlık"),
            "body": _("Metin"),
            "title_en": _("İngilizce başlık"),
            "body_en": _("İngilizce metin"),
            "category": _("SSS konusu"),
            "status": _("Durum"),
            "visibility": _("Görünürlük"),
            "position": _("Sıra"),
        }
        help_texts = {
            "body": _("Markdown: **kalın**, *eğik*, - liste, [bağlantı](https://…)."),
            "title_en": _("İngilizce sürüm isteğe bağlıdır; boşsa ziyaretçiler Türkçesini görür."),
            "visibility": _("“Yalnızca ekip” yazılar portalda görünmez, yalnızca ekip okur."),
            "position": _("Küçük sayı önce gösterilir."),
        }
        widgets = {
            "body": forms.Textarea(attrs={"rows": 14, "id": "kb-body"}),
            "body_en": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args: object, workspace: Workspace, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = KbCategory.objects.for_workspace(workspace)
        self.fields["category"].empty_label = _("— Konusuz —")
        if self.instance.pk is None:  # a new article goes last; its place is set when editing
            del self.fields["position"]

    def clean(self) -> dict:
        data = super().clean()
        if bool(data.get("title_en", "").strip()) != bool(data.get("body_en", "").strip()):
            raise forms.ValidationError(
                _("İngilizce sürüm için başlık ve metnin ikisi de gerekir.")
            )
        return data


class KbCategoryForm(forms.ModelForm):
    class Meta:
        model = KbCategory
        fields = ["name", "name_en", "description", "description_en", "position"]
        labels = {
            "name": _("Ad"),
            "name_en": _("İngilizce ad"),
            "description": _("Açıklama"),
            "description_en": _("İngilizce açıklama"),
            "position": _("Sıra"),
        }

    def __init__(self, *args: object, workspace: Workspace, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = KbCategory.objects.for_workspace(self.workspace).filter(name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Bu adla bir konu zaten var."))
        return name


class KbSettingsForm(forms.ModelForm):
    class Meta:
        model = Workspace
        fields = ["agents_edit_kb"]
        labels = {"agents_edit_kb": _("Temsilciler SSS düzenleyebilir")}
        help_texts = {
            "agents_edit_kb": _("Kapalıyken yazıları yalnızca yöneticiler ekler ve düzenler.")
        }
