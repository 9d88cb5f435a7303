"""The reader's own notifications: list, open (marks read, goes to the ticket), all read."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from destek.accounts.permissions import Capability, workspace_view
from destek.notifications.models import Notification, NotificationQuerySet
from destek.notifications.services import mark_read

PER_PAGE = 50


def _mine(request: HttpRequest) -> NotificationQuerySet:
    return Notification.objects.for_reader(request.workspace, request.user)


@workspace_view(Capability.READ_TICKETS)
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = _mine(request).select_related("ticket__workspace", "actor")
    if request.GET.get("unread") == "1":
        notifications = notifications.unread()
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "only_unread": request.GET.get("unread") == "1"}
    return render(request, "notifications/list.html", context)


@workspace_view(Capability.READ_TICKETS)
@require_POST
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = get_object_or_404(_mine(request).select_related("ticket"), pk=notification_id)
    mark_read(_mine(request).filter(pk=notification.pk))
    if notification.ticket is not None:
        return redirect("ticket_detail", request.workspace.slug, notification.ticket.number)
    return redirect("notification_list", request.workspace.slug)


@workspace_view(Capability.READ_TICKETS)
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = mark_read(_mine(request))
    if count:
        messages.success(request, _("Tüm bildirimler okundu olarak işaretlendi."))
    return redirect("notification_list", request.workspace.slug)
