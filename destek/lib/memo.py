"""Per-batch memory for workspace-level lookups on hot paths (mail ingestion).

Inside ``with batch_scope():`` a function decorated with :func:`batch_memoized` computes each
result once per argument tuple; outside a scope it simply runs every time. A scope lives as long
as one batch of work (one ingest batch, one fetch), so a settings change made meanwhile by an
admin in another process is seen by the next batch — no cross-process invalidation needed.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_store: ContextVar[dict[tuple[Hashable, ...], object] | None] = ContextVar(
    "destek_batch_memo", default=None
)


@contextmanager
def batch_scope() -> Iterator[None]:
    """Remember memoized lookups until the block ends (nested scopes share the outer one)."""
    if _store.get() is not None:
        yield
        return
    token = _store.set({})
    try:
        yield
    finally:
        _store.reset(token)


def batch_memoized(function: Callable[P, R]) -> Callable[P, R]:
    """Cache ``function``'s result per positional arguments while a batch scope is open.

    Only for lookups whose arguments are hashable ids and whose results callers don't mutate.
    """

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        store = _store.get()
        if store is None or kwargs:
            return function(*args, **kwargs)
        key = (function.__module__, function.__qualname__, *args)
        if key not in store:
            store[key] = function(*args)
        return store[key]  # type: ignore[return-value]

    return wrapper


def forget(function: Callable[..., object], *args: Hashable) -> None:
    """Drop one remembered result (after the batch itself changed what it depends on)."""
    store = _store.get()
    if store is not None:
        store.pop((function.__module__, function.__qualname__, *args), None)


def remember(function: Callable[..., object], value: object, *args: Hashable) -> None:
    """Store a result read in bulk beforehand (by code that knows the whole batch), so that
    ``function(*args)`` doesn't query again while the scope is open."""
    store = _store.get()
    if store is not None:
        store[(function.__module__, function.__qualname__, *args)] = value
