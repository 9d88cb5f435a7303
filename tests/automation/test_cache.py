"""The compiled rules cache: loaded once, forgotten on every change."""

from __future__ import annotations

from unittest import mock

from django.core.cache import cache

from destek.automation.cache import rules_for
from destek.automation.models import Rule
from destek.lib.memo import batch_scope


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


def test_an_ingest_batch_asks_the_cache_for_the_version_once(make_rule, workspace):
    make_rule("A")
    rules_for(workspace.pk, "ticket_created")  # loaded and cached
    reads = []
    get = cache.get

    def counting_get(key, *args, **kwargs):
        reads.append(key)
        return get(key, *args, **kwargs)

    with mock.patch.object(cache, "get", counting_get):
        with batch_scope():
            for _ in range(3):
                assert [r.name for r in rules_for(workspace.pk, "ticket_created")] == ["A"]
        assert len(reads) == 1
        # Outside a batch every call asks: a rule saved meanwhile counts at once.
        rules_for(workspace.pk, "ticket_created")
        assert len(reads) == 2
