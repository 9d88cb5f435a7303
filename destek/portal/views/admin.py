"""The portal's settings page for admins: branding, the embeddable form's snippet, CSAT."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from destek.accounts import audit
from destek.accounts.permissions import Capability, workspace_view
from destek.portal.csat import csat_summary
from destek.portal.settings_forms import BrandingForm


def embed_snippets(workspace) -> dict[str, str]:
    form_url = settings.BASE_URL + reverse("portal_embed", args=[workspace.slug])
    script_url = settings.BASE_URL + static("portal/embed.js")
    return {
        "script": f'<script src="{script_url}" data-destek-form="{form_url}" async></script>',
        "iframe": (
            f'<iframe src="{form_url}" title="Destek" style="width:100%;min-height:760px;border:0"'
            ' loading="lazy"></iframe>'
        ),
        "portal_url": settings.BASE_URL + reverse("portal_home", args=[workspace.slug]),
    }


@workspace_view(Capability.MANAGE_DESK)
def portal_settings(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    form = BrandingForm(request.POST or None, request.FILES or None, instance=workspace)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit.record(
            "portal.branding_changed",
            workspace=workspace,
            actor=request.user,
            target=workspace.slug,
        )
        messages.success(request, _("Portal ayarları kaydedildi."))
        return redirect("portal_settings", workspace_slug=workspace.slug)
    now = timezone.now()
    context = {
        "form": form,
        "snippets": embed_snippets(workspace),
        "csat": csat_summary(workspace, now - timedelta(days=30), now),
    }
    return render(request, "portal/settings.html", context, status=400 if form.errors else 200)
