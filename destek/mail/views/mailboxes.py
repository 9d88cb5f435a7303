"""Mailbox pages for admins: the list, the settings page with its fetch state and import
progress, the connection test and switching a mailbox off or on."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from destek.accounts import audit
from destek.accounts.permissions import Capability, workspace_view
from destek.mail.forms import MailboxForm
from destek.mail.models import Mailbox
from destek.mail.views.access import get_mailbox_for
from destek.mail.views.wizard import run_checks


def _detail(
    request: HttpRequest, mailbox: Mailbox, form: MailboxForm, checks: list | None = None
) -> HttpResponse:
    context = {"mailbox": mailbox, "form": form, "checks": checks}
    return render(request, "mail/mailbox_detail.html", context)


@workspace_view(Capability.MANAGE_DESK)
def mailbox_list(request: HttpRequest) -> HttpResponse:
    mailboxes = Mailbox.objects.for_workspace(request.workspace)
    return render(request, "mail/mailbox_list.html", {"mailboxes": mailboxes})


@workspace_view(Capability.MANAGE_DESK)
def mailbox_detail(request: HttpRequest, mailbox_id: int) -> HttpResponse:
    mailbox = get_mailbox_for(request, mailbox_id)
    form = MailboxForm(request.POST or None, instance=mailbox)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit.record(
            "mailbox.changed", workspace=request.workspace, target=mailbox.address, request=request
        )
        messages.success(request, _("Posta kutusu ayarları kaydedildi."))
        return redirect("mailbox_detail", request.workspace.slug, mailbox.pk)
    return _detail(request, mailbox, form)


@workspace_view(Capability.MANAGE_DESK)
@require_POST
def mailbox_test(request: HttpRequest, mailbox_id: int) -> HttpResponse:
    """Test the saved settings; htmx gets only the results, a plain form post the whole page."""
    mailbox = get_mailbox_for(request, mailbox_id)
    checks = run_checks(mailbox)
    if request.htmx:
        return render(request, "mail/_check_results.html", {"checks": checks})
    return _detail(request, mailbox, MailboxForm(instance=mailbox), checks)


@workspace_view(Capability.MANAGE_DESK)
@require_POST
def mailbox_active(request: HttpRequest, mailbox_id: int) -> HttpResponse:
    mailbox = get_mailbox_for(request, mailbox_id)
    mailbox.is_active = request.POST.get("active") == "1"
    mailbox.save(update_fields=["is_active"])
    action = "mailbox.activated" if mailbox.is_active else "mailbox.deactivated"
    audit.record(action, workspace=request.workspace, target=mailbox.address, request=request)
    if mailbox.is_active:
        messages.success(request, _("%(address)s yeniden etkin.") % {"address": mailbox.address})
    else:
        messages.success(
            request,
            _("%(address)s devre dışı bırakıldı; yeni e-posta alınmayacak.")
            % {"address": mailbox.address},
        )
    return redirect("mailbox_detail", request.workspace.slug, mailbox.pk)


@workspace_view(Capability.MANAGE_DESK)
def mailbox_import(request: HttpRequest, mailbox_id: int) -> HttpResponse:
    """The import progress bar alone; htmx polls it while an import runs."""
    mailbox = get_mailbox_for(request, mailbox_id)
    return render(request, "mail/_import_progress.html", {"mailbox": mailbox})
