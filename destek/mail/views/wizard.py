"""The mailbox setup wizard (DESIGN §5, setup): address and password → servers filled from a
preset and tested → what the first connection imports → saved.

The steps are one URL; each POST carries what the earlier steps collected (the password only
sealed, see :mod:`destek.mail.forms`), so there is no half-made mailbox in the database.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from destek.accounts import audit
from destek.accounts.permissions import Capability, workspace_view
from destek.mail import check
from destek.mail.forms import (
    AddressForm,
    FirstFetchForm,
    ServerForm,
    seal,
    server_initial,
)
from destek.mail.models import Mailbox
from destek.mail.presets import PROVIDERS, preset_for, provider_for


def _owner(request: HttpRequest) -> tuple[int, int]:
    return (request.workspace.pk, request.user.pk)


def _secrets(address_form: AddressForm, server_form: ServerForm | None) -> dict[str, str]:
    """The passwords known so far; a separate SMTP password typed in step 2 joins them."""
    secrets = dict(address_form.secrets)
    typed = server_form.data.get("smtp_password") if server_form and server_form.is_bound else ""
    if typed:
        secrets["smtp_password"] = typed
    return secrets


def _render(
    request: HttpRequest,
    step: int,
    address_form: AddressForm,
    server_form: ServerForm | None = None,
    **extra: object,
) -> HttpResponse:
    context: dict[str, object] = {"step": step, "address_form": address_form, **extra}
    if step > 1:
        address = address_form.cleaned_data["address"]
        chosen = address_form.cleaned_data["provider"] or None
        provider = chosen or provider_for(address)
        context |= {
            "address": address,
            "provider_label": PROVIDERS[provider].label if provider in PROVIDERS else "",
            "note": preset_for(address, chosen).note,
            # Steps 2 and 3 show the provider select again, set to what is in use.
            "carry": AddressForm(
                initial={"address": address, "provider": provider}, owner=_owner(request)
            ),
            "sealed": seal(_owner(request), _secrets(address_form, server_form)),
            "server_form": server_form,
        }
    return render(request, "mail/mailbox_new.html", context)


def _server_form(request: HttpRequest) -> ServerForm:
    return ServerForm(request.POST, require_servers=True)


def _servers(request: HttpRequest, address_form: AddressForm) -> HttpResponse:
    """Step 2 filled from the preset of the chosen (or recognised) provider."""
    data = address_form.cleaned_data
    preset = preset_for(data["address"], data["provider"] or None)
    server_form = ServerForm(initial=server_initial(preset, data["address"]), require_servers=True)
    return _render(request, 2, address_form, server_form)


def unsaved_mailbox(request: HttpRequest, address_form: AddressForm, form: ServerForm) -> Mailbox:
    """The mailbox as it would be saved, for the connection test and for saving."""
    values = {name: value for name, value in form.cleaned_data.items() if name != "smtp_password"}
    address = address_form.cleaned_data["address"]
    mailbox = Mailbox(workspace=request.workspace, address=address, **values)
    mailbox.imap_user = mailbox.imap_user or address
    mailbox.smtp_user = mailbox.smtp_user or address
    password = address_form.secrets["password"]
    mailbox.imap_password = password
    mailbox.smtp_password = (
        form.cleaned_data["smtp_password"] or address_form.secrets.get("smtp_password") or password
    )
    return mailbox


def run_checks(mailbox: Mailbox) -> list[tuple[str, check.CheckResult]]:
    """IMAP and SMTP tested one after the other, each result shown on its own."""
    results = [("IMAP", check.check_imap(mailbox))] if mailbox.has_imap() else []
    if mailbox.has_smtp():
        results.append(("SMTP", check.check_smtp(mailbox)))
    return results


def _test(request: HttpRequest, address_form: AddressForm) -> HttpResponse:
    form = _server_form(request)
    checks = None
    if form.is_valid():
        checks = run_checks(unsaved_mailbox(request, address_form, form))
    return _render(request, 2, address_form, form, checks=checks)


def _first_fetch(request: HttpRequest, address_form: AddressForm) -> HttpResponse:
    form = _server_form(request)
    if not form.is_valid():
        return _render(request, 2, address_form, form)
    return _render(request, 3, address_form, form, fetch_form=FirstFetchForm())


def _back(request: HttpRequest, address_form: AddressForm) -> HttpResponse:
    return _render(request, 2, address_form, _server_form(request))


def _save(request: HttpRequest, address_form: AddressForm) -> HttpResponse:
    form = _server_form(request)
    if not form.is_valid():
        return _render(request, 2, address_form, form)
    fetch_form = FirstFetchForm(request.POST)
    if not fetch_form.is_valid():
        return _render(request, 3, address_form, form, fetch_form=fetch_form)
    mailbox = unsaved_mailbox(request, address_form, form)
    mailbox.display_name = fetch_form.cleaned_data["display_name"]
    mailbox.import_days = fetch_form.import_days_value()
    mailbox.save()
    audit.record(
        "mailbox.added", workspace=request.workspace, target=mailbox.address, request=request
    )
    messages.success(request, _("%(address)s posta kutusu eklendi.") % {"address": mailbox.address})
    return redirect("mailbox_detail", request.workspace.slug, mailbox.pk)


STEPS: dict[str, Callable[[HttpRequest, AddressForm], HttpResponse]] = {
    "servers": _servers,
    "test": _test,
    "next": _first_fetch,
    "back": _back,
    "save": _save,
}


@workspace_view(Capability.MANAGE_DESK)
def mailbox_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render(request, 1, AddressForm(owner=_owner(request)))
    address_form = AddressForm(request.POST, owner=_owner(request))
    if not address_form.is_valid():
        return render(request, "mail/mailbox_new.html", {"step": 1, "address_form": address_form})
    step = STEPS.get(request.POST.get("action", ""), _servers)
    return step(request, address_form)
