"""Users: natural persons, legal persons and staff, in one table from the first migration."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac

from yiwang.accounts import policy
from yiwang.accounts.roles import StaffRole
from yiwang.core.fields import BlindIndexField, EncryptedField
from yiwang.core.identifiers import validate_id_number, validate_mobile, validate_uscc


class UserKind(models.TextChoices):
    PERSON = "person", "自然人"
    LEGAL = "legal", "法人"
    STAFF = "staff", "工作人员"


class RealNameMethod(models.TextChoices):
    """实名认证方式: how the platform came to trust that the account's ID number is its holder's."""

    WINDOW = "window", "窗口当面核验"
    KIOSK_CARD = "kiosk_card", "自助终端读取身份证"
    PROVIDER = "provider", "实名核验服务"
    REGISTRATION = "registration", "登记机关赋码"  # a company account made by its 设立登记


class User(AbstractUser):
    """用户. `name` is the full Chinese name (or the organisation name for a legal person)."""

    kind = models.CharField("用户类型", max_length=10, choices=UserKind.choices, default=UserKind.PERSON)
    name = models.CharField("姓名/名称", max_length=100)
    # ID and mobile numbers are SM4-encrypted at rest; the *_index columns answer exact lookups.
    id_number = EncryptedField("公民身份号码", null=True, blank=True, validators=[validate_id_number])
    # Unique among verified accounts only (see Meta): anyone may type a number with a valid check
    # digit, so an unverified account must not keep the number's owner out.
    id_number_index = BlindIndexField(source="id_number", db_index=True)
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
    real_name_method = models.CharField(
        "实名认证方式",
        max_length=16,
        choices=RealNameMethod.choices,
        blank=True,
        help_text="为空表示未实名认证",
    )
    real_name_verified_at = models.DateTimeField("实名认证时间", null=True, blank=True)
    # Set when the number's owner verified it on another account: this one lost the number.
    superseded_at = models.DateTimeField("号码解除时间", null=True, blank=True)
    # Raised by "退出所有设备": it is part of every session's auth hash, so all sessions end at once.
    session_epoch = models.PositiveIntegerField("会话代次", default=0, editable=False)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="person")
                | Q(id_number__isnull=False)
                | Q(is_superuser=True)
                | Q(superseded_at__isnull=False),
                name="user_person_has_id_number",
            ),
            models.UniqueConstraint(
                fields=["id_number_index"],
                condition=~Q(real_name_method=""),
                name="user_verified_id_number_unique",
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

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        # The policy's permissions are the policy's alone: Django's "an active superuser holds every
        # permission" would show the 系统管理员 clear personal data, which the policy withholds.
        allowed = policy.allows_perm(self, perm)
        return super().has_perm(perm, obj) if allowed is None else allowed

    @property
    def is_staff_member(self) -> bool:
        """工作人员: a department's or service centre's staff account (not the admin's is_staff flag)."""
        return self.kind == UserKind.STAFF

    @property
    def is_real_name_verified(self) -> bool:
        """实名认证: the platform trusts that this account belongs to its ID number's (USCC's) holder."""
        return bool(self.real_name_method)

    @property
    def role_labels(self) -> list[str]:
        labels = dict(StaffRole.choices)
        return [labels.get(r, r) for r in self.roles]


class MandateRole(models.TextChoices):
    LEGAL_REPRESENTATIVE = "legal_representative", "法定代表人"
    AGENT = "agent", "经办人"


class EntityMandate(models.Model):
    """企业授权: a natural person may act for a legal person (switch to "企业" and apply in its name)."""

    entity = models.ForeignKey(
        User, verbose_name="法人", on_delete=models.CASCADE, related_name="mandates_given"
    )
    person = models.ForeignKey(User, verbose_name="自然人", on_delete=models.CASCADE, related_name="mandates")
    role = models.CharField("身份", max_length=24, choices=MandateRole.choices)
    granted_at = models.DateTimeField("授权时间", auto_now_add=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "企业授权"
        verbose_name_plural = "企业授权"
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "person"],
                condition=Q(revoked_at__isnull=True),
                name="entitymandate_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.entity}（{self.get_role_display()}）"


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


class AttemptCounter(models.Model):
    """限流计数: the failures under one key (what is guessed, by whom) in one fixed time window."""

    key = models.CharField("计数键", max_length=120)
    window_start = models.DateTimeField("时间窗开始")
    count = models.PositiveIntegerField("失败次数", default=0)
    # Set by rules with growing delays (throttle.Rule.delays): the key is refused until then.
    blocked_until = models.DateTimeField("限制至", null=True, blank=True)

    class Meta:
        verbose_name = "限流计数"
        verbose_name_plural = "限流计数"
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="attemptcounter_key_window")
        ]
        indexes = [models.Index(fields=["window_start"], name="attemptcounter_window")]

    def __str__(self) -> str:
        return f"{self.key} {self.count}"
