"""The SLA settings page (admins): targets per priority, weekly hours, extra closed days."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from destek.accounts.permissions import Capability, workspace_view
from destek.sla import services
from destek.sla.clock import Calendar
from destek.sla.closures import upcoming_holidays
from destek.sla.forms import ClosedDayForm, HoursForm, PoliciesForm
from destek.sla.models import BusinessCalendar, ClosedDay, OpeningHours, SlaPolicy

HOLIDAY_HORIZON = timedelta(days=366)


def _page(
    request: HttpRequest,
    *,
    policies_form: PoliciesForm | None = None,
    hours_form: HoursForm | None = None,
    closed_day_form: ClosedDayForm | None = None,
) -> HttpResponse:
    workspace = request.workspace
    calendar: Calendar = services.load_calendar(workspace)
    today = timezone.localdate()
    calendar_row = BusinessCalendar.objects.filter(workspace=workspace).first()
    context = {
        "policies_form": policies_form
        or PoliciesForm(policies=SlaPolicy.objects.filter(workspace=workspace)),
        "hours_form": hours_form
        or HoursForm(
            hours=OpeningHours.objects.filter(workspace=workspace),
            public_holidays=calendar_row.public_holidays if calendar_row else True,
        ),
        "closed_day_form": closed_day_form or ClosedDayForm(),
        "closed_days": ClosedDay.objects.filter(workspace=workspace, date__gte=today),
        "holidays": upcoming_holidays(calendar, today, today + HOLIDAY_HORIZON),
    }
    invalid = any(form is not None for form in (policies_form, hours_form, closed_day_form))
    status = 400 if invalid else 200
    return render(request, "sla/settings.html", context, status=status)


@workspace_view(Capability.MANAGE_DESK)
def sla_settings(request: HttpRequest) -> HttpResponse:
    return _page(request)


@workspace_view(Capability.MANAGE_DESK)
@require_POST
def sla_policies(request: HttpRequest) -> HttpResponse:
    form = PoliciesForm(request.POST)
    if not form.is_valid():
        return _page(request, policies_form=form)
    services.save_policies(workspace=request.workspace, targets=form.targets())
    messages.success(request, _("SLA hedefleri kaydedildi; açık taleplerin süreleri güncellendi."))
    return redirect("sla_settings", request.workspace.slug)


@workspace_view(Capability.MANAGE_DESK)
@require_POST
def sla_hours(request: HttpRequest) -> HttpResponse:
    form = HoursForm(request.POST)
    if not form.is_valid():
        return _page(request, hours_form=form)
    services.save_hours(
        workspace=request.workspace,
        hours=form.hours(),
        public_holidays=form.cleaned_data["public_holidays"],
    )
    messages.success(
        request, _("Çalışma saatleri kaydedildi; açık taleplerin süreleri güncellendi.")
    )
    return redirect("sla_settings", request.workspace.slug)


@workspace_view(Capability.MANAGE_DESK)
@require_POST
def sla_closed_day_add(request: HttpRequest) -> HttpResponse:
    form = ClosedDayForm(request.POST)
    if not form.is_valid():
        return _page(request, closed_day_form=form)
    day: date = form.cleaned_data["date"]
    services.add_closed_day(workspace=request.workspace, day=day, name=form.cleaned_data["name"])
    messages.success(request, _("Kapalı gün eklendi."))
    return redirect("sla_settings", request.workspace.slug)


@workspace_view(Capability.MANAGE_DESK)
@require_POST
def sla_closed_day_remove(request: HttpRequest, closed_day_id: int) -> HttpResponse:
    closed_day = get_object_or_404(ClosedDay, pk=closed_day_id, workspace=request.workspace)
    services.remove_closed_day(closed_day=closed_day)
    messages.success(request, _("Kapalı gün kaldırıldı."))
    return redirect("sla_settings", request.workspace.slug)
