"""The workspace's ticket lifecycle settings (admins): when resolved tickets close by themselves,
and whether customers of pending tickets get a reminder."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from destek.accounts.models import Workspace
from destek.accounts.permissions import Capability, workspace_view


class LifecycleForm(forms.ModelForm):
    class Meta:
        model = Workspace
        fields = ["auto_close_days", "pending_reminder_days"]
        labels = {
            "auto_close_days": gettext_lazy("Çözülen talepler kaç gün sonra kapansın"),
            "pending_reminder_days": gettext_lazy("Bekleyen talep hatırlatması (gün)"),
        }
        help_texts = {
            "auto_close_days": gettext_lazy(
                "Çözüldü durumundaki talep bu kadar gün yanıtsız kalırsa kapanır; bu süre "
                "içinde müşteri yazarsa talep yeniden açılır."
            ),
            "pending_reminder_days": gettext_lazy(
                "Müşteriden yanıt beklenen (Beklemede) talep bu kadar gün beklerse müşteriye "
                "bir kez otomatik hatırlatma e-postası gider. Boş bırakılırsa hatırlatma yok."
            ),
        }
        widgets = {
            "auto_close_days": forms.NumberInput(attrs={"min": 1, "max": 365}),
            "pending_reminder_days": forms.NumberInput(attrs={"min": 1, "max": 365}),
        }

    def _days(self, name: str) -> int | None:
        value = self.cleaned_data[name]
        if value is not None and not 1 <= value <= 365:
            raise forms.ValidationError(_("1 ile 365 gün arasında bir değer girin."))
        return value

    def clean_auto_close_days(self) -> int | None:
        return self._days("auto_close_days")

    def clean_pending_reminder_days(self) -> int | None:
        return self._days("pending_reminder_days")


@workspace_view(Capability.MANAGE_DESK)
def lifecycle_settings(request: HttpRequest) -> HttpResponse:
    form = LifecycleForm(request.POST or None, instance=request.workspace)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Talep ayarları kaydedildi."))
        return redirect("lifecycle_settings", request.workspace.slug)
    status = 400 if form.is_bound else 200
    return render(request, "tickets/settings/lifecycle.html", {"form": form}, status=status)
