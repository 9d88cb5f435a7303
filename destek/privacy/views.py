"""KVKK pages for admins (a customer's export and erasure) and the evidence bundle of a ticket
for the people who work tickets."""

from __future__ import annotations

import tempfile

from django import forms
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from destek.accounts.permissions import Capability, workspace_view
from destek.privacy.erase import erase_customer
from destek.privacy.evidence import evidence_filename, write_evidence
from destek.privacy.export import export_customer
from destek.privacy.transcript import FontMissing
from destek.tickets.access import get_customer_for, get_ticket_for

# Bundles are built in memory up to this size, then in a temporary file.
SPOOL_BYTES = 16 * 1024 * 1024


def _zip_response(buffer: tempfile.SpooledTemporaryFile, filename: str) -> FileResponse:
    buffer.seek(0)
    response = FileResponse(
        buffer, as_attachment=True, filename=filename, content_type="application/zip"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@workspace_view(Capability.MANAGE_PRIVACY)
@require_POST
def customer_export(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_customer_for(request, pk)
    buffer = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (response closes it)
    export_customer(customer, buffer, actor=request.user, request=request)
    return _zip_response(buffer, f"kvkk-musteri-{customer.pk}.zip")


class EraseForm(forms.Form):
    confirm = forms.CharField(
        label=gettext_lazy("Onaylamak için müşterinin e-posta adresini yazın"), max_length=254
    )

    def __init__(self, *args: object, email: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        if value.lower() != self.email.lower():
            raise forms.ValidationError(_("Adres tutmadı; hiçbir şey silinmedi."))
        return value


@workspace_view(Capability.MANAGE_PRIVACY)
def customer_erase(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_customer_for(request, pk)
    form = EraseForm(request.POST or None, email=customer.email)
    if request.method == "POST" and form.is_valid():
        report = erase_customer(customer=customer, actor=request.user, request=request)
        messages.success(
            request,
            _(
                "Müşterinin kişisel verileri silindi: %(tickets)s talep, %(messages)s mesaj, "
                "%(attachments)s ek. Talep numaraları ve sayılar korunur."
            )
            % {
                "tickets": len(report.tickets),
                "messages": report.messages,
                "attachments": report.attachments,
            },
        )
        return redirect("customer_detail", request.workspace.slug, customer.pk)
    context = {"customer": customer, "form": form, "ticket_count": customer.tickets.count()}
    return render(request, "privacy/customer_erase.html", context)


@workspace_view(Capability.READ_TICKETS)
def ticket_evidence(request: HttpRequest, number: int) -> HttpResponse:
    ticket = get_ticket_for(request, number)
    buffer = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (response closes it)
    try:
        write_evidence(ticket, buffer, actor=request.user, request=request)
    except FontMissing:
        buffer.close()
        messages.error(
            request,
            _(
                "PDF yazı tipi kurulu değil (Debian paketi fonts-dejavu-core); kanıt paketi "
                "oluşturulamadı."
            ),
        )
        return redirect("ticket_detail", request.workspace.slug, ticket.number)
    return _zip_response(buffer, evidence_filename(ticket))
