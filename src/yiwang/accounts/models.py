"""Users: natural persons, legal persons and staff, in one table from the first migration."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac

from yiwang.catalog.codes import StaffRole
from yiwang.core.fields import BlindIndexField, EncryptedField
from yiwang.core.identifiers import validate_id_number, validate_mobile, validate_uscc


class UserKind(models.TextChoices):
    PERSON = "person", "自然人"
    LEGAL = "legal", "法人"
    STAFF = "staff", "工作人员"


class User(AbstractUser):
    """用户. `name` is the full Chinese name (or the organisation name for a legal person)."""

    kind = models.CharField("用户类型", max_length=10, choices=UserKind.choices, default=UserKind.PERSON)
    name = models.CharField("姓名/名称", max_length=100)
    # ID and mobile numbers are SM4-encrypted at rest; the *_index columns answer exact lookups.
    id_number = EncryptedField("公民身份号码", null=True, blank=True, validators=[validate_id_number])
    id_number_index = BlindIndexField(source="id_number", unique=True)
    mobile = EncryptedField("手机号码", blank=True, validators=[validate_mobile])
    mobile_index = BlindIndexField(source="mobile", db_index=True)
    uscc = models.CharField(
        "统一社会信用代码", max_length=18, null=True, blank=True, unique=True, validators=[validate_uscc]
    )
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    legal_representative_id_number = EncryptedField(
        "法定代表人身份号码",
        blank=True,
        validators=[validate_id_number],
    )
    legal_representative_id_number_index = BlindIndexField(source="legal_representative_id_number")
    department = models.ForeignKey(
        "catalog.Department",
        verbose_name="所属部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    service_point = models.ForeignKey(
        "catalog.ServicePoint",
        verbose_name="所在服务网点",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    roles = models.JSONField("岗位角色", default=list, blank=True)
    # Raised by "退出所有设备": it is part of every session's auth hash, so all sessions end at once.
    session_epoch = models.PositiveIntegerField("会话代次", default=0, editable=False)

    objects = UserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="person") | Q(id_number__isnull=False) | Q(is_superuser=True),
                name="user_person_has_id_number",
            ),
            models.CheckConstraint(
                condition=~Q(kind="legal") | Q(uscc__isnull=False), name="user_legal_has_uscc"
            ),
            models.CheckConstraint(
                condition=~Q(kind="staff") | Q(department__isnull=False) | Q(is_superuser=True),
                name="user_staff_has_department",
            ),
        ]

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        key_salt = "yiwang.accounts.User.session_auth_hash"
        value = f"{self.password}:{self.session_epoch}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    def __str__(self) -> str:
        return self.name or self.username

    def has_role(self, role: StaffRole | str) -> bool:
        return self.kind == UserKind.STAFF and str(role) in self.roles

    @property
    def role_labels(self) -> list[str]:
        labels = dict(StaffRole.choices)
        return [labels.get(r, r) for r in self.roles]


class ApiToken(models.Model):
    """访问令牌: a Bearer token for the API. Only its SHA-256 is stored; it expires and can be revoked."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField("令牌摘要", max_length=64, unique=True)
    created_at = models.DateTimeField("签发时间", auto_now_add=True)
    expires_at = models.DateTimeField("过期时间")
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "访问令牌"
        verbose_name_plural = "访问令牌"
        indexes = [models.Index(fields=["user", "expires_at"], name="apitoken_user_expiry")]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"
