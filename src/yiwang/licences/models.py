"""电子证照: licence types (GB/T 36902 catalogue), the licence library, and departments' signing keys.

A licence is identified per GB/T 36904 (identifiers.py), carries its 照面信息 (face data) as JSON,
and is signed by its issuing department's SM2 key over an SM3 digest of its canonical data
(signing.py). Its status is not signed: it changes over the licence's life (suspended, revoked…),
and each change is recorded in LicenceStatusChange.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from yiwang.core.fields import BlindIndexField, EncryptedField, EncryptedJSONField


class HolderKind(models.TextChoices):
    """持证主体类别."""

    PERSON = "person", "自然人"
    LEGAL = "legal", "法人和其他组织"


class HolderCodeType(models.TextChoices):
    """持证主体代码类型 (GA/T 2000.156 证件类型代码)."""

    ID_NUMBER = "111", "公民身份号码"
    USCC = "001", "统一社会信用代码"


HOLDER_CODE_TYPE = {HolderKind.PERSON: HolderCodeType.ID_NUMBER, HolderKind.LEGAL: HolderCodeType.USCC}


class LicenceCategory(models.TextChoices):
    """证照分类 (a local grouping of licence types; not a national code list)."""

    IDENTITY = "identity", "证件"
    BUSINESS = "business", "执照"
    PERMIT = "permit", "许可证"
    CERTIFICATE = "certificate", "证书"
    PROOF = "proof", "证明"
    APPROVAL = "approval", "批文"
    OTHER = "other", "其他"


class AuthorityLevel(models.TextChoices):
    """证照定义机构级别 / 证照颁发机构级别."""

    NATIONAL = "1", "国家级"
    PROVINCIAL = "2", "省级"
    MUNICIPAL = "3", "地市级"
    COUNTY = "4", "区县级"
    TOWNSHIP = "5", "乡镇级"
    OTHER = "9", "其他"


class LicenceStatus(models.TextChoices):
    """证照状态 (the MOHURD code list, STANDARDS.md §3)."""

    VALID = "01", "有效"
    SUSPENDED = "02", "暂扣/中止"
    REVOKED = "03", "吊销/撤销"
    CANCELLED = "04", "注销"
    EXPIRED = "05", "过期"
    TRANSFERRED = "06", "转出"
    WITHDRAWN = "07", "废止"
    OTHER = "99", "其他"


NUMBER_MAX_LENGTH = 100
# "sm4g1:" + base64(nonce 12 + up to 100 characters of 3 UTF-8 bytes + tag 16).
NUMBER_SEALED_LENGTH = 6 + 4 * -(-(12 + 3 * NUMBER_MAX_LENGTH + 16) // 3)


class LicenceType(models.Model):
    """证照类型: one kind of licence in the e-licence catalogue (GB/T 36902 目录信息)."""

    code = models.CharField(
        "证照类型代码", max_length=40, unique=True, help_text="证照定义机构统一社会信用代码 + 3 位顺序号"
    )
    name = models.CharField("证照类型名称", max_length=100)
    category = models.CharField(
        "证照分类", max_length=12, choices=LicenceCategory.choices, default=LicenceCategory.CERTIFICATE
    )
    defining_agency = models.CharField("证照定义机构", max_length=100)
    defining_agency_code = models.CharField("证照定义机构代码", max_length=18, help_text="统一社会信用代码")
    defining_agency_level = models.CharField(
        "证照定义机构级别", max_length=1, choices=AuthorityLevel.choices, default=AuthorityLevel.NATIONAL
    )
    issuing_level = models.CharField(
        "证照颁发机构级别", max_length=1, choices=AuthorityLevel.choices, default=AuthorityLevel.MUNICIPAL
    )
    holder_kind = models.CharField("持证主体类别", max_length=10, choices=HolderKind.choices)
    validity_years = models.PositiveSmallIntegerField(
        "有效期（年）", null=True, blank=True, help_text="为空表示长期有效"
    )
    validity_range = models.CharField(
        "有效期限范围", max_length=100, blank=True, help_text="如“5年、10年、20年或长期（按申领时年龄）”"
    )
    data_fields = models.JSONField(
        "照面信息项",
        default=list,
        blank=True,
        help_text='[{"name": "uscc", "title": "统一社会信用代码", "from": ["…申请表字段"]}]；from 可省略',
    )
    legal_basis = models.CharField("设立依据", max_length=300, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "证照类型"
        verbose_name_plural = "证照类型"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def holder_code_type(self) -> str:
        return HOLDER_CODE_TYPE[HolderKind(self.holder_kind)]


class DepartmentKey(models.Model):
    """部门签名密钥: an SM2 key pair; retired keys stay for verifying what they signed.

    The private key is stored only sealed (SM4-GCM under YIWANG_FIELD_KEY) and is opened only by
    yiwang.licences.signing; no API, admin page or template shows it.
    """

    department = models.ForeignKey(
        "catalog.Department", verbose_name="部门", on_delete=models.PROTECT, related_name="signing_keys"
    )
    public_key = models.CharField("公钥", max_length=128, help_text="SM2 公钥 x‖y，十六进制")
    private_key_encrypted = models.TextField("私钥（加密）", editable=False)
    fingerprint = models.CharField("公钥指纹", max_length=64, unique=True, help_text="SM3(04‖x‖y)")
    active = models.BooleanField("当前使用", default=True)
    created_at = models.DateTimeField("生成时间", default=timezone.now)
    retired_at = models.DateTimeField("停用时间", null=True, blank=True)

    class Meta:
        verbose_name = "部门签名密钥"
        verbose_name_plural = "部门签名密钥"
        ordering = ["department", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["department"], condition=Q(active=True), name="departmentkey_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.fingerprint[:16]}"

    def __repr__(self) -> str:
        return f"<DepartmentKey {self.pk} {self.fingerprint[:16]}>"


class Licence(models.Model):
    """电子证照: one licence in the library, signed by its issuing department."""

    identifier = models.CharField("证照标识", max_length=120, unique=True)
    licence_type = models.ForeignKey(
        LicenceType, verbose_name="证照类型", on_delete=models.PROTECT, related_name="licences"
    )
    # A 居民身份证's number is the ID number itself (社保卡 and others embed it): sealed like holder_code.
    number = EncryptedField("证照编号", max_length=NUMBER_SEALED_LENGTH)
    number_index = BlindIndexField(source="number", db_index=True)
    name = models.CharField("证照名称", max_length=100)
    holder_name = models.CharField("持证主体", max_length=100)
    holder_code = EncryptedField("持证主体代码")
    holder_code_index = BlindIndexField(source="holder_code")
    holder_code_type = models.CharField("持证主体代码类型", max_length=3, choices=HolderCodeType.choices)
    issuer = models.ForeignKey(
        "catalog.Department",
        verbose_name="颁发机构",
        on_delete=models.PROTECT,
        related_name="issued_licences",
    )
    issuer_code = models.CharField("颁发机构代码", max_length=18)
    issued_on = models.DateField("颁发日期")
    valid_from = models.DateField("有效期起始日期")
    valid_until = models.DateField("有效期截止日期", null=True, blank=True, help_text="为空表示长期有效")
    status = models.CharField(
        "证照状态", max_length=2, choices=LicenceStatus.choices, default=LicenceStatus.VALID
    )
    status_changed_at = models.DateTimeField("状态变更时间", null=True, blank=True)
    version = models.PositiveSmallIntegerField("版本号", default=1)
    serial = models.CharField("流水号", max_length=40)
    jurisdiction = models.CharField("管辖属地", max_length=12, help_text="行政区划代码")
    data = EncryptedJSONField("照面信息", default=dict, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name="来源办件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="licences",
    )
    digest = models.CharField("数据摘要（SM3）", max_length=64)
    signature = models.CharField("签名（SM2）", max_length=128)
    key = models.ForeignKey(
        DepartmentKey, verbose_name="签名密钥", on_delete=models.PROTECT, related_name="licences"
    )
    created_at = models.DateTimeField("入库时间", auto_now_add=True)

    class Meta:
        verbose_name = "电子证照"
        verbose_name_plural = "电子证照"
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(case__isnull=False), name="licence_one_per_case"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="licence_validity_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["holder_code_index", "licence_type"], name="licence_holder_type"),
            models.Index(fields=["status", "valid_until"], name="licence_status_expiry"),
            models.Index(fields=["issuer", "-issued_on"], name="licence_issuer_recent"),
        ]

    def __str__(self) -> str:
        # Not the number: it may be an ID number, and a model's str lands in admin titles and logs.
        return f"{self.name} {self.identifier}"

    def is_valid(self, today: date | None = None) -> bool:
        """有效: status 01 and today within the validity period."""
        today = today or timezone.localdate()
        return (
            self.status == LicenceStatus.VALID
            and self.valid_from <= today
            and (self.valid_until is None or today <= self.valid_until)
        )


class LicenceStatusChange(models.Model):
    """证照状态变更记录: written once, never changed."""

    licence = models.ForeignKey(
        Licence, verbose_name="电子证照", on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField("原状态", max_length=2, choices=LicenceStatus.choices)
    to_status = models.CharField("新状态", max_length=2, choices=LicenceStatus.choices)
    reason = models.CharField("原因", max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "证照状态变更"
        verbose_name_plural = "证照状态变更"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["licence", "at"], name="licencestatus_licence_at")]

    def __str__(self) -> str:
        return f"{self.licence} {self.from_status}→{self.to_status}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("证照状态变更记录不可修改")
        super().save(*args, **kwargs)  # type: ignore[arg-type]
