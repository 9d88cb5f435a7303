"""Settings pages for automation rules (admins): list in order, turn on and off, build, delete."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from destek.accounts import audit
from destek.accounts.permissions import Capability, workspace_view
from destek.automation.cache import invalidate
from destek.automation.forms import PARTS, RuleForm, make_row
from destek.automation.models import Match, Rule, Trigger
from destek.automation.summary import Summarizer


def _rules(request: HttpRequest) -> QuerySet[Rule]:
    return Rule.objects.for_workspace(request.workspace)


@workspace_view(Capability.MANAGE_DESK)
def rule_list(request: HttpRequest) -> HttpResponse:
    rules = list(_rules(request))
    summarize = Summarizer(request.workspace)
    rows = [(rule, summarize.conditions(rule), summarize.actions(rule)) for rule in rules]
    return render(request, "automation/rule_list.html", {"rows": rows})


def _builder(request: HttpRequest, rule: Rule) -> HttpResponse:
    form = RuleForm(
        request.POST or None,
        instance=rule,
        workspace=request.workspace,
        initial={"trigger": Trigger.TICKET_CREATED, "match": Match.ALL}
        if rule.pk is None
        else None,
    )
    if request.method == "POST" and form.is_valid():
        created = rule.pk is None
        rule = form.save(commit=False)
        rule.workspace = request.workspace
        rule.updated_at = timezone.now()
        if created:
            highest = _rules(request).aggregate(highest=Max("position"))["highest"]
            rule.position = 0 if highest is None else highest + 1
        rule.save()
        action = "rule.created" if created else "rule.updated"
        audit.record(action, workspace=request.workspace, target=rule.name, request=request)
        text = _("Kural eklendi: %(name)s") if created else _("Kural kaydedildi: %(name)s")
        messages.success(request, text % {"name": rule.name})
        return redirect("rule_list", request.workspace.slug)
    context = {"form": form, "rule": rule}
    status = 400 if form.is_bound else 200
    return render(request, "automation/rule_form.html", context, status=status)


@workspace_view(Capability.MANAGE_DESK)
def rule_add(request: HttpRequest) -> HttpResponse:
    return _builder(request, Rule(workspace=request.workspace))


@workspace_view(Capability.MANAGE_DESK)
def rule_edit(request: HttpRequest, rule_id: int) -> HttpResponse:
    return _builder(request, get_object_or_404(_rules(request), pk=rule_id))


@workspace_view(Capability.MANAGE_DESK)
def rule_row(request: HttpRequest) -> HttpResponse:
    """One empty builder row (“Koşul ekle”), or a row redrawn for the kind just chosen."""
    part = request.GET.get("part", "condition")
    if part not in PARTS:
        raise Http404
    row = make_row(request.workspace, part, request.GET.get(f"{part}_kind", ""))
    return render(request, "automation/_row.html", {"row": row})


@workspace_view(Capability.MANAGE_DESK)
def rule_delete(request: HttpRequest, rule_id: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes."""
    rule = get_object_or_404(_rules(request), pk=rule_id)
    if request.method == "POST":
        name = rule.name
        rule.delete()
        audit.record("rule.deleted", workspace=request.workspace, target=name, request=request)
        messages.success(request, _("Kural silindi: %(name)s") % {"name": name})
        return redirect("rule_list", request.workspace.slug)
    return render(request, "automation/rule_delete.html", {"rule": rule})


@workspace_view(Capability.MANAGE_DESK)
@require_POST
def rule_toggle(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = get_object_or_404(_rules(request), pk=rule_id)
    rule.is_active = not rule.is_active
    rule.updated_at = timezone.now()
    rule.save(update_fields=["is_active", "updated_at"])
    action = "rule.enabled" if rule.is_active else "rule.disabled"
    audit.record(action, workspace=request.workspace, target=rule.name, request=request)
    text = _("Kural açıldı: %(name)s") if rule.is_active else _("Kural kapatıldı: %(name)s")
    messages.success(request, text % {"name": rule.name})
    return redirect("rule_list", request.workspace.slug)


@transaction.atomic
def _move(rules: QuerySet[Rule], rule: Rule, direction: str) -> None:
    """Swap the rule with its neighbour; positions are renumbered 0..n-1."""
    items = list(rules.select_for_update())
    index = next(i for i, row in enumerate(items) if row.pk == rule.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
        for position, row in enumerate(items):
            row.position = position
        Rule.objects.bulk_update(items, ["position"])
        invalidate(rule.workspace_id)


@workspace_view(Capability.MANAGE_DESK)
@require_POST
def rule_move(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = get_object_or_404(_rules(request), pk=rule_id)
    direction = request.POST.get("direction")
    if direction not in {"up", "down"}:
        return HttpResponseBadRequest()
    _move(_rules(request), rule, direction)
    return redirect("rule_list", request.workspace.slug)
