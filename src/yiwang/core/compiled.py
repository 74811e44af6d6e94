"""Queries compiled once per process (预编译查询), for the paths every submission and status read runs.

Django writes the SQL of a queryset anew each time it runs it. On a hot path that costs more CPU
than the database spends answering: on the bench machine a narrow query cost 0.83 ms of client CPU
through the ORM and 0.16 ms as the same SQL sent directly. `Compiled` builds its queryset once, with
marker values where the caller's values go, keeps the SQL Django wrote, and then runs that SQL with
the caller's values and turns the rows into model instances the way Django's own iterator does
(field converters, `select_related`, `only`). `insert` does the same for INSERT.

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
from datetime import UTC, date, datetime
from typing import Any, Generic, TypeVar

from django.db import NotSupportedError, connections, models
from django.db.models import Model, QuerySet
from django.db.models.base import ModelState
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
    if _fast(model):
        seal = _sealed_attnames(model)
        for position in klass_info["select_fields"]:
            target = getattr(select[position][0], "target", None)
            if target is not None and target.attname in seal:
                yield position
    for related in klass_info.get("related_klass_infos", []):
        yield from _sealed_positions(related, select)


def _fast(model: type[Model]) -> bool:
    """Whether instances of `model` may be made without Model.__init__ (nothing listens to it)."""
    return not (pre_init.has_listeners(model) or post_init.has_listeners(model) or "__init__" in vars(model))


def _loader(model: type[Model]) -> Callable[[str, list[str], Sequence[Any]], Any]:
    if not _fast(model):
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


def new(model: type[M], **values: Any) -> M:
    """`model(**values)` for an instance about to be inserted, made as `Model.__init__` makes it from
    keywords: each concrete field from `values` (a relation by name or by attname) or its default.

    `Model.__init__` cost about 45 µs an instance on the bench machine, a tenth of a submission's
    Python work over its nine instances; most of that is generic (positional arguments, properties,
    signals). A model with an `__init__` of its own or an init signal receiver is made by
    `Model.__init__` as before.
    """
    if not _fast(model):
        return model(**values)
    obj = model.__new__(model)
    obj._state = ModelState()
    data = obj.__dict__
    for name, attname, setter, field in _new_fields(model):
        if setter is not None and name in values:  # a related object: its key and the cache
            setter(obj, values.pop(name))
        elif attname in values:
            data[attname] = values.pop(attname)
        else:
            data[attname] = field.get_default()
    if values:
        raise TypeError(f"{model.__name__}() got unexpected keyword arguments: {', '.join(values)}")
    return obj


@functools.cache
def _new_fields(model: type[Model]) -> list[tuple[str, str, Any, Any]]:
    """Per concrete field: name, attname, the relation descriptor's setter for a related object, and
    the field. Other values are stored directly, which is all their descriptors do when set (Django's
    DeferredAttribute, core.fields.SealedAttribute); a field with another descriptor is refused."""
    from django.db.models.query_utils import DeferredAttribute

    from yiwang.core.fields import SealedAttribute

    out = []
    for f in model._meta.concrete_fields:
        if f.generated:
            continue
        if not f.is_relation and f.descriptor_class not in (DeferredAttribute, SealedAttribute):
            raise TypeError(f"{model.__name__}.{f.name}: compiled.new does not know its descriptor")
        setter = getattr(model, f.name).__set__ if f.is_relation else None
        out.append((f.name, f.attname, setter, f))
    return out


Statement = tuple[str, list[Any]]


def insert(
    objs: Sequence[M],
    *,
    using: str = "default",
    along: Sequence[Statement] = (),
    computed: dict[str, Statement] | None = None,
) -> list[M]:
    """INSERT new instances of one model in one statement, setting their primary keys; the SQL for
    each (model, row count) is written once. Fields are prepared as `Model.save` prepares them.

    `along`: other writing statements (SQL, params) that go with the INSERT: on PostgreSQL in the
    same statement, as data-modifying WITHs, which saves a round trip each; elsewhere just before it.

    `computed`: attnames whose value the database works out, each an SQL expression with its params
    (one row only, where INSERT can return rows); the instance gets the values written.
    """
    if not objs:
        return []
    connection = connections[using]
    computed = computed or {}
    if computed and (len(objs) > 1 or not _returns(connection)):
        raise NotSupportedError("由数据库计算的字段只能用于单行、可返回结果的插入")
    sql, params = insert_statement(objs, using=using, computed=computed)
    cursor = kept_cursor(connection)
    if along and connection.vendor == "postgresql":
        sql = "WITH " + ", ".join(f"along{i} AS ({s})" for i, (s, _p) in enumerate(along)) + f" {sql}"
        params = [value for _s, p in along for value in p] + params
    else:
        for statement in along:
            cursor.execute(*statement)
    cursor.execute(sql, params)
    returned = cursor.fetchall() if _returns(connection) else None
    pk = objs[0]._meta.pk
    if returned is not None:
        for obj, row in zip(objs, returned, strict=True):
            setattr(obj, pk.attname, row[0])
            for name, value in zip(computed, row[1:], strict=True):
                setattr(obj, name, value)
    elif len(objs) == 1 and getattr(objs[0], pk.attname) is None:
        setattr(
            objs[0], pk.attname, connection.ops.last_insert_id(cursor, pk.model._meta.db_table, pk.column)
        )
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
    return list(objs)


def insert_statement(
    objs: Sequence[Model], *, using: str = "default", computed: dict[str, Statement] | None = None
) -> Statement:
    """The INSERT `insert` sends, not sent: to go `along` another. Its instances get no primary key."""
    model = type(objs[0])
    connection = connections[using]
    if len(objs) > 1 and not _returns(connection):
        raise NotSupportedError("一次插入多行需要 INSERT … RETURNING（PostgreSQL，或 SQLite 3.35 及以上）")
    computed = computed or {}
    columns = _columns(model, connection.alias)
    params: list[Any] = []
    add = params.append
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="insert")
        attributes = obj.__dict__
        for f, as_is in columns:
            if f.attname in computed:
                params.extend(computed[f.attname][1])
                continue
            value = attributes.get(f.attname, _UNSET) if as_is is not None else _UNSET
            if value is None or (value is not _UNSET and as_is(value)):  # type: ignore[misc]
                add(value)
            else:
                add(f.get_db_prep_save(f.pre_save(obj, True), connection=connection))
    expressions = tuple((name, sql) for name, (sql, _params) in computed.items())
    return _insert_sql(model, [f for f, _ in columns], len(objs), connection.alias, expressions), params


_INSERTS: dict[tuple[type[Model], str, int, tuple[tuple[str, str], ...]], str] = {}
_UNSET = object()


@functools.cache
def _columns(model: type[Model], alias: str) -> list[tuple[Any, Callable[[Any], bool] | None]]:
    """The columns an INSERT writes, each with a test for the values its field would send unchanged.

    Preparing a value through its field (pre_save, get_db_prep_save) cost 3-4 µs even where it
    changes nothing, and a submission writes some 140 of them. The test passes only values of the
    exact type the field returns as they are, for Django's own field classes (not subclasses, which
    may prepare differently) and never for fields that set their value on save (auto_now); every
    other value, and None, goes through the field as before.
    """
    connection = connections[alias]
    fields = [
        f
        for f in model._meta.local_concrete_fields
        if not f.generated and not (f.primary_key and f.db_returning)
    ]
    return [(f, _unchanged(f, connection)) for f in fields]


def _unchanged(field: Any, connection: Any) -> Callable[[Any], bool] | None:
    kind = type(field)
    if kind is models.ForeignKey:
        return _unchanged(field.target_field, connection)
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return None
    if kind in _TEXT_FIELDS:
        return _is(str)
    if kind in _INTEGER_FIELDS:
        return _is(int)
    if kind is models.BooleanField:
        return _is(bool)
    # The date, time and UUID types are sent as they are where the backend takes them natively.
    if kind is models.UUIDField and connection.features.has_native_uuid_field:
        return _is(uuid.UUID)
    sample_date = date(2000, 1, 2)
    if kind is models.DateField and connection.ops.adapt_datefield_value(sample_date) is sample_date:
        return _is(date)
    sample_time = datetime(2000, 1, 2, tzinfo=UTC)
    if kind is models.DateTimeField and connection.ops.adapt_datetimefield_value(sample_time) is sample_time:
        return _is_aware
    return None


def _is(kind: type) -> Callable[[Any], bool]:
    return lambda value: type(value) is kind


def _is_aware(value: Any) -> bool:
    return type(value) is datetime and value.utcoffset() is not None


_TEXT_FIELDS = {models.CharField, models.TextField, models.SlugField, models.EmailField}
_INTEGER_FIELDS = {
    models.IntegerField,
    models.SmallIntegerField,
    models.BigIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
    models.AutoField,
    models.BigAutoField,
}


def _returns(connection: Any) -> bool:
    return bool(connection.features.can_return_rows_from_bulk_insert)


def _insert_sql(
    model: type[Model], fields: list[Any], count: int, alias: str, computed: tuple[tuple[str, str], ...] = ()
) -> str:
    key = (model, alias, count, computed)
    sql = _INSERTS.get(key)
    if sql is None:
        connection = connections[alias]
        quote = connection.ops.quote_name
        expressions = dict(computed)
        row = (
            "("
            + ", ".join(f"({expressions[f.attname]})" if f.attname in expressions else "%s" for f in fields)
            + ")"
        )
        sql = (
            f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
            f"VALUES {', '.join([row] * count)}"
        )
        if _returns(connection):
            returning = [model._meta.pk.column] + [model._meta.get_field(name).column for name in expressions]
            sql += f" RETURNING {', '.join(quote(column) for column in returning)}"
        if len(_INSERTS) > 512:
            _INSERTS.clear()
        _INSERTS[key] = sql
    return sql


def remember_related(instance: Any, relation: str, rows: list[Any]) -> None:
    """Store rows already loaded (or just written) as the instance's prefetched relation, as
    prefetch_related would:
    `instance.<relation>.all()` then returns them without a query; filtering still queries."""
    queryset = getattr(instance, relation).all()
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[relation] = queryset
