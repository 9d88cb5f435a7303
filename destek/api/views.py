"""Pages of the API app: a member's own API tokens, and (admins) the webhook endpoints with
their delivery log."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from destek.accounts.permissions import Capability, workspace_view
from destek.api.forms import ApiTokenForm, WebhookForm
from destek.api.models import ApiToken, WebhookEndpoint
from destek.api.webhooks import deliver, manage


def _own_tokens(request: HttpRequest):
    return ApiToken.objects.filter(membership=request.membership, revoked_at__isnull=True)


@workspace_view(Capability.USE_WORKSPACE)
def token_list(request: HttpRequest) -> HttpResponse:
    """The member's API tokens in this workspace; a new one is shown once, on this answer."""
    form = ApiTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        token, raw = ApiToken.issue(
            membership=request.membership,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_at=form.expires_at(),
        )
        created = {"token": token, "raw": raw}
        form = ApiTokenForm()
    context = {"tokens": _own_tokens(request), "form": form, "created": created}
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "api/token_list.html", context, status=status)


@workspace_view(Capability.USE_WORKSPACE)
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(_own_tokens(request), pk=token_id)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    messages.success(request, _("Anahtar iptal edildi: %(name)s") % {"name": token.name})
    return redirect("api_token_list", request.workspace.slug)


def _endpoints(request: HttpRequest):
    return WebhookEndpoint.objects.filter(workspace=request.workspace)


@workspace_view(Capability.MANAGE_DESK)
def webhook_list(request: HttpRequest) -> HttpResponse:
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        endpoint, _secret = manage.create_endpoint(workspace=request.workspace, **form.cleaned_data)
        messages.success(request, _("Webhook eklendi."))
        return redirect("webhook_detail", request.workspace.slug, endpoint.pk)
    context = {"endpoints": _endpoints(request), "form": form}
    status = 400 if form.is_bound else 200
    return render(request, "api/webhook_list.html", context, status=status)


@workspace_view(Capability.MANAGE_DESK)
def webhook_detail(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    """Edit an endpoint, see its signing secret and the delivery log, redeliver."""
    endpoint = get_object_or_404(_endpoints(request), pk=endpoint_id)
    initial = {
        "url": endpoint.url,
        "events": endpoint.events,
        "is_active": endpoint.is_active,
        "is_internal": endpoint.is_internal,
    }
    form = WebhookForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        manage.update_endpoint(endpoint, **form.cleaned_data)
        messages.success(request, _("Webhook kaydedildi."))
        return redirect("webhook_detail", request.workspace.slug, endpoint.pk)
    context = {
        "endpoint": endpoint,
        "form": form,
        "deliveries": endpoint.deliveries.order_by("-id")[:50],
    }
    status = 400 if form.is_bound else 200
    return render(request, "api/webhook_detail.html", context, status=status)


@workspace_view(Capability.MANAGE_DESK)
@require_POST
def webhook_delete(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    get_object_or_404(_endpoints(request), pk=endpoint_id).delete()
    messages.success(request, _("Webhook silindi."))
    return redirect("webhook_list", request.workspace.slug)


@workspace_view(Capability.MANAGE_DESK)
@require_POST
def webhook_redeliver(request: HttpRequest, endpoint_id: int, delivery_id: int) -> HttpResponse:
    endpoint = get_object_or_404(_endpoints(request), pk=endpoint_id)
    deliver.redeliver(get_object_or_404(endpoint.deliveries, pk=delivery_id))
    messages.success(request, _("Yeniden gönderim sıraya alındı."))
    return redirect("webhook_detail", request.workspace.slug, endpoint.pk)
