"""Applications (申办) and cases (办件): one case per item, routed to the item's department.

Deadlines are stored as indexed dates, recomputed only when the clock changes (acceptance,
suspension, resumption, extension), so overdue and nearly-due lists are index range scans.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from yiwang.cases.states import CaseStatus
from yiwang.core.fields import BlindIndexField, EncryptedField, EncryptedJSONField


class Channel(models.TextChoices):
    WEB = "web", "网上办（PC）"
    MOBILE = "mobile", "掌上办"
    WINDOW = "window", "窗口办"
    KIOSK = "kiosk", "自助终端"
    API = "api", "系统接口"


ONLINE_CHANNELS = frozenset({Channel.WEB, Channel.MOBILE, Channel.API, Channel.KIOSK})


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "待受理"
    SUPPLEMENT_REQUESTED = "supplement_requested", "待补正"
    IN_PROGRESS = "in_progress", "办理中"
    COMPLETED = "completed", "已办结"
    REFUSED = "refused", "不予受理"
    WITHDRAWN = "withdrawn", "已撤回"
    REVOKED = "revoked", "已撤销"


class ApplicantKind(models.TextChoices):
    PERSON = "person", "自然人"
    LEGAL = "legal", "法人"


class Application(models.Model):
    """申办: one submission for one item or one bundle, by an applicant, through a channel."""

    number = models.CharField("申办编号", max_length=32)  # unique: see Meta
    item_version = models.ForeignKey(
        "catalog.ItemVersion",
        verbose_name="事项版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    bundle = models.ForeignKey(
        "catalog.Bundle",
        verbose_name="一件事",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    status = models.CharField(
        "状态", max_length=24, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    channel = models.CharField("申请渠道", max_length=10, choices=Channel.choices)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人账号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        db_index=False,  # application_applicant_recent leads with it
    )
    applicant_kind = models.CharField("申请人类型", max_length=10, choices=ApplicantKind.choices)
    applicant_name = models.CharField("申请人名称", max_length=100)
    applicant_id_type = models.CharField(
        "证件类型", max_length=3, help_text="111 公民身份号码；001 统一社会信用代码"
    )
    applicant_id_number = EncryptedField("证件号码")
    applicant_id_number_index = BlindIndexField(source="applicant_id_number")  # indexed: see Meta
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    legal_representative_id_number = EncryptedField("法定代表人身份号码", blank=True)
    legal_representative_id_number_index = BlindIndexField(source="legal_representative_id_number")
    # 经办人: the natural person who applies for a legal person — the founder of a company-to-be, or
    # a person acting for a company. Sees the application beside the applicant.
    agent_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人账号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications_as_agent",
    )
    agent_name = models.CharField("经办人姓名", max_length=50, blank=True)
    agent_id_number = EncryptedField("经办人身份号码", blank=True)
    agent_id_number_index = BlindIndexField(source="agent_id_number")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    service_point = models.ForeignKey(
        "catalog.ServicePoint",
        verbose_name="受理网点",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # application_point_status leads with it
    )
    form = EncryptedJSONField("申请表单", default=dict)
    sharing_consent = models.BooleanField(
        "授权共享", default=False, help_text="申请人授权办理部门为本次申请查询、调取其电子证照和数据"
    )
    region_code = models.CharField("行政区划代码", max_length=12)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "申办"
        verbose_name_plural = "申办"
        constraints = [
            models.CheckConstraint(
                condition=Q(item_version__isnull=False, bundle__isnull=True)
                | Q(item_version__isnull=True, bundle__isnull=False),
                name="application_item_xor_bundle",
            ),
            # As constraints and plain indexes rather than unique=True / db_index=True on the fields:
            # those add a second, LIKE-pattern index on PostgreSQL that no query uses, and every
            # submission would write it.
            models.UniqueConstraint(fields=["number"], name="application_number_unique"),
        ]
        indexes = [
            models.Index(fields=["applicant_user", "-created_at"], name="application_applicant_recent"),
            models.Index(fields=["service_point", "status"], name="application_point_status"),
            models.Index(fields=["applicant_id_number_index"], name="application_applicant_id"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def title(self) -> str:
        parent = self.bundle if self.bundle_id else self.item_version
        assert parent is not None  # application_item_xor_bundle: exactly one of the two is set
        return parent.name


class ApplicationMaterial(models.Model):
    """One required material as the applicant satisfied it: a document, a shared licence, or a pledge."""

    application = models.ForeignKey(
        Application, verbose_name="申办", on_delete=models.CASCADE, related_name="materials"
    )
    material = models.ForeignKey(
        "catalog.Material", verbose_name="材料", on_delete=models.PROTECT, related_name="+"
    )
    share_key = models.CharField("材料标识", max_length=250)
    document = models.ForeignKey(
        "documents.Document",
        verbose_name="上传文件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    licence_identifier = models.CharField("电子证照标识", max_length=120, blank=True)
    pledged = models.BooleanField("告知承诺", default=False)
    pledge_text = models.TextField("承诺内容", blank=True, help_text="申请人确认时看到的承诺文本")
    from_library = models.BooleanField(
        "免提交", default=False, help_text="从电子证照库自动获取，申请人未提交"
    )
    from_form = models.BooleanField("以填报的申请表代替", default=False)
    supplemented = models.BooleanField("补正提交", default=False)
    provided_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.material.name


class Case(models.Model):
    """办件: the processing of one item of an application by its department."""

    number = models.CharField("办件编号", max_length=40)  # unique: see Meta
    application = models.ForeignKey(
        Application, verbose_name="申办", on_delete=models.PROTECT, related_name="cases"
    )
    item_version = models.ForeignKey(
        "catalog.ItemVersion", verbose_name="事项版本", on_delete=models.PROTECT, related_name="cases"
    )
    department = models.ForeignKey(
        "catalog.Department",
        verbose_name="办理部门",
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,  # case_queue leads with it
    )
    bundle_member = models.ForeignKey(
        "catalog.BundleMember",
        verbose_name="一件事组成事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField("状态", max_length=24, choices=CaseStatus.choices, default=CaseStatus.SUBMITTED)
    case_type = models.CharField("办件类型", max_length=1)
    data = EncryptedJSONField("办件数据", default=dict, help_text="申请表单及前置事项移交的数据")

    received_on = models.DateField("收件日期")
    supplement_deadline = models.DateField("补正告知期限", help_text="逾期未告知补正的，自收件之日起视为受理")
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    deemed_accepted = models.BooleanField("视为受理", default=False)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="受理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    service_point = models.ForeignKey(
        "catalog.ServicePoint",
        verbose_name="受理网点",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # case_point_status leads with it
    )

    promised_days = models.PositiveIntegerField("承诺时限（工作日）")
    statutory_days = models.PositiveIntegerField("法定时限（工作日）")
    extension_days = models.PositiveIntegerField("延长（工作日）", default=0)
    suspended_days = models.PositiveIntegerField("特别程序（工作日）", default=0)
    promised_due = models.DateField("承诺办结日期", null=True, blank=True)
    statutory_due = models.DateField("法定办结日期", null=True, blank=True)
    yellow_on = models.DateField("黄灯预警日期", null=True, blank=True)
    step_due = models.DateField("当前环节期限", null=True, blank=True)
    suspended_on = models.DateField("暂停计时日期", null=True, blank=True)
    status_before_suspension = models.CharField("暂停前状态", max_length=24, blank=True)

    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    completed_at = models.DateTimeField("办结时间", null=True, blank=True)
    result = EncryptedJSONField("办理结果", default=dict, blank=True)

    revision = models.PositiveIntegerField("修订号", default=0, help_text="每次状态变化加一，用于并发控制")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "办件"
        verbose_name_plural = "办件"
        # A constraint rather than unique=True: see Application.Meta.
        constraints = [models.UniqueConstraint(fields=["number"], name="case_number_unique")]
        indexes = [
            models.Index(fields=["department", "status", "promised_due"], name="case_queue"),
            models.Index(fields=["status", "promised_due"], name="case_overdue"),
            models.Index(fields=["status", "yellow_on"], name="case_yellow"),
            models.Index(fields=["status", "step_due"], name="case_step_due"),
            models.Index(fields=["status", "supplement_deadline"], name="case_supplement_deadline"),
            models.Index(fields=["service_point", "status"], name="case_point_status"),
        ]

    def __str__(self) -> str:
        return self.number

    def has_supplement_request(self) -> bool:
        """Whether the 补正 notice has been issued: from the case as loaded when it came with it
        (select_related, or just written), else one query."""
        field = self._meta.get_field("supplement_request")
        assert isinstance(field, models.OneToOneRel)  # the reverse side of SupplementRequest.case
        if field.is_cached(self):
            return field.get_cached_value(self) is not None
        return SupplementRequest.objects.filter(case=self).exists()


class CaseEvent(models.Model):
    """办件过程记录: an immutable record of one action on a case."""

    case = models.ForeignKey(
        Case,
        verbose_name="办件",
        on_delete=models.PROTECT,
        related_name="events",
        db_index=False,  # caseevent_case_at leads with it
    )
    action = models.CharField("动作", max_length=24)
    from_status = models.CharField("原状态", max_length=24, blank=True)
    to_status = models.CharField("新状态", max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_role = models.CharField("操作角色", max_length=24)
    channel = models.CharField("渠道", max_length=10, blank=True)
    reason = models.TextField("理由/意见", blank=True)
    data = EncryptedJSONField("附加数据", default=dict, blank=True)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "办件过程记录"
        verbose_name_plural = "办件过程记录"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="caseevent_case_at")]

    def __str__(self) -> str:
        return f"{self.case} {self.action}"

    def save(self, *args: object, **kwargs: object) -> None:
        # An event is evidence: it can be written once and never rewritten.
        if self.pk is not None:
            raise ValueError("办件过程记录不可修改")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class SupplementRequest(models.Model):
    """补正材料一次性告知: everything missing, in one notice (行政许可法 §32)."""

    case = models.OneToOneField(
        Case, verbose_name="办件", on_delete=models.PROTECT, related_name="supplement_request"
    )
    items = models.JSONField("补正内容", help_text='[{"material": id, "name": "…", "reason": "…"}]')
    note = models.TextField("说明", blank=True)
    issued_at = models.DateTimeField("告知时间")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="告知人", on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField("补正时间", null=True, blank=True)

    class Meta:
        verbose_name = "补正告知"
        verbose_name_plural = "补正告知"

    def __str__(self) -> str:
        return f"{self.case} 补正告知"


class SuspensionKind(models.TextChoices):
    """特别程序 (行政许可法 §45): time that does not count toward the deadline."""

    HEARING = "hearing", "听证"
    EXPERT_REVIEW = "expert_review", "专家评审"
    TESTING = "testing", "检验、检测、检疫"
    APPRAISAL = "appraisal", "鉴定"
    PUBLIC_NOTICE = "public_notice", "公示"
    TENDER = "tender", "招标、拍卖"
    SITE_INSPECTION = "site_inspection", "现场核查"


class Suspension(models.Model):
    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.PROTECT, related_name="suspensions")
    kind = models.CharField("特别程序种类", max_length=20, choices=SuspensionKind.choices)
    reason = models.TextField("理由")
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    result = models.TextField("结果", blank=True)
    working_days = models.PositiveIntegerField("计入暂停的工作日", default=0)

    class Meta:
        verbose_name = "特别程序"
        verbose_name_plural = "特别程序"
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"


class IdempotencyRecord(models.Model):
    """A submission's Idempotency-Key: a retry with the same key returns the first result."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # idempotency_owner_key leads with it
    )
    key = models.CharField(max_length=100)
    request_digest = models.CharField(max_length=64)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="idempotency_owner_key")]

    def __str__(self) -> str:
        return f"{self.key} → {self.application_id}"


class PledgeCheckStatus(models.TextChoices):
    PENDING = "pending", "待核查"
    TRUTHFUL = "truthful", "承诺属实"
    FALSE = "false", "承诺不实"


class PledgeCheck(models.Model):
    """事后核查: a department verifies, by a due date, a pledge that replaced a required proof."""

    case = models.ForeignKey(
        Case, verbose_name="办件", on_delete=models.PROTECT, related_name="pledge_checks"
    )
    material = models.ForeignKey(
        ApplicationMaterial, verbose_name="承诺材料", on_delete=models.PROTECT, related_name="checks"
    )
    department = models.ForeignKey(
        "catalog.Department", verbose_name="核查部门", on_delete=models.PROTECT, related_name="pledge_checks"
    )
    due_on = models.DateField("核查期限")
    status = models.CharField(
        "核查结果", max_length=10, choices=PledgeCheckStatus.choices, default=PledgeCheckStatus.PENDING
    )
    method = models.CharField(
        "核查方式", max_length=20, blank=True, help_text="数据共享 / 部门协查 / 现场核查"
    )
    note = models.TextField("核查说明", blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_at = models.DateTimeField("核查时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "告知承诺核查"
        verbose_name_plural = "告知承诺核查"
        constraints = [models.UniqueConstraint(fields=["case", "material"], name="pledgecheck_case_material")]
        indexes = [models.Index(fields=["department", "status", "due_on"], name="pledgecheck_queue")]

    def __str__(self) -> str:
        return f"{self.case} {self.material}"


class CreditMark(models.Model):
    """失信记录: a false pledge; until repaired (信用修复) the holder may not pledge again."""

    holder_code = EncryptedField("主体代码")
    holder_code_index = BlindIndexField(source="holder_code")
    holder_name = models.CharField("主体名称", max_length=100)
    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("原因")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    repaired_at = models.DateTimeField("修复时间", null=True, blank=True)
    repaired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修复审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    repair_note = models.TextField("修复说明", blank=True)

    class Meta:
        verbose_name = "失信记录"
        verbose_name_plural = "失信记录"
        indexes = [models.Index(fields=["holder_code_index", "repaired_at"], name="creditmark_open")]

    def __str__(self) -> str:
        return f"{self.holder_name} {self.created_at:%Y-%m-%d}"
