"""What customers may attach on the portal: common document and image types, within the
workspace's total size limit, each refusal naming the file and the reason."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from destek.tickets.forms import MultipleFileField

ALLOWED_EXTENSIONS = frozenset(
    {
        ".png", ".jpg", ".jpeg", ".gif", ".webp", ".heic", ".bmp",
        ".pdf", ".txt", ".log", ".csv",
        ".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods", ".ppt", ".pptx",
        ".zip",
    }
)  # fmt: skip
MAX_FILES = 10


class CustomerFilesField(MultipleFileField):
    """Up to :data:`MAX_FILES` files of the allowed types; the total limit comes from the
    desk's own field."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("label", _("Ekler"))
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ",".join(sorted(ALLOWED_EXTENSIONS))

    def clean(self, data: object, initial: object = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("En fazla %(count)d dosya ekleyebilirsiniz."),
                code="too_many",
                params={"count": MAX_FILES},
            )
        for upload in files:
            suffix = PurePath(getattr(upload, "name", "") or "").suffix.lower()
            if suffix not in ALLOWED_EXTENSIONS:
                raise forms.ValidationError(
                    _(
                        "“%(name)s” eklenemez: bu dosya türü kabul edilmiyor. Resim, PDF, metin, "
                        "Office belgesi veya ZIP ekleyebilirsiniz."
                    ),
                    code="file_type",
                    params={"name": upload.name},
                )
            if upload.size == 0:
                raise forms.ValidationError(
                    _("“%(name)s” boş bir dosya."), code="empty", params={"name": upload.name}
                )
        return super().clean(data, initial)


def size_limit_text() -> str:
    from django.conf import settings

    return filesizeformat(settings.MAX_ATTACHMENT_BYTES)
