"""Queries compiled once per process (预编译查询), for the paths every submission and status read runs.

Django writes the SQL of a queryset anew each time it runs it. On a hot path that costs more CPU
than the database spends answering: on the bench machine a narrow query cost 0.83 ms of client CPU
through the ORM and 0.16 ms as the same SQL sent directly. `Compiled` builds its queryset once, with
marker values where the caller's values go, keeps the SQL Django wrote, and then runs that SQL with
the caller's values and turns the rows into model instances the way Django's own iterator does
(field converters, `select_related`, `only`). `core.inserts` does the same for INSERT.

The instances are made as `Model.from_db` makes them, minus `Model.__init__`: its field-by-field
setattr and its two signals cost five times the instance's own making, and a model nothing listens
to (pre_init / post_init) gets from them only what `_loaded` sets directly.

What a compiled query cannot do is refused when it is first compiled, never answered wrongly: a value
the ORM transformed on its way to SQL (a blind index, say) must be passed already transformed, and
`__in` lists and prefetches are left to the ORM.
"""

from __future__ import annotations

import functools
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ReverseManyToOneDescriptor
from django.db.models.query import get_related_populators
from django.db.models.signals import post_init, pre_init

from yiwang.core.fields import EncryptedField, EncryptedJSONField, Sealed

M = TypeVar("M", bound=Model)

_MARKER_TEXT = "\x1fyiwang-compiled-{}\x1f"
_MARKER_INT = 1_987_654_300
_MARKER_TIME = datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC)


def _marker(kind: type, index: int) -> Any:
    """A value of the parameter's type that no real query uses, so it can be found in the compiled params."""
    if kind is str:
        return _MARKER_TEXT.format(index)
    if kind is int:
        return _MARKER_INT + index
    if kind is datetime:
        return _MARKER_TIME.replace(microsecond=index + 1)
    if kind is uuid.UUID:
        return uuid.UUID(int=0x1F_0000 + index)
    raise TypeError(f"a compiled query cannot take a {kind.__name__} parameter")


def _forms(marker: Any, connection: Any) -> list[tuple[Any, Callable[[Any], Any]]]:
    """The forms a marker can take in compiled params, each with the same change for real values:
    as given, or as the backend adapts it (SQLite keeps datetimes as text and UUIDs as hex)."""
    forms: list[tuple[Any, Callable[[Any], Any]]] = [(marker, _same)]
    if isinstance(marker, datetime):
        adapt = connection.ops.adapt_datetimefield_value
        forms.append((adapt(marker), adapt))
    elif isinstance(marker, uuid.UUID):
        forms.append((marker.hex, _hex))
    return forms


def _same(value: Any) -> Any:
    return value


def _hex(value: Any) -> str:
    return uuid.UUID(str(value)).hex


class _Plan:
    """One compiled form of the query, for one database alias."""

    def __init__(self, queryset: QuerySet[Any], markers: list[Any]) -> None:
        if queryset._prefetch_related_lookups:
            raise TypeError("a compiled query cannot prefetch: use the ORM")
        compiler = queryset.query.get_compiler(using=queryset.db)
        self.sql, params = compiler.as_sql()
        forms = [_forms(m, compiler.connection) for m in markers]
        # Each param is a constant of the query or the caller's value number i, changed as its marker was.
        self.slots: list[tuple[int, Callable[[Any], Any]] | None] = []
        self.constants: list[Any] = []
        for value in params:
            slot = next(
                (
                    (i, change)
                    for i, options in enumerate(forms)
                    for form, change in options
                    if type(value) is type(form) and value == form
                ),
                None,
            )
            self.slots.append(slot)
            self.constants.append(value if slot is None else None)
        used = {slot[0] for slot in self.slots if slot is not None}
        for index, marker in enumerate(markers):
            if index not in used:
                raise ValueError(
                    f"parameter {index} of a compiled query was changed on its way to SQL "
                    f"({marker!r} not in {params!r}): pass the value the column holds"
                )
        self.compiler = compiler
        self.db = queryset.db
        klass_info = compiler.klass_info
        self.model = klass_info["model"]
        select_fields = klass_info["select_fields"]
        self.start, self.end = select_fields[0], select_fields[-1] + 1
        self.init_list = [f[0].target.attname for f in compiler.select[self.start : self.end]]
        self.load = _loader(self.model)
        self.related_populators = get_related_populators(klass_info, compiler.select, queryset.db)
        _load_related_fast(self.related_populators)
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        self.converters = compiler.get_converters(fields)
        for position in _sealed_positions(klass_info, compiler.select):
            self.converters.pop(position, None)  # opened on first read (core.fields.SealedAttribute)
        self.trim = compiler.col_count if compiler.has_extra_select else None
        # Annotations become attributes of the instance, as with the ORM's iterator.
        self.annotations = list(compiler.annotation_col_map.items())

    def params(self, values: Sequence[Any]) -> list[Any]:
        return [
            constant if slot is None else slot[1](values[slot[0]])
            for slot, constant in zip(self.slots, self.constants, strict=True)
        ]

    def run(self, values: Sequence[Any]) -> list[Any]:
        cursor = kept_cursor(connections[self.db])
        cursor.execute(self.sql, self.params(values))
        rows: Any = cursor.fetchall()
        if self.trim is not None:
            rows = [r[: self.trim] for r in rows]
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        out = []
        for row in rows:
            obj = self.load(self.db, self.init_list, row[self.start : self.end])
            for populator in self.related_populators:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            out.append(obj)
        return out


def kept_cursor(connection: Any) -> Any:
    """A cursor on `connection` as `connection.cursor()` gives it (wrapped, so queries are counted and
    logged as usual), over one database cursor kept for as long as the connection is the same.

    Making the database cursor cost about 40 µs a statement, a tenth of a status read's two; a
    compiled statement needs nothing a fresh one has (its last rows are replaced by the next call).
    The kept cursor is never closed by its users: psycopg closes it with its connection.
    """
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = connection.__dict__.get("_kept_cursor")
    if raw is None or getattr(raw, "closed", False) or raw.connection is not connection.connection:
        with connection.wrap_database_errors:
            raw = connection.__dict__["_kept_cursor"] = connection.create_cursor()
    return connection._prepare_cursor(raw)


def _loaded(model: type[Model], db: str, attnames: list[str], values: Sequence[Any]) -> Any:
    """An instance as loaded from `db`: what Model.from_db gives when no signal receiver is involved
    (the columns not selected stay deferred and load on access, as with `only`).

    Encrypted columns come still sealed (see _sealed_positions), to be opened when first read
    (core.fields.SealedAttribute): every API call decrypted its caller's ID and mobile numbers, and a
    status read never shows them; a bundle's read decrypted its application's form once per case.
    """
    obj = model.__new__(model)
    seal = _sealed_attnames(model)
    if seal:
        values = [Sealed(v) if v and a in seal else v for a, v in zip(attnames, values, strict=True)]
    obj.__dict__.update(zip(attnames, values, strict=True))
    state = obj._state = ModelState()
    state.adding = False
    state.db = db
    return obj


def copy_loaded(instance: M) -> M:
    """A copy of a loaded instance and of the related instances loaded with it (select_related), to
    hand a kept row to a caller who may change it; values themselves (a JSON dict) are shared."""
    obj = type(instance).__new__(type(instance))
    obj.__dict__.update(instance.__dict__)
    state = obj._state = ModelState()
    state.adding, state.db = instance._state.adding, instance._state.db
    state.fields_cache = {
        name: copy_loaded(related) if isinstance(related, Model) else related
        for name, related in instance._state.fields_cache.items()
    }
    return obj


@functools.cache
def _sealed_attnames(model: type[Model]) -> frozenset[str]:
    return frozenset(
        f.attname for f in model._meta.concrete_fields if isinstance(f, (EncryptedField, EncryptedJSONField))
    )


def _sealed_positions(klass_info: dict[str, Any], select: list[Any]) -> Iterator[int]:
    """Positions of the encrypted columns of the instances `_loaded` makes: their converter (which
    decrypts) is skipped, and the instance opens the value when it is first read."""
    model = klass_info["model"]
    if init_skippable(model):
        seal = _sealed_attnames(model)
        for position in klass_info["select_fields"]:
            target = getattr(select[position][0], "target", None)
            if target is not None and target.attname in seal:
                yield position
    for related in klass_info.get("related_klass_infos", []):
        yield from _sealed_positions(related, select)


def init_skippable(model: type[Model]) -> bool:
    """Whether instances of `model` may be made without Model.__init__ (nothing listens to it)."""
    return not (pre_init.has_listeners(model) or post_init.has_listeners(model) or "__init__" in vars(model))


def _loader(model: type[Model]) -> Callable[[str, list[str], Sequence[Any]], Any]:
    if not init_skippable(model):
        return model.from_db
    return lambda db, attnames, values: _loaded(model, db, attnames, values)


class _FastModel:
    """Stands in for the model class of a `select_related` populator, which only calls its from_db."""

    def __init__(self, model: type[Model]) -> None:
        self.from_db = _loader(model)


def _load_related_fast(populators: list[Any]) -> None:
    for populator in populators:
        populator.model_cls = _FastModel(populator.model_cls)
        _load_related_fast(populator.related_populators)


class Compiled(Generic[M]):
    """A queryset built by `build(*values)`, compiled once per database alias and run with new values.

        by_number = Compiled(lambda number: Application.objects.filter(number=number)[:1], str)
        by_number.first("330100…")

    `types` are the types of build's parameters (str, int, datetime, uuid.UUID).
    """

    def __init__(self, build: Callable[..., QuerySet[M]], *types: type) -> None:
        self.build = build
        self.types = types
        self._plans: dict[str, _Plan] = {}
        self._lock = threading.Lock()

    def _plan(self, using: str | None) -> _Plan:
        markers = [_marker(kind, i) for i, kind in enumerate(self.types)]
        queryset = self.build(*markers)
        alias = using or queryset.db
        plan = self._plans.get(alias)
        if plan is None:
            with self._lock:
                plan = self._plans.get(alias)
                if plan is None:
                    plan = self._plans[alias] = _Plan(queryset.using(alias), markers)
        return plan

    def all(self, *values: Any, using: str | None = None) -> list[M]:
        if len(values) != len(self.types):
            raise TypeError(f"expected {len(self.types)} values, got {len(values)}")
        plan = self._plans.get(using or "default") or self._plan(using)
        return plan.run(values)

    def first(self, *values: Any, using: str | None = None) -> M | None:
        rows = self.all(*values, using=using)
        return rows[0] if rows else None


def remember_related(instance: Any, relation: str, rows: list[Any]) -> None:
    """Store rows already loaded (or just written) as the instance's prefetched relation, as
    prefetch_related would:
    `instance.<relation>.all()` then returns them without a query; filtering still queries."""
    descriptor = getattr(type(instance), relation)
    if type(descriptor) is ReverseManyToOneDescriptor:
        queryset = _reverse_queryset(instance, descriptor.field)
    else:
        queryset = getattr(instance, relation).all()
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[relation] = queryset


def _reverse_queryset(instance: Any, field: Any) -> QuerySet[Any]:
    """The queryset the related manager makes for `instance.<relation>.all()`, its filter left for when a
    query needs it, as the manager leaves it: making the manager and cloning its queryset cost ten
    times this, and an application read made two."""
    queryset = field.model._default_manager.get_queryset()
    queryset._add_hints(instance=instance)
    queryset._deferred_filter = (False, (), {field.name: instance})
    queryset._known_related_objects = {field: {getattr(instance, field.target_field.attname): instance}}
    return queryset
