"""The compiled rules cache: loaded once, forgotten on every change."""

from __future__ import annotations

from destek.automation.cache import rules_for
from destek.automation.models import Rule


def test_rules_are_loaded_once_per_version(make_rule, workspace, django_assert_num_queries):
    make_rule("A")
    with django_assert_num_queries(1):
        assert [r.name for r in rules_for(workspace.pk, "ticket_created")] == ["A"]
    with django_assert_num_queries(0):
        assert [r.name for r in rules_for(workspace.pk, "ticket_created")] == ["A"]
        assert rules_for(workspace.pk, "status_changed") == ()


def test_save_and_delete_invalidate(make_rule, workspace):
    rule = make_rule("A")
    assert [r.name for r in rules_for(workspace.pk, "ticket_created")] == ["A"]
    rule.name = "B"
    rule.save()
    assert [r.name for r in rules_for(workspace.pk, "ticket_created")] == ["B"]
    rule.is_active = False
    rule.save()
    assert rules_for(workspace.pk, "ticket_created") == ()
    rule.is_active = True
    rule.save()
    rule.delete()
    assert rules_for(workspace.pk, "ticket_created") == ()


def test_only_active_rules_of_the_workspace_in_order(make_rule, workspace, other_workspace):
    make_rule("İkinci", position=2)
    make_rule("Birinci", position=1)
    make_rule("Başka", workspace=other_workspace)
    assert [r.name for r in rules_for(workspace.pk, "ticket_created")] == ["Birinci", "İkinci"]
    # The seeded examples exist but are disabled.
    assert Rule.objects.filter(workspace=workspace, is_active=False).count() == 3
