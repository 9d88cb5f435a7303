"""Each workspace's active rules, compiled, kept in the cache under a version counter.

Rules are checked on every ingested mail, so the common case — a workspace with no rule for
the event — must cost no database query: the compiled rules of all triggers are loaded with one
query, stored under ``(workspace, version)``, and a save or delete bumps the version. Old
versions are never read again and simply expire.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

from destek.automation.compiled import CompiledRule, compile_rule
from destek.lib.memo import batch_memoized

RULES_TIMEOUT = 24 * 3600
_LOCAL_SIZE = 256
# This process's last unpickled copies, keyed by (workspace, version): the cache round trip for
# the version stays, the unpickling of the same rules on every mail goes.
_local: dict[tuple[int, str], dict[str, tuple[CompiledRule, ...]]] = {}


def _version_key(workspace_id: int) -> str:
    return f"automation:version:{workspace_id}"


def _new_version() -> str:
    # Time-based, so a version key that was evicted can never come back as an older number
    # whose compiled rules are still cached.
    return str(time.time_ns())


def _bump(workspace_id: int) -> None:
    cache.set(_version_key(workspace_id), _new_version(), timeout=None)


def invalidate(workspace_id: int) -> None:
    """Forget the compiled rules now and again when the transaction commits, so nobody caches
    the rows as they were before the commit under the new version."""
    _bump(workspace_id)
    transaction.on_commit(lambda: _bump(workspace_id))


def _load(workspace_id: int) -> dict[str, tuple[CompiledRule, ...]]:
    from destek.automation.models import Rule

    by_trigger: dict[str, list[CompiledRule]] = {}
    rows = Rule.objects.filter(workspace_id=workspace_id, is_active=True).order_by("position", "pk")
    for rule in rows.only("pk", "name", "trigger", "match", "conditions", "actions"):
        compiled = compile_rule(
            pk=rule.pk,
            name=rule.name,
            match=rule.match,
            conditions=rule.conditions,
            actions=rule.actions,
        )
        by_trigger.setdefault(rule.trigger, []).append(compiled)
    return {trigger: tuple(rules) for trigger, rules in by_trigger.items()}


@batch_memoized
def _current_version(workspace_id: int) -> str:
    # Read once per ingest batch: a cache round trip per mail was a tenth of an import's time
    # with Redis (bench/README.md). The batch's mails are checked against the rules as they
    # stood when its first one was.
    version = cache.get(_version_key(workspace_id))
    if version is None:
        version = _new_version()
        cache.add(_version_key(workspace_id), version, timeout=None)
        version = cache.get(_version_key(workspace_id), version)
    return version


def rules_for(workspace_id: int, trigger: str) -> tuple[CompiledRule, ...]:
    """The workspace's active rules for ``trigger`` in order; no query once cached."""
    version = _current_version(workspace_id)
    key = (workspace_id, version)
    compiled = _local.get(key)
    if compiled is None:
        rules_key = f"automation:rules:{workspace_id}:{version}"
        compiled = cache.get(rules_key)
        if compiled is None:
            compiled = _load(workspace_id)
            cache.set(rules_key, compiled, timeout=RULES_TIMEOUT)
        if len(_local) >= _LOCAL_SIZE:
            _local.clear()  # old versions pile up here; clearing is atomic, so thread-safe
        _local[key] = compiled
    return compiled.get(trigger, ())
