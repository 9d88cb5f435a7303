from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from destek.accounts.permissions import Capability, workspace_view
from destek.kb import report

PERIODS = (7, 30, 90)


@workspace_view(Capability.MANAGE_DESK)
def kb_report(request: HttpRequest) -> HttpResponse:
    days = request.GET.get("days", "30")
    days = int(days) if days.isdigit() and int(days) in PERIODS else 30
    now = timezone.now()
    data = report.build(request.workspace, since=now - timedelta(days=days), until=now, now=now)
    context = {"report": data, "days": days, "periods": PERIODS}
    return render(request, "kb/staff/report.html", context)
