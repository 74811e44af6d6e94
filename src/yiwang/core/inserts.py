"""Writing new rows fast (快速写入): instances made without `Model.__init__`, INSERTs whose SQL is
written once per shape, and fields sent as they are where preparing them would change nothing.

A submission writes an application, its materials, its cases and their events; through the ORM
that cost more client CPU than PostgreSQL spent storing them. The instances these functions make
and write are ordinary model instances afterwards.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, NotSupportedError, connections, models
from django.db.models import Model
from django.db.models.base import ModelState

from yiwang.core.compiled import init_skippable, kept_cursor

M = TypeVar("M", bound=Model)


def new(model: type[M], **values: Any) -> M:
    """`model(**values)` for an instance about to be inserted, made as `Model.__init__` makes it from
    keywords: each concrete field from `values` (a relation by name or by attname) or its default.

    `Model.__init__` cost about 45 µs an instance on the bench machine, a tenth of a submission's
    Python work over its nine instances; most of that is generic (positional arguments, properties,
    signals). A model with an `__init__` of its own or an init signal receiver is made by
    `Model.__init__` as before.
    """
    if not init_skippable(model):
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
            raise TypeError(f"{model.__name__}.{f.name}: inserts.new does not know its descriptor")
        setter = _relation_setter(f, getattr(model, f.name).__set__) if f.is_relation else None
        out.append((f.name, f.attname, setter, f))
    return out


def _relation_setter(field: Any, descriptor_set: Callable[[Any, Any], None]) -> Callable[[Any, Any], None]:
    """What the relation's descriptor does when set, for a plain foreign key to an instance of exactly
    its model (or None) on one database: the key and the cached instance. The descriptor's further
    work is for routers and one-to-one back references; anything else still goes through it."""
    if type(field) is not models.ForeignKey or settings.DATABASE_ROUTERS:
        return descriptor_set
    related = field.remote_field.model._meta.concrete_model
    attname, target, cache_name = field.attname, field.target_field.attname, field.cache_name

    def set_related(obj: Any, value: Any) -> None:
        if value is None:
            obj.__dict__[attname] = None
        elif type(value) is related:
            state, other = obj._state, value._state
            if state.db is None:  # as the descriptor asks the router when there is none
                state.db = other.db or DEFAULT_DB_ALIAS
            if other.db is None:
                other.db = state.db
            obj.__dict__[attname] = getattr(value, target)
        else:
            descriptor_set(obj, value)
            return
        obj._state.fields_cache[cache_name] = value

    return set_related


Statement = tuple[str, list[Any]]

COMPUTED_ONE_ROW = "由数据库计算的字段只能用于单行、可返回结果的插入"


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
        raise NotSupportedError(COMPUTED_ONE_ROW)
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
            add(_db_value(obj, attributes, f, as_is, connection))
    expressions = tuple((name, sql) for name, (sql, _params) in computed.items())
    return _insert_sql(model, [f for f, _ in columns], len(objs), connection.alias, expressions), params


_INSERTS: dict[tuple[type[Model], str, int, tuple[tuple[str, str], ...]], str] = {}
_UNSET = object()


def _db_value(obj: Model, attributes: dict[str, Any], f: Any, as_is: Any, connection: Any) -> Any:
    """The field's value as Model.save sends it; taken as it is where preparing it would change nothing."""
    value = attributes.get(f.attname, _UNSET) if as_is is not None else _UNSET
    if value is None or (value is not _UNSET and as_is(value)):
        return value
    return f.get_db_prep_save(f.pre_save(obj, True), connection=connection)


@functools.cache
def _columns(model: type[Model], alias: str) -> list[tuple[Any, Callable[[Any], bool] | None]]:
    """The columns an INSERT writes, each with a test for the values its field would send unchanged.

    Preparing a value through its field (pre_save, get_db_prep_save) cost 3-4 µs even where it
    changes nothing, and a submission writes some 140 of them. The test passes only values of the
    exact type the field returns as they are (for text, any str: Django's text fields return a
    TextChoices member as it is), for Django's own field classes (not subclasses, which may prepare
    differently) and never for fields that set their value on save (auto_now); every other value,
    and None, goes through the field as before.
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
        return _is_text
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


def _is_text(value: Any) -> bool:
    # A str subclass too (a TextChoices member): Django's text fields send those as they are.
    return isinstance(value, str)


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


@dataclass(frozen=True, eq=False)
class Written:
    """A value to INSERT that is read from a row written before it by the same `insert_together`:
    column `attname` of `obj` (a number the database drew, say), with `suffix` appended."""

    obj: Model
    attname: str
    suffix: str = ""


WRITTEN_LATER = "Written 只能读取同一次 insert_together 中先前各组的行"


FIRST_KEY = "{first_key}"


def insert_together(
    groups: Sequence[Sequence[Model]],
    *,
    using: str = "default",
    computed: dict[str, Statement] | None = None,
    then: Statement | None = None,
) -> tuple[Any, ...] | None:
    """INSERT each group's instances (one model a group) in order, where rows point at rows of
    earlier groups that have no key yet: by a foreign key set to such an instance (`new(CaseEvent,
    case=case)` before the case is written) or by a `Written` value.

    On PostgreSQL every group goes in one statement, each INSERT a data-modifying WITH whose
    returned keys the later ones read: a round trip per group fewer. Elsewhere one `insert` a group.
    `computed` is the first group's, as with `insert` (one row). Afterwards every instance holds its
    key, its foreign keys and the values the database worked out.

    `then`: a SELECT of at most one row sent in the same statement on PostgreSQL (a lock to take
    once the rows are in, say), where `{first_key}` stands for the first group's first key; its row
    is returned, all None when it found none. Like every part of one statement it sees the tables
    as they were before the statement. Elsewhere it is not run and None is returned.
    """
    groups = [list(objs) for objs in groups if objs]
    if not groups:
        return None
    connection = connections[using]
    if connection.vendor != "postgresql":
        written: set[int] = set()
        for index, objs in enumerate(groups):
            for obj in objs:
                _fill_written(obj, written)
            insert(objs, using=using, computed=computed if index == 0 else None)
            written.update(id(obj) for obj in objs)
        return None
    if computed and len(groups[0]) > 1:
        raise NotSupportedError(COMPUTED_ONE_ROW)
    place: dict[int, tuple[int, int]] = {}  # id(instance) → (group, position)
    links: list[tuple[Model, str, Model]] = []
    shape: list[tuple[type[Model], tuple[tuple[tuple[int, int, str, bool], ...], ...]]] = []
    params: list[Any] = []
    for group, objs in enumerate(groups):
        model = type(objs[0])
        columns = _columns(model, using)
        own = (computed or {}) if group == 0 else {}
        rows = []
        for position, obj in enumerate(objs):
            pointing = _pointing(obj, place, group)
            attributes = obj.__dict__
            reads = []  # (column index, source group, source column, suffixed) of the values read
            for index, (f, as_is) in enumerate(columns):
                name = f.attname
                target = pointing.get(name)
                value = (
                    Written(target, target._meta.pk.attname) if target is not None else attributes.get(name)
                )
                if name in own:
                    params.extend(own[name][1])
                elif type(value) is Written:
                    source, source_position = _source(value, place, group)
                    column = value.obj._meta.get_field(value.attname).column
                    reads.append((index, source, column, bool(value.suffix)))
                    params.append(source_position)
                    if value.suffix:
                        params.append(value.suffix)
                else:
                    params.append(_db_value(obj, attributes, f, as_is, connection))
            links.extend((obj, name, target) for name, target in pointing.items())
            rows.append(tuple(reads))
            place[id(obj)] = (group, position)
        shape.append((model, tuple(rows)))
    expressions = tuple((name, sql) for name, (sql, _params) in (computed or {}).items())
    if then is not None:
        params.extend(then[1])
    cursor = kept_cursor(connection)
    cursor.execute(_together_sql(tuple(shape), expressions, then[0] if then else None, using), params)
    row = cursor.fetchone()
    read = len(groups) + len(expressions)
    for objs, keys in zip(groups, row[: len(groups)], strict=True):
        for obj, key in zip(objs, keys, strict=True):
            setattr(obj, obj._meta.pk.attname, key)
            obj._state.adding = False
            obj._state.db = using
    for name, value in zip(computed or {}, row[len(groups) : read], strict=True):
        setattr(groups[0][0], name, value)
    for obj, name, target in links:
        obj.__dict__[name] = target.pk  # not through the attribute, which would drop the cached target
    everything = set(place)
    for objs in groups:
        for obj in objs:
            _fill_written(obj, everything)
    return tuple(row[read:]) if then is not None else None


def _pointing(obj: Model, place: dict[int, tuple[int, int]], group: int) -> dict[str, Model]:
    """The foreign keys of `obj` set to instances of earlier groups, by attname. Other related
    instances are checked as Model.save checks them (an unsaved one is refused)."""
    out: dict[str, Model] = {}
    for field in _relations(type(obj)):
        target = field.get_cached_value(obj, default=None)
        if target is None:
            continue
        where = place.get(id(target))
        if where is not None and where[0] < group:
            out[field.attname] = target
        elif target.pk is None:
            raise ValueError(
                f"save() prohibited to prevent data loss due to unsaved related object '{field.name}'."
            )
        elif getattr(obj, field.attname) in field.empty_values:
            setattr(obj, field.name, target)  # written since it was set: its key now
    return out


@functools.cache
def _relations(model: type[Model]) -> list[Any]:
    return [f for f in model._meta.concrete_fields if f.is_relation]


def _source(value: Written, place: dict[int, tuple[int, int]], group: int) -> tuple[int, int]:
    where = place.get(id(value.obj))
    if where is None or where[0] >= group:
        raise ValueError(WRITTEN_LATER)
    return where


@functools.lru_cache(maxsize=256)
def _together_sql(
    shape: tuple[tuple[type[Model], tuple[tuple[tuple[int, int, str, bool], ...], ...]], ...],
    computed: tuple[tuple[str, str], ...],
    then: str | None,
    alias: str,
) -> str:
    """The statement of `insert_together` for one shape of rows: written once, as a submission of one
    item (or of one bundle) always has the same shape."""
    # A row reads an earlier one by its position in that group's RETURNING, and keys come back in
    # that order too: PostgreSQL returns an INSERT's rows in the order of its VALUES, which Django's
    # bulk_create relies on as well.
    quote = connections[alias].ops.quote_name
    expressions = dict(computed)
    read_back: list[dict[str, None]] = [{} for _ in shape]  # per group: the columns later rows read
    withs = []
    for group, (model, rows) in enumerate(shape):
        fields = [f for f, _ in _columns(model, alias)]
        values = []
        for reads in rows:
            row = [
                f"({expressions[f.attname]})" if group == 0 and f.attname in expressions else "%s"
                for f in fields
            ]
            for index, source, column, suffixed in reads:
                read_back[source][column] = None
                row[index] = f"(SELECT {quote(column)} FROM w{source} OFFSET %s LIMIT 1)" + (
                    " || %s" if suffixed else ""
                )
            values.append(f"({', '.join(row)})")
        withs.append((model, fields, values))
    parts, select = [], []
    for group, (model, fields, values) in enumerate(withs):
        pk = model._meta.pk.column
        returning = dict.fromkeys([pk, *read_back[group]])
        if group == 0:
            returning.update(dict.fromkeys(model._meta.get_field(name).column for name in expressions))
        parts.append(
            f"w{group} AS (INSERT INTO {quote(model._meta.db_table)} "
            f"({', '.join(quote(f.column) for f in fields)}) VALUES {', '.join(values)} "
            f"RETURNING {', '.join(quote(c) for c in returning)})"
        )
        select.append(f"ARRAY(SELECT {quote(pk)} FROM w{group})")
    first = shape[0][0]
    select += [f"(SELECT {quote(first._meta.get_field(name).column)} FROM w0)" for name in expressions]
    if then is None:
        return f"WITH {', '.join(parts)} SELECT {', '.join(select)}"
    # Joined, not a subquery: PostgreSQL takes a row lock (FOR UPDATE) in a WITH query, not in an
    # expression; the join keeps the statement's one row when `then` finds none.
    first_key = f"(SELECT {quote(first._meta.pk.column)} FROM w0 LIMIT 1)"
    parts.append(f"then_ AS MATERIALIZED ({then.replace(FIRST_KEY, first_key)})")
    select.append("then_.*")
    return (
        f"WITH {', '.join(parts)} SELECT {', '.join(select)} FROM (SELECT 1) AS one_ LEFT JOIN then_ ON TRUE"
    )


def _fill_written(obj: Model, written: set[int]) -> None:
    """Replace the instance's Written values by what they read, from instances in `written`."""
    attributes = obj.__dict__
    for name, value in list(attributes.items()):
        if type(value) is Written:
            if id(value.obj) not in written:
                raise ValueError(WRITTEN_LATER)
            read = getattr(value.obj, value.attname)
            attributes[name] = f"{read}{value.suffix}" if value.suffix else read
