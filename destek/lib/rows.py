"""Lean bulk writes for hot paths (the ingest batch, the report figures it refreshes): rows of
model instances inserted (on SQLite one ``executemany`` of a one-row INSERT, elsewhere one
multi-row ``INSERT … RETURNING``) and updated with one ``executemany``.

The ingest batch writes a few hundred rows of many columns; Django's compiler (``bulk_create``,
``bulk_update``) spent more on converting their values than the database spent on storing them.
Here each column gets its converter once per model: values that are already what the database
takes (str, int, bool, None, aware datetimes) skip the field's conversion chain; anything else
goes through the field's own ``get_db_prep_save``, so the stored values are the same.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from operator import attrgetter
from typing import TypeVar

from django.db import connection, models, transaction
from django.db.models import signals
from django.db.models.base import ModelState
from django.db.models.options import Options

M = TypeVar("M", bound=models.Model)

# Column types whose Python value (str, int, bool) is already what the database takes.
_PLAIN_TYPES = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "EmailField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
}
# Python values such a column takes as they are.
_PLAIN_VALUES = frozenset({str, int, bool, type(None)})
# The same for a whole row, and the types of text choices' members (``MessageKind.CUSTOMER``)
# learnt as rows bring them: a text column's conversion gives such a member back unchanged, so
# the driver gets what Django would hand it.
_PLAIN_ROW_VALUES: set[type] = set(_PLAIN_VALUES)

Converter = Callable[[object], object]


def new_row(model: type[M], **values: object) -> M:
    """``model(**values)`` for a row about to be bulk-inserted, without ``Model.__init__``'s
    per-field work (a tenth of the ingest batch's Python time went there): columns not given
    get their defaults, a related object given by name is set through its descriptor, as in
    ``__init__``. Models with ``pre_init``/``post_init`` receivers take ``__init__`` itself."""
    plan = _new_plan(model)
    if plan is None:
        return model(**values)
    row = model.__new__(model)
    row._state = ModelState()
    fields = row.__dict__
    fields.update(plan.constants)
    for attname, default in plan.calls:
        if attname not in values:  # a value given is not worked out first (timezone.now)
            fields[attname] = default()
    for name, value in values.items():
        if name in plan.attnames:
            fields[name] = value
        elif name in plan.keys:
            # A many-to-one to a primary key, set as its descriptor sets it on a new row.
            attname, target = plan.keys[name]
            if value is not None and not isinstance(value, target):
                raise ValueError(f"{model.__name__}.{name} must be a {target.__name__} instance")
            fields[attname] = None if value is None else value.pk
            row._state.fields_cache[name] = value
        elif name in plan.names:
            setattr(row, name, value)  # a related object: its id and the cached object
        else:
            raise TypeError(f"{model.__name__}() got an unexpected keyword argument {name!r}")
    return row


def copy_row(row: M) -> M:
    """``copy.copy(row)`` for a model instance: its values, and a cache of related objects of
    its own, as ``Model.__getstate__`` copies them, without the pickling protocol around it
    (the ingest batch copies a ticket twice for every reply)."""
    model = type(row)
    if model.__reduce__ is not _MODEL_REDUCE or model.__getstate__ is not _MODEL_GETSTATE:
        return copy(row)
    clone = row.__class__.__new__(row.__class__)
    values = row.__dict__.copy()
    state = values["_state"] = copy(values["_state"])
    state.fields_cache = state.fields_cache.copy()
    clone.__dict__ = values
    return clone


_MODEL_REDUCE, _MODEL_GETSTATE = models.Model.__reduce__, models.Model.__getstate__


@dataclass(frozen=True)
class _NewPlan:
    constants: dict[str, object]
    calls: list[tuple[str, Callable[[], object]]]
    attnames: frozenset[str]
    keys: dict[str, tuple[str, type]]  # many-to-one name: its id's attname, the target model
    names: frozenset[str]


@cache
def _new_plan(model: type[models.Model]) -> _NewPlan | None:
    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return None
    constants, calls = {}, []
    for column in model._meta.concrete_fields:
        if column.has_default() and callable(column.default):
            calls.append((column.attname, column.default))
        elif column.has_default() and not isinstance(column.default, _IMMUTABLE):
            calls.append((column.attname, column.get_default))  # a fresh copy per row
        else:
            constants[column.attname] = column.get_default()
    names = {column.name for column in model._meta.concrete_fields if column.is_relation}
    # Settable properties (``InboundEmail.raw``) go through setattr as in __init__.
    names |= {
        name
        for name in model._meta._property_names
        if getattr(getattr(model, name), "fset", None) is not None
    }
    keys = {
        column.name: (column.attname, column.remote_field.model._meta.concrete_model)
        for column in model._meta.concrete_fields
        if column.many_to_one and column.target_field.primary_key
    }
    return _NewPlan(
        constants,
        calls,
        frozenset(column.attname for column in model._meta.concrete_fields),
        keys,
        frozenset(names),
    )


_IMMUTABLE = (str, int, float, bool, bytes, type(None), datetime, Decimal)


def insert(rows: list) -> None:
    """``bulk_create`` (ids read back) for rows of one model."""
    if not rows:
        return
    meta = rows[0]._meta
    plan = _insert_plan(type(rows[0]), connection.vendor)
    read, related = plan.read, plan.related
    params = []
    for row in rows:
        related(row)
        params.append(read(row))
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(column.column) for column in plan.fields)
    marks = "(" + ", ".join(["%s"] * len(plan.fields)) + ")"
    if connection.vendor == "sqlite":
        ids = _insert_sqlite(rows, meta, f"INSERT INTO {table} ({columns}) VALUES {marks}", params)  # noqa: S608
    else:
        # One multi-row INSERT … RETURNING per chunk the driver takes.
        limit = connection.features.max_query_params or len(rows) * len(plan.fields)
        per_statement = max(1, limit // len(plan.fields))
        ids = []
        with connection.cursor() as cursor:
            for start in range(0, len(rows), per_statement):
                chunk = params[start : start + per_statement]
                sql = (
                    f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608
                    + ", ".join([marks] * len(chunk))
                    + f" RETURNING {quote(meta.pk.column)}"
                )
                cursor.execute(sql, [value for values in chunk for value in values])
                ids.extend(row[0] for row in cursor.fetchall())
    for row, pk in zip(rows, ids, strict=True):
        row.pk = pk
        row._state.adding = False
        row._state.db = connection.alias


def _insert_sqlite(rows: list, meta: Options, sql: str, params: list[list]) -> list:
    """The rows inserted by one executemany of a one-row INSERT, which SQLite prepares once
    (a multi-row INSERT … RETURNING is a new, long statement for every batch size). Their ids
    are the consecutive numbers up to the last one given: the transaction holds SQLite's
    write lock, and an AUTOINCREMENT key takes the next number after the largest ever used."""
    # In a transaction of its own when called outside one: in autocommit each row would be
    # its own transaction, and another process's row could come between.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.executemany(sql, params)
        if cursor.rowcount != len(rows):
            raise RuntimeError(f"{meta.db_table}: {cursor.rowcount} rows written of {len(rows)}")
        if not isinstance(meta.pk, models.AutoField):
            return [row.pk for row in rows]  # a given key (a one-to-one "ticket" key)
        cursor.execute("SELECT last_insert_rowid()")
        last = cursor.fetchone()[0]
    return list(range(last - len(rows) + 1, last + 1))


def update(rows: list, fields: list[str]) -> None:
    """``bulk_update`` as one executemany of plain ``UPDATE … WHERE pk`` statements."""
    if not rows:
        return
    meta = rows[0]._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column.column)} = %s" for column in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
    converters = [(column.attname, _converter(column, connection.vendor)) for column in columns]
    params = [
        [convert(getattr(row, attname)) for attname, convert in converters] + [row.pk]
        for row in rows
    ]
    # In one transaction when called outside one: in autocommit each row would be its own.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.executemany(sql, params)


@dataclass(frozen=True)
class _InsertPlan:
    fields: list[models.Field]  # in the order ``read`` gives their values
    read: Callable[[models.Model], list[object]]
    related: Callable[[models.Model], None]  # Model._prepare_related_fields_for_save


@cache
def _insert_plan(model: type[models.Model], vendor: str) -> _InsertPlan:
    """The model's columns and how to read a row's database values, in that order."""
    # The database numbers an automatic key; any other key (a one-to-one "ticket" key) is given.
    columns = [
        column
        for column in model._meta.local_concrete_fields
        if not (column.primary_key and isinstance(column, models.AutoField))
    ]
    # Columns whose value is read as it is (str, int, bool, None need no conversion) come
    # first, in one attrgetter call per row; then moments; then fields that fill their value
    # on save (files, auto_now), as Django saves them.
    plain, moments, filled = [], [], []
    for column in columns:
        if getattr(column, "auto_now", False) or getattr(column, "auto_now_add", False):
            filled.append(column)
        elif column.get_internal_type() in _PLAIN_TYPES:
            plain.append(column)
        elif isinstance(column, models.DateTimeField):
            moments.append(column)
        else:
            filled.append(column)
    read_plain = _getter([column.attname for column in plain])
    plain_converters = [_converter(column, vendor) for column in plain]
    read_moments = _getter([column.attname for column in moments])
    moment_converters = [_converter(column, vendor) for column in moments]
    read_filled = [(column, _converter(column, vendor)) for column in filled]

    def read(row: models.Model) -> list[object]:
        values = read_plain(row)
        if not _PLAIN_ROW_VALUES.issuperset(map(type, values)):
            converted = [convert(v) for convert, v in zip(plain_converters, values, strict=True)]
            _PLAIN_ROW_VALUES.update(
                type(v)
                for v, c in zip(values, converted, strict=True)
                if isinstance(v, Enum) and isinstance(v, str) and v is c
            )
            values = converted
        values = list(values)
        values += [
            convert(v) for convert, v in zip(moment_converters, read_moments(row), strict=True)
        ]
        values += [convert(column.pre_save(row, add=True)) for column, convert in read_filled]
        return values

    return _InsertPlan([*plain, *moments, *filled], read, _related_check(model))


def _related_check(model: type[models.Model]) -> Callable[[models.Model], None]:
    """``Model._prepare_related_fields_for_save`` for a row about to be inserted, looking only
    at the relations whose object the row holds, where Django walks every column of every row.
    A related object not saved yet, or a model with generic relations, takes Django's own."""
    meta = model._meta
    relations = [
        (column.name, column.attname, column.target_field.attname, column)
        for column in meta.concrete_fields
        if column.is_relation
    ]
    if meta.private_fields:

        def django(row: models.Model) -> None:
            row._prepare_related_fields_for_save(operation_name="bulk_create")

        return django

    def check(row: models.Model) -> None:
        cache = row._state.fields_cache
        if not cache:
            return
        values = row.__dict__
        for name, attname, target_attname, column in relations:
            related = cache.get(name)
            if related is None:
                continue
            if related.pk is None:
                row._prepare_related_fields_for_save(operation_name="bulk_create")  # raises
                continue
            if values[attname] in column.empty_values:
                setattr(row, name, related)
            if getattr(related, target_attname) != values[attname]:
                column.delete_cached_value(row)

    return check


def _getter(attnames: list[str]) -> Callable[[models.Model], tuple]:
    """The row's values of these attributes, as a tuple."""
    if not attnames:
        return lambda row: ()
    if len(attnames) == 1:
        name = attnames[0]
        return lambda row: (getattr(row, name),)
    return attrgetter(*attnames)


# The last moment turned into text and its text: a row's moments are mostly one datetime
# (created, updated and last activity all "now"), converted one after the other.
_last_utc_text: tuple[datetime | None, str] = (None, "")


def _utc_text(value: datetime) -> str:
    global _last_utc_text
    last, text = _last_utc_text  # one tuple: another thread sees both or neither
    if value is not last:
        text = value.isoformat(" ")[:-6]  # str() of the naive datetime: less its "+00:00"
        _last_utc_text = (value, text)
    return text


@cache
def _converter(column: models.Field, vendor: str) -> Converter:
    def prepared(value: object) -> object:
        return column.get_db_prep_save(value, connection)

    if column.get_internal_type() in _PLAIN_TYPES:

        def plain(value: object) -> object:
            if type(value) in _PLAIN_VALUES:
                return value
            return prepared(value)

        return plain
    if isinstance(column, models.JSONField) and vendor == "sqlite" and column.encoder is None:
        # A list or dict (envelope and outbox addresses): the text the backend's
        # adapt_json_value gives, without the field's chain of checks around it.
        def json_text(value: object) -> object:
            if type(value) in (list, dict):
                return json.dumps(value)
            return prepared(value)

        return json_text
    if isinstance(column, models.DateTimeField):
        # SQLite stores a moment as its naive UTC text; for UTC (timezone.now()) that is the
        # text without the zone, what adapt_datetimefield_value gives after its checks.
        utc_text = vendor == "sqlite" and connection.timezone == UTC

        def moment(value: object) -> object:
            # An aware datetime is already valid for the field: only the backend's adaptation.
            if value is None:
                return None
            if type(value) is datetime and value.tzinfo is not None:
                if utc_text and value.tzinfo is UTC:
                    return _utc_text(value)
                return connection.ops.adapt_datetimefield_value(value)
            return prepared(value)

        return moment
    return prepared
