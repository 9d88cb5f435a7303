"""The audit log page (admins: everything; the owner: administrative actions only, which hold no
ticket content), its filters and its CSV export."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime, time
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date

from destek.accounts import audit
from destek.accounts.models import AuditLog, Membership, Role
from destek.accounts.permissions import Capability, workspace_view

PAGE_SIZE = 50
# What the owner may read: accounts, roles, security and data-protection actions — never the
# ones about tickets or mail.
OWNER_VISIBLE_PREFIXES = (
    "workspace.",
    "member.",
    "invitation.",
    "login",
    "password.",
    "2fa.",
    "sessions.",
    "customer.",
    "retention.",
    "audit.",
)
FILTERS = ("action", "actor", "since", "until", "q")


def visible_entries(request: HttpRequest) -> QuerySet[AuditLog]:
    entries = AuditLog.objects.filter(workspace=request.workspace)
    if request.membership.role == Role.OWNER:
        allowed = Q()
        for prefix in OWNER_VISIBLE_PREFIXES:
            allowed |= Q(action__startswith=prefix)
        entries = entries.filter(allowed)
    return entries


def _day_start(value: str, zone: ZoneInfo, end: bool = False) -> datetime | None:
    day = parse_date(value) if value else None
    if day is None:
        return None
    return datetime.combine(day, time.max if end else time.min, tzinfo=zone)


def filtered(request: HttpRequest, entries: QuerySet[AuditLog]) -> QuerySet[AuditLog]:
    get = request.GET
    zone = ZoneInfo(request.workspace.time_zone)
    if get.get("action"):
        entries = entries.filter(action=get["action"])
    if get.get("actor", "").isdigit():
        entries = entries.filter(actor_id=int(get["actor"]))
    if since := _day_start(get.get("since", ""), zone):
        entries = entries.filter(created_at__gte=since)
    if until := _day_start(get.get("until", ""), zone, end=True):
        entries = entries.filter(created_at__lte=until)
    if get.get("q"):
        entries = entries.filter(target__icontains=get["q"].strip())
    return entries


def _query(request: HttpRequest) -> str:
    pairs = {name: request.GET.get(name, "") for name in FILTERS}
    return urlencode({k: v for k, v in pairs.items() if v})


@workspace_view(Capability.VIEW_AUDIT)
def audit_log(request: HttpRequest) -> HttpResponse:
    visible = visible_entries(request)
    entries = filtered(request, visible).select_related("actor")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    actions = sorted(set(visible.order_by().values_list("action", flat=True)))
    members = Membership.objects.for_workspace(request.workspace).select_related("user")
    query = _query(request)
    context = {
        "page": page,
        "rows": [(e, audit.action_label(e.action), audit.describe(e)) for e in page],
        "actions": [(code, audit.action_label(code)) for code in actions],
        "actors": sorted((m.user_id, m.user.display_name) for m in members),
        "filters": {name: request.GET.get(name, "") for name in FILTERS},
        "action": request.GET.get("action", ""),
        "query": query + "&" if query else "",
        "export_query": query,
    }
    return render(request, "accounts/audit_log.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(entries: QuerySet[AuditLog]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(["time", "actor", "action", "label", "target", "details", "ip"])
    for entry in entries.iterator(chunk_size=1000):
        yield writer.writerow(
            [
                entry.created_at.isoformat(),
                entry.actor.email if entry.actor else "",
                entry.action,
                audit.action_label(entry.action),
                entry.target,
                audit.describe(entry),
                entry.ip_address or "",
            ]
        )


@workspace_view(Capability.VIEW_AUDIT)
def audit_export(request: HttpRequest) -> HttpResponse:
    entries = filtered(request, visible_entries(request)).select_related("actor")
    audit.record(
        "audit.exported", workspace=request.workspace, request=request, filters=_query(request)
    )
    response = StreamingHttpResponse(_csv_rows(entries), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="denetim-kaydi.csv"'
    return response
