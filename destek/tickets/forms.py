"""Forms of the agent desk. Choices come from lists the view already loaded for the workspace,
so validating a form never looks outside it and never costs a query per option."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import User
from destek.tickets.models import Category, Priority
from destek.tickets.status import ALLOWED, Status, after_agent_reply

KEEP = ""  # "leave as it is" in selects that may change something
UNASSIGN = "none"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files whose total size stays under ``MAX_ATTACHMENT_BYTES``."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: object, initial: object = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = []
        for item in files:
            cleaned.append(super().clean(item, initial))
        total = sum(upload.size for upload in cleaned)
        if total > settings.MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(
                _("Eklerin toplam boyutu %(total)s; en fazla %(limit)s olabilir."),
                code="too_large",
                params={
                    "total": filesizeformat(total),
                    "limit": filesizeformat(settings.MAX_ATTACHMENT_BYTES),
                },
            )
        return cleaned


def agent_choices(agents: Sequence[User]) -> list[tuple[str, str]]:
    return [(str(agent.pk), agent.display_name) for agent in agents]


class AgentChoiceMixin:
    """Turns the chosen agent id back into the ``User`` from the list the view passed in."""

    agents: dict[str, User]

    def agent(self, value: str) -> User | None:
        return self.agents.get(value)


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Yanıt"),
        widget=forms.Textarea(attrs={"rows": 8, "id": "reply-text"}),
        help_text=_("Markdown kullanabilirsiniz."),
    )
    files = MultipleFileField(label=_("Ekler"))
    status = forms.ChoiceField(label=_("Gönder ve durumu ayarla"), required=False)

    def __init__(self, *args: object, current_status: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # A reply to a new ticket moves it to open first; offer the moves from there.
        after = after_agent_reply(current_status)
        self.fields["status"].choices = [(KEEP, _("Durumu değiştirme"))] + [
            (value, label) for value, label in Status.choices if value in ALLOWED[after]
        ]


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Dahili not"), widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("Ekler"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        # Shares the page with the reply form: keep the two forms' element ids apart.
        kwargs.setdefault("auto_id", "note_%s")
        super().__init__(*args, **kwargs)


class AssignForm(AgentChoiceMixin, forms.Form):
    assignee = forms.ChoiceField(label=_("Atanan"), required=False)

    def __init__(self, *args: object, agents: Sequence[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.agents = {str(agent.pk): agent for agent in agents}
        self.fields["assignee"].choices = [(UNASSIGN, _("— Atanmamış —"))] + agent_choices(agents)

    def chosen(self) -> User | None:
        return self.agent(self.cleaned_data["assignee"])


class StatusForm(forms.Form):
    # Any status validates: refusing a move is the status machine's job (actions.change_status),
    # which says why. The select only offers the moves allowed from ``current_status``.
    status = forms.ChoiceField(label=_("Durum"), choices=Status.choices)

    def __init__(self, *args: object, current_status: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].widget.choices = status_choices(current_status)


def status_choices(current: str) -> list[tuple[str, str]]:
    """The current status and the moves the status machine allows from it, in seed order."""
    return [
        (value, label)
        for value, label in Status.choices
        if value == current or value in ALLOWED[current]
    ]


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(label=_("Öncelik"), choices=Priority.choices)


class CategoryForm(forms.Form):
    category = forms.TypedChoiceField(
        label=_("Kategori"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: object, categories: Sequence[Category], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.categories = {category.pk: category for category in categories}
        self.fields["category"].choices = [("", _("— Kategori yok —"))] + [
            (category.pk, category.name) for category in categories
        ]

    def chosen(self) -> Category | None:
        return self.categories.get(self.cleaned_data["category"])


class TagsForm(forms.Form):
    tags = forms.CharField(
        label=_("Etiketler"),
        required=False,
        max_length=500,
        help_text=_("Virgülle ayırın."),
    )

    def names(self) -> list[str]:
        return [name for name in self.cleaned_data["tags"].split(",") if name.strip()]


class TicketNumbersField(forms.Field):
    """The ticked rows of the queue: a list of tracking numbers."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: object) -> list[int]:
        try:
            return sorted({int(item) for item in value or []})
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(_("Geçersiz talep seçimi."), code="invalid") from exc


class BulkForm(AgentChoiceMixin, forms.Form):
    tickets = TicketNumbersField(
        label=_("Talepler"), error_messages={"required": _("Önce en az bir talep seçin.")}
    )
    assignee = forms.ChoiceField(label=_("Ata"), required=False)
    status = forms.ChoiceField(label=_("Durum"), required=False)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, agents: Sequence[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.agents = {str(agent.pk): agent for agent in agents}
        self.fields["assignee"].choices = [
            (KEEP, _("— Atamayı değiştirme —")),
            (UNASSIGN, _("Atamayı kaldır")),
        ] + agent_choices(agents)
        self.fields["status"].choices = [(KEEP, _("— Durumu değiştirme —")), *Status.choices]

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if not data.get("assignee") and not data.get("status"):
            raise forms.ValidationError(_("Bir atama veya durum seçin."), code="nothing")
        return data

    def changes(self) -> dict[str, object]:
        """Keyword arguments for ``actions.bulk_update``."""
        assignee = self.cleaned_data["assignee"]
        return {
            "assignee": self.agent(assignee),
            "unassign": assignee == UNASSIGN,
            "status": self.cleaned_data["status"] or None,
        }


class TicketCreateForm(forms.Form):
    email = forms.EmailField(label=_("Müşteri e-postası"))
    name = forms.CharField(label=_("Müşteri adı"), required=False, max_length=200)
    subject = forms.CharField(label=_("Konu"), max_length=255)
    text = forms.CharField(label=_("Açıklama"), widget=forms.Textarea(attrs={"rows": 8}))
    category = forms.TypedChoiceField(
        label=_("Kategori"), required=False, coerce=int, empty_value=None
    )
    priority = forms.ChoiceField(
        label=_("Öncelik"),
        required=False,
        help_text=_("Boş bırakılırsa kategorinin varsayılan önceliği kullanılır."),
    )
    files = MultipleFileField(label=_("Ekler"))

    def __init__(self, *args: object, categories: Sequence[Category], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.categories = {category.pk: category for category in categories}
        self.fields["category"].choices = [("", _("— Kategori yok —"))] + [
            (category.pk, category.name) for category in categories
        ]
        self.fields["priority"].choices = [("", _("— Varsayılan —")), *Priority.choices]

    def chosen_category(self) -> Category | None:
        return self.categories.get(self.cleaned_data["category"])


class CustomerForm(forms.Form):
    name = forms.CharField(label=_("Ad soyad"), required=False, max_length=200)
    phone = forms.CharField(label=_("Telefon"), required=False, max_length=40)
    organization = forms.CharField(label=_("Kurum"), required=False, max_length=200)
    notes = forms.CharField(
        label=_("Notlar"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class CustomerSearchForm(forms.Form):
    q = forms.CharField(label=_("Ara"), required=False, max_length=200)
