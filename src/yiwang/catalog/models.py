"""Catalog (事项目录): departments, service points, versioned service items and bundles (一件事).

Field names follow GB/T 39046-2020 Table 4; the Chinese name of each field is its verbose_name.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from yiwang.accounts.roles import StaffRole
from yiwang.catalog import codes
from yiwang.core.identifiers import validate_region_code, validate_uscc


class Department(models.Model):
    """实施主体: a department that implements service items."""

    code = models.SlugField("部门编码", max_length=32, unique=True)
    name = models.CharField("部门名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=30, blank=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True, validators=[validate_uscc])
    region_code = models.CharField("行政区划代码", max_length=12, validators=[validate_region_code])
    nature = models.CharField(
        "实施主体性质", max_length=1, choices=codes.BodyNature.choices, default=codes.BodyNature.STATUTORY
    )
    address = models.CharField("办公地址", max_length=200, blank=True)
    enquiry_phone = models.CharField("咨询电话", max_length=30, blank=True)
    complaint_phone = models.CharField("监督投诉电话", max_length=30, blank=True)
    order = models.PositiveIntegerField("排序", default=100)

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class ServicePoint(models.Model):
    """服务网点: a service centre, branch, village station or self-service kiosk."""

    code = models.SlugField("网点编码", max_length=32, unique=True)
    name = models.CharField("网点名称", max_length=100)
    kind = models.CharField("网点类型", max_length=16, choices=codes.ServicePointKind.choices)
    region_code = models.CharField("行政区划代码", max_length=12, validators=[validate_region_code])
    address = models.CharField("地址", max_length=200)
    office_hours = models.CharField("办公时间", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    departments = models.ManyToManyField(
        Department, verbose_name="进驻部门", blank=True, related_name="service_points"
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "服务网点"
        verbose_name_plural = "服务网点"
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name


class ServiceItem(models.Model):
    """政务服务事项: the stable identity of an item; its guide lives in versions."""

    code = models.CharField("实施编码", max_length=36, unique=True)
    department = models.ForeignKey(
        Department, verbose_name="实施主体", on_delete=models.PROTECT, related_name="items"
    )
    published_version = models.OneToOneField(
        "ItemVersion",
        verbose_name="现行版本",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="发布新版本时自动更新",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "政务服务事项"
        verbose_name_plural = "政务服务事项"
        ordering = ["code"]

    def __str__(self) -> str:
        version = self.published_version
        return f"{version.name if version else self.code}"


class ItemVersion(models.Model):
    """事项版本: one edition of an item's standard guide. Published editions never change."""

    item = models.ForeignKey(
        ServiceItem, verbose_name="事项", on_delete=models.CASCADE, related_name="versions"
    )
    version = models.PositiveIntegerField("版本号")
    status = models.CharField(
        "状态", max_length=16, choices=codes.VersionStatus.choices, default=codes.VersionStatus.DRAFT
    )
    change_note = models.CharField("修订说明", max_length=200, blank=True)

    # Identity
    name = models.CharField("事项名称", max_length=200)
    base_code = models.CharField("基本编码", max_length=12)
    handling_code = models.CharField("业务办理项编码", max_length=36, blank=True)
    item_type = models.CharField("事项类型", max_length=2, choices=codes.ItemType.choices)
    exercise_level = models.CharField("行使层级", max_length=1, choices=codes.ExerciseLevel.choices)
    legal_basis = models.TextField("设定依据")
    summary = models.TextField("事项简介", blank=True)
    keywords = models.CharField(
        "常用叫法/别名",
        max_length=200,
        blank=True,
        help_text="群众搜索时的说法，以空格分隔，如“身份证换证 换身份证”；检索时与事项名称一同匹配",
    )
    recipients = models.CharField("服务对象", max_length=20, help_text="多选，以 ^ 分隔的代码，如 1^2")

    # Conditions, process and result
    acceptance_conditions = models.TextField("受理条件")
    co_agencies = models.CharField("联办机构", max_length=200, blank=True)
    intermediary_services = models.CharField("中介服务", max_length=200, blank=True)
    quantity_limit = models.CharField("数量限制", max_length=200, blank=True)
    result_name = models.CharField("审批结果名称", max_length=100, blank=True)
    result_licence_type = models.CharField(
        "结果证照类型代码", max_length=40, blank=True, help_text="办结时签发的电子证照类型（如有）"
    )
    establishes_entity = models.BooleanField(
        "设立登记",
        default=False,
        help_text="办结时赋予统一社会信用代码、开通法人账号；含此事项的一件事由创办人（自然人）为拟设企业申请",
    )
    real_name_required = models.BooleanField(
        "须实名认证", default=True, help_text="申请人账号须经窗口、自助终端或实名核验服务认证后方可申请"
    )

    # Deadlines, in working days
    case_type = models.CharField("办件类型", max_length=1, choices=codes.CaseType.choices)
    statutory_limit_days = models.PositiveIntegerField("法定办结时限（工作日）")
    statutory_limit_note = models.CharField("法定时限说明", max_length=200, blank=True)
    promised_limit_days = models.PositiveIntegerField("承诺办结时限（工作日）")
    promised_limit_note = models.CharField("承诺时限说明", max_length=200, blank=True)

    # Service options
    visits = models.PositiveSmallIntegerField("到办事现场次数")
    visit_reason = models.CharField("必须现场办理原因", max_length=200, blank=True)
    online_depth = models.PositiveSmallIntegerField("网上办理深度", choices=codes.OnlineDepth.choices)
    online_url = models.URLField("网办地址", blank=True)
    channels = models.CharField("办理形式", max_length=20, help_text="多选，以 ^ 分隔的代码，如 1^2^3")
    cross_region_scope = models.CharField(
        "通办范围", max_length=1, choices=codes.CrossRegionScope.choices, default=codes.CrossRegionScope.NONE
    )
    supports_booking = models.BooleanField("支持预约", default=False)
    bookings_per_day = models.PositiveIntegerField("每天可预约量", null=True, blank=True)
    booking_rules = models.CharField("预约规则", max_length=200, blank=True)
    supports_online_payment = models.BooleanField("支持网上支付", default=False)
    supports_courier = models.BooleanField("支持物流快递", default=False)
    supports_kiosk = models.BooleanField("支持自助终端", default=False)
    charges_fee = models.BooleanField("是否收费", default=False)
    fee_basis = models.TextField("收费依据", blank=True)
    place = models.TextField("办理地点")
    hours = models.CharField("办理时间", max_length=200)
    enquiry_phone = models.CharField("咨询电话", max_length=30)
    complaint_phone = models.CharField("监督投诉电话", max_length=30)
    planned_start = models.DateField("计划生效日期", null=True, blank=True)
    planned_end = models.DateField("计划取消日期", null=True, blank=True)

    sharing_basis = models.TextField(
        "法定共享依据",
        blank=True,
        help_text="法律法规明确可不经持证人授权共享调取其证照数据的依据；为空时须持证人在申请中授权",
    )

    # The application form (申请表) as a JSON Schema (draft 2020-12).
    form_schema = models.JSONField("申请表单（JSON Schema）", default=dict, blank=True)

    # Denormalised for search: name + keywords + department, refreshed by the services that write versions.
    search_text = models.TextField("检索文本", blank=True, editable=False)

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    retired_at = models.DateTimeField("停用时间", null=True, blank=True)

    class Meta:
        verbose_name = "事项版本"
        verbose_name_plural = "事项版本"
        ordering = ["item__code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="itemversion_unique_number"),
            models.UniqueConstraint(
                fields=["item"], condition=Q(status="published"), name="itemversion_one_published"
            ),
            models.UniqueConstraint(
                fields=["item"], condition=Q(status="draft"), name="itemversion_one_draft"
            ),
        ]
        indexes = [models.Index(fields=["status", "online_depth"], name="itemversion_status_depth")]

    def __str__(self) -> str:
        return f"{self.name}（第 {self.version} 版，{self.get_status_display()}）"

    @property
    def recipient_codes(self) -> list[str]:
        return codes.split_codes(self.recipients)

    @property
    def channel_codes(self) -> list[str]:
        return codes.split_codes(self.channels)

    @property
    def is_instant(self) -> bool:
        return self.case_type == codes.CaseType.INSTANT

    @property
    def is_editable(self) -> bool:
        return self.status == codes.VersionStatus.DRAFT


class Material(models.Model):
    """申请材料: one material of an item version."""

    version = models.ForeignKey(
        ItemVersion, verbose_name="事项版本", on_delete=models.CASCADE, related_name="materials"
    )
    code = models.CharField("材料编码", max_length=20)
    order = models.PositiveSmallIntegerField("排序", default=0)
    name = models.CharField("材料名称", max_length=200)
    form = models.CharField(
        "材料形式", max_length=12, choices=codes.MaterialForm.choices, default=codes.MaterialForm.BOTH
    )
    required = models.BooleanField("必要", default=True)
    required_note = models.CharField(
        "必要性说明", max_length=200, blank=True, help_text="容缺或按情形提交时说明"
    )
    source = models.CharField(
        "来源渠道",
        max_length=12,
        choices=codes.MaterialSource.choices,
        default=codes.MaterialSource.APPLICANT,
    )
    source_note = models.CharField("来源渠道说明", max_length=200, blank=True)
    issuer = models.CharField("出具机构", max_length=100, blank=True)
    licence_type_code = models.CharField(
        "共享电子证照类型代码",
        max_length=40,
        blank=True,
        help_text="可通过电子证照共享获取时填写，申请人免提交",
    )
    licence_holder = models.CharField(
        "证照持有人",
        max_length=24,
        choices=codes.LicenceHolder.choices,
        default=codes.LicenceHolder.APPLICANT,
        help_text="以电子证照免提交时，证照应属于谁（如“法定代表人居民身份证”为法定代表人）",
    )
    pledge_allowed = models.BooleanField("可告知承诺", default=False)
    pledge_text = models.TextField("承诺内容及不实承诺责任", blank=True)
    originals = models.PositiveSmallIntegerField("原件份数", default=0)
    copies = models.PositiveSmallIntegerField("复印件份数", default=0)
    is_application_form = models.BooleanField(
        "是申请表", default=False, help_text="空白表格与示例由申请表单自动生成"
    )
    blank_form = models.FileField("空白表格", upload_to="catalog/blank_forms/", blank=True)
    sample = models.FileField("示例样表", upload_to="catalog/samples/", blank=True)
    acceptance_standard = models.TextField("受理标准", blank=True)
    legal_basis = models.CharField("材料依据", max_length=300, blank=True)

    class Meta:
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="material_unique_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def share_key(self) -> str:
        """Two materials with the same key are the same paper: a bundle asks for it once. A licence is
        the same paper when it is of the same type and the same holder (the applicant's ID card, the
        legal representative's ID card); someone else's is a paper of its own, known by its name."""
        if not self.licence_type_code or self.licence_holder == codes.LicenceHolder.OTHER:
            return f"name:{self.name.strip()}"
        if self.licence_holder == codes.LicenceHolder.APPLICANT:
            return f"licence:{self.licence_type_code}"
        return f"licence:{self.licence_type_code}@{self.licence_holder}"


class ProcessStep(models.Model):
    """办理流程环节."""

    version = models.ForeignKey(
        ItemVersion, verbose_name="事项版本", on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("环节名称", max_length=50)
    role = models.CharField("办理角色", max_length=20, choices=StaffRole.choices)
    department = models.ForeignKey(
        Department,
        verbose_name="办理部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="为空时为事项实施主体",
    )
    limit_days = models.PositiveSmallIntegerField("环节时限（工作日）", default=0)
    description = models.CharField("环节说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "办理环节"
        verbose_name_plural = "办理环节"
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["version", "order"], name="step_unique_order")]

    def __str__(self) -> str:
        return self.name


class Fee(models.Model):
    """收费项目."""

    version = models.ForeignKey(
        ItemVersion, verbose_name="事项版本", on_delete=models.CASCADE, related_name="fees"
    )
    name = models.CharField("收费项目", max_length=100)
    amount = models.DecimalField("收费标准（元）", max_digits=12, decimal_places=2)
    unit = models.CharField("计费单位", max_length=20, blank=True)
    basis = models.TextField("收费依据")
    waivable = models.BooleanField("允许减免", default=False)

    class Meta:
        verbose_name = "收费项目"
        verbose_name_plural = "收费项目"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} {self.amount} 元"


class Bundle(models.Model):
    """一件事: several items applied for once and processed in parallel."""

    code = models.SlugField("一件事编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    summary = models.TextField("简介")
    recipients = models.CharField("服务对象", max_length=20, help_text="多选，以 ^ 分隔的代码")
    promised_limit_days = models.PositiveIntegerField("承诺办结总时限（工作日）")
    lead_department = models.ForeignKey(
        Department, verbose_name="牵头部门", on_delete=models.PROTECT, related_name="led_bundles"
    )
    status = models.CharField(
        "状态", max_length=16, choices=codes.VersionStatus.choices, default=codes.VersionStatus.DRAFT
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    order = models.PositiveIntegerField("排序", default=100)

    class Meta:
        verbose_name = "一件事"
        verbose_name_plural = "一件事"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class BundleMember(models.Model):
    """一件事的组成事项."""

    bundle = models.ForeignKey(
        Bundle, verbose_name="一件事", on_delete=models.CASCADE, related_name="members"
    )
    item = models.ForeignKey(
        ServiceItem, verbose_name="事项", on_delete=models.PROTECT, related_name="bundle_members"
    )
    order = models.PositiveSmallIntegerField("顺序", default=0)
    optional = models.BooleanField("可选", default=False, help_text="申请人可按需勾选")

    class Meta:
        verbose_name = "组成事项"
        verbose_name_plural = "组成事项"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["bundle", "item"], name="bundlemember_unique_item")]

    def __str__(self) -> str:
        return str(self.item)


class BundleDependency(models.Model):
    """前置关系: a member starts only when another member's result exists; its data is handed over."""

    member = models.ForeignKey(
        BundleMember, verbose_name="后续事项", on_delete=models.CASCADE, related_name="dependencies"
    )
    requires = models.ForeignKey(
        BundleMember, verbose_name="前置事项", on_delete=models.CASCADE, related_name="dependents"
    )
    handover_fields = models.JSONField("移交数据字段", default=list, blank=True, help_text='如 ["uscc"]')
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "前置关系"
        verbose_name_plural = "前置关系"
        constraints = [
            models.UniqueConstraint(fields=["member", "requires"], name="bundledependency_unique"),
            models.CheckConstraint(
                condition=~Q(member=models.F("requires")), name="bundledependency_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} ← {self.requires}"
