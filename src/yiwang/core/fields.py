"""Model fields for personal identifiers stored encrypted, looked up through a blind index.

    id_number = EncryptedField("公民身份号码", ...)
    id_number_index = BlindIndexField(source="id_number", unique=True)

In Python the field holds the clear value; the database holds only SM4 ciphertext and the index.
`filter(id_number=x)`, `id_number__in=[…]` and `__isnull` keep working (answered by the index
column); lookups that would need the clear value in SQL (contains, startswith, ordering by value)
are refused with a FieldError rather than silently answering wrongly.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import FieldError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Lookup
from django.db.models.expressions import Col

from yiwang.core import protection

CIPHERTEXT_LENGTH = 128  # prefix + base64(12 + len + 16): room for values up to ~60 bytes


class EncryptedField(models.CharField):
    """A short personal identifier (ID number, mobile number), SM4-encrypted at rest."""

    supported_lookups = frozenset({"exact", "iexact", "in", "isnull"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", CIPHERTEXT_LENGTH)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == CIPHERTEXT_LENGTH:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return protection.decrypt(value) if value else value

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        return protection.encrypt(value) if value else value

    def get_lookup(self, lookup_name: str) -> type[Lookup] | None:
        if lookup_name not in self.supported_lookups:
            raise FieldError(f"加密字段 {self.name} 只支持精确查询（exact/in/isnull），不支持 {lookup_name}")
        return super().get_lookup(lookup_name)


class BlindIndexField(models.CharField):
    """盲索引: HMAC-SM3 of another field's clear value, kept in step on every save."""

    def __init__(self, *args: Any, source: str = "", **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("null", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, default in (("max_length", 64), ("null", True), ("editable", False)):
            if kwargs.get(key) == default:
                del kwargs[key]
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str | None:
        value = getattr(model_instance, self.source)
        index = protection.blind_index(value) if value else None
        setattr(model_instance, self.attname, index)
        return index


def blind_index_of(field: EncryptedField) -> BlindIndexField:
    """The model's BlindIndexField whose `source` is this field (each encrypted field has one)."""
    for candidate in field.model._meta.concrete_fields:
        if isinstance(candidate, BlindIndexField) and candidate.source == field.name:
            return candidate
    raise FieldError(f'加密字段 {field.name} 没有盲索引字段（BlindIndexField(source="{field.name}")）')


def _index_column(lhs: Any) -> Col:
    if not isinstance(lhs, Col) or not isinstance(lhs.target, EncryptedField):
        raise FieldError("加密字段只能按字段本身精确查询")
    return blind_index_of(lhs.target).get_col(lhs.alias)


def _index_value(value: Any) -> str:
    if hasattr(value, "resolve_expression"):
        raise FieldError("加密字段不能与表达式或其他列比较：请先取出值再查询")
    return protection.blind_index(str(value))


@EncryptedField.register_lookup
class EncryptedExact(Lookup):
    lookup_name = "exact"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[str | int, ...]]:
        sql, params = compiler.compile(_index_column(self.lhs))
        if self.rhs in ("", None):
            # Blank values have no index: match the rows whose index is empty too.
            return f"{sql} IS NULL", tuple(params)
        return f"{sql} = %s", (*params, _index_value(self.rhs))


@EncryptedField.register_lookup
class EncryptedIExact(EncryptedExact):
    lookup_name = "iexact"  # the index is computed on the normalised (upper-case) value already


@EncryptedField.register_lookup
class EncryptedIn(Lookup):
    lookup_name = "in"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[str | int, ...]]:
        sql, params = compiler.compile(_index_column(self.lhs))
        values = sorted({_index_value(v) for v in self.rhs if v not in ("", None)})
        if not values:
            return "1 = 0", ()
        placeholders = ", ".join(["%s"] * len(values))
        return f"{sql} IN ({placeholders})", (*params, *values)


EMPTY_OBJECT = "{}"

if TYPE_CHECKING:
    # django-stubs would type the value as a TextField's str; in Python it is the decoded object.
    _JSONTextField = models.TextField[dict[str, Any], dict[str, Any]]
else:
    _JSONTextField = models.TextField


class EncryptedJSONField(_JSONTextField):
    """JSON that carries personal data (application forms, handed-over data, licence face data):
    SM4-encrypted as a whole. Never queried inside in SQL, so nothing is lost by encrypting it.

    An empty object is stored as `{}`, unsealed: its ciphertext would tell as much (GCM keeps the
    length), and most case events carry none — a status read decrypted one per event.
    """

    def get_lookup(self, lookup_name: str) -> type[Lookup] | None:
        if lookup_name != "isnull":
            raise FieldError(f"加密字段 {self.name} 不能在数据库中按内容查询")
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name: str) -> Any:
        raise FieldError(f"加密字段 {self.name} 不能在数据库中按内容查询")

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return {} if value == EMPTY_OBJECT else json.loads(protection.decrypt(value))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    def get_prep_value(self, value: Any) -> Any:
        return value

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None:
            return None
        if isinstance(value, dict) and not value:
            return EMPTY_OBJECT
        return protection.encrypt(json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder))

    def value_to_string(self, obj: models.Model) -> Any:
        # Fixtures and backups carry the structure itself, as for Django's JSONField.
        return self.value_from_object(obj)

    def formfield(self, form_class: Any = None, choices_form_class: Any = None, **kwargs: Any) -> Any:
        return forms.JSONField(**{"encoder": DjangoJSONEncoder, **kwargs})
