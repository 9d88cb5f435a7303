from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import Workspace

LOGO_MAX_BYTES = 512 * 1024
# Raster images only, told apart by their first bytes: an SVG could carry script.
LOGO_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": ".png",
    b"\xff\xd8\xff": ".jpg",
    b"GIF87a": ".gif",
    b"GIF89a": ".gif",
}


def _logo_suffix(upload: UploadedFile) -> str | None:
    head = upload.read(16)
    upload.seek(0)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ".webp"
    return next((s for sig, s in LOGO_SIGNATURES.items() if head.startswith(sig)), None)


class BrandingForm(forms.ModelForm):
    class Meta:
        model = Workspace
        fields = ["brand_color", "logo", "portal_intro", "portal_embed_origins"]
        labels = {
            "brand_color": _("Marka rengi"),
            "logo": _("Logo"),
            "portal_intro": _("Karşılama metni"),
            "portal_embed_origins": _("Formu gömebilecek siteler"),
        }
        help_texts = {
            "brand_color": _("Portalın üst çubuğu ve düğmeleri bu renkte olur."),
            "logo": _("PNG, JPEG, GIF veya WebP; en fazla 512 KB."),
            "portal_intro": _("Portalın ana sayfasında gösterilir."),
            "portal_embed_origins": _(
                "Boşluk veya satırla ayrılmış adresler, örneğin https://www.ornek.com.tr. "
                "Boş bırakılırsa form her sitede gösterilebilir."
            ),
        }
        widgets = {
            "brand_color": forms.TextInput(attrs={"type": "color"}),
            "logo": forms.ClearableFileInput(
                attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
            ),
            "portal_intro": forms.Textarea(attrs={"rows": 3}),
            "portal_embed_origins": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not isinstance(logo, UploadedFile):
            return logo
        if logo.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(_("Logo en fazla 512 KB olabilir."), code="too_large")
        suffix = _logo_suffix(logo)
        if suffix is None:
            raise forms.ValidationError(
                _("Logo PNG, JPEG, GIF veya WebP biçiminde bir resim olmalı."), code="file_type"
            )
        logo.name = f"logo-{self.instance.slug}{suffix}"
        return logo

    def clean_portal_embed_origins(self) -> str:
        origins = []
        for value in self.cleaned_data["portal_embed_origins"].split():
            parts = urlsplit(value)
            if (
                parts.scheme not in ("http", "https")
                or not parts.netloc
                or parts.path not in ("", "/")
            ):
                raise forms.ValidationError(
                    _("“%(value)s” bir site adresi değil (örnek: https://www.ornek.com.tr)."),
                    code="origin",
                    params={"value": value},
                )
            origins.append(f"{parts.scheme}://{parts.netloc}")
        return " ".join(dict.fromkeys(origins))
