"""好差评与诉求: ratings of the service (GB/T 39734 一事一评 / 一次一评) with the handling of bad ones
(回访 → 整改 → 追评, 申诉), and the 12345-style desk for 咨询 · 求助 · 投诉 · 建议 · 举报.

Figures (好评率, 差评整改率, 按期办结率) are computed from these rows, never stored."""

from __future__ import annotations

import hashlib
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from yiwang.core.fields import EncryptedField


class Level(models.IntegerChoices):
    """评价等级, as stars; GB/T 39046 codes them the other way round (`gb_code`)."""

    VERY_SATISFIED = 5, "非常满意"
    SATISFIED = 4, "满意"
    BASICALLY_SATISFIED = 3, "基本满意"
    DISSATISFIED = 2, "不满意"
    VERY_DISSATISFIED = 1, "非常不满意"


BAD_LEVELS = (Level.DISSATISFIED, Level.VERY_DISSATISFIED)  # 差评
GOOD_LEVELS = (Level.VERY_SATISFIED, Level.SATISFIED)  # 好评


def gb_code(stars: int) -> int:
    """GB/T 39046 评价等级代码: 1 = 非常满意 … 5 = 非常不满意."""
    return 6 - stars


class Scope(models.TextChoices):
    MATTER = "matter", "一事一评"  # one rating per case, online
    VISIT = "visit", "一次一评"  # one rating per visit, on site


class RatingChannel(models.TextChoices):
    """评价渠道 (GB/T 39046 Table 9)."""

    PC = "pc", "PC端"
    MOBILE = "mobile", "移动端"
    QR = "qr", "二维码"
    TABLET = "tablet", "窗口评价器"
    KIOSK = "kiosk", "自助终端"
    PHONE = "phone", "电话"
    SMS = "sms", "短信"
    SYSTEM = "system", "逾期默认"  # a deemed rating, where the local rule has one


class Rating(models.Model):
    """评价: one rating of one service by the person served."""

    scope = models.CharField("评价方式", max_length=8, choices=Scope.choices)
    case = models.ForeignKey(
        "cases.Case", verbose_name="办件", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey("catalog.Department", verbose_name="被评价部门", on_delete=models.PROTECT)
    item = models.ForeignKey(
        "catalog.ServiceItem", verbose_name="事项", null=True, blank=True, on_delete=models.PROTECT
    )
    service_point = models.ForeignKey(
        "catalog.ServicePoint", verbose_name="服务网点", null=True, blank=True, on_delete=models.PROTECT
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="被评价工作人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField("评价渠道", max_length=8, choices=RatingChannel.choices)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评价人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings",
        help_text="实名评价人；窗口评价器上的评价为匿名",
    )
    rater_name = models.CharField("评价人姓名", max_length=100, blank=True)
    level = models.PositiveSmallIntegerField("评价等级", choices=Level.choices)
    options = models.JSONField("评价选项", default=list, blank=True, help_text="选项代码，如 110")
    indicators = models.JSONField("分项评价", default=dict, blank=True, help_text="指标 → 星级")
    text = models.TextField("评价内容", blank=True)
    region_code = models.CharField("行政区划代码", max_length=12)
    created_at = models.DateTimeField("评价时间", db_index=True)
    # 追评: the rater's second word after the department's 整改; it supersedes the first in the figures.
    previous = models.OneToOneField(
        "self",
        verbose_name="原评价",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rerating",
    )
    current = models.BooleanField("有效评价", default=True, help_text="被追评取代的评价不再计入")
    deemed = models.BooleanField("逾期默认", default=False)
    # 申诉成立: kept and marked, but no longer counted.
    excluded = models.BooleanField("不计入统计", default=False)

    class Meta:
        verbose_name = "评价"
        verbose_name_plural = "评价"
        constraints = [
            # 一事一评: one first rating per case (a 追评 has `previous`).
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(scope="matter", previous__isnull=True),
                name="rating_one_per_case",
            ),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="rating_level_1_5"),
        ]
        indexes = [models.Index(fields=["department", "created_at"], name="rating_department_time")]

    def __str__(self) -> str:
        return f"{self.get_level_display()}（{self.created_at:%Y-%m-%d}）"

    @property
    def is_bad(self) -> bool:
        return self.level in BAD_LEVELS

    @property
    def subject(self) -> str:
        """What was rated, in words: the case's item, the item, or the visit to a window."""
        if self.case is not None:
            return self.case.item_version.name
        if self.item is not None:
            return str(self.item)
        return "窗口服务"


class TaskStatus(models.TextChoices):
    CALLBACK = "callback", "待核实回访"
    RECTIFYING = "rectifying", "整改中"
    DONE = "done", "已整改反馈"
    APPEAL_UPHELD = "appeal_upheld", "申诉成立"


class Outcome(models.TextChoices):
    IMMEDIATE = "immediate", "立行立改"
    DEADLINE = "deadline", "限期整改"
    EXPLAINED = "explained", "解释说明"


class BadRatingTask(models.Model):
    """差评整改: the department that handled the case verifies and calls back (回访), fixes (整改) and
    tells the rater the result; 谁办理谁负责."""

    rating = models.OneToOneField(Rating, verbose_name="差评", on_delete=models.PROTECT, related_name="task")
    department = models.ForeignKey("catalog.Department", verbose_name="责任部门", on_delete=models.PROTECT)
    status = models.CharField("状态", max_length=16, choices=TaskStatus.choices, default=TaskStatus.CALLBACK)
    callback_due = models.DateField("回访期限")
    fix_due = models.DateField("整改期限")
    called_back_at = models.DateTimeField("回访时间", null=True, blank=True)
    callback_note = models.TextField("核实及回访情况", blank=True)
    fixed_at = models.DateTimeField("整改完成时间", null=True, blank=True)
    outcome = models.CharField("处置方式", max_length=12, choices=Outcome.choices, blank=True)
    result = models.TextField("整改结果", blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "差评整改"
        verbose_name_plural = "差评整改"
        indexes = [models.Index(fields=["department", "status"], name="badtask_department_status")]

    def __str__(self) -> str:
        return f"差评整改 #{self.pk}"

    def callback_late(self, today: date) -> bool:
        """回访 not recorded by its limit (the same rule as selectors.overdue_tasks, in Python)."""
        return self.status == TaskStatus.CALLBACK and self.callback_due < today

    def fix_late(self, today: date) -> bool:
        return self.status in (TaskStatus.CALLBACK, TaskStatus.RECTIFYING) and self.fix_due < today


class AppealReason(models.TextChoices):
    MISTAKEN = "mistaken", "误评"
    MALICIOUS = "malicious", "恶意差评"


class RatingAppeal(models.Model):
    """申诉复核: the department asks that a bad rating be set aside; a supervisor decides."""

    rating = models.ForeignKey(Rating, verbose_name="评价", on_delete=models.PROTECT, related_name="appeals")
    reason = models.CharField("申诉理由", max_length=12, choices=AppealReason.choices)
    statement = models.TextField("申诉说明")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申诉人", on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField("申诉时间")
    upheld = models.BooleanField("申诉成立", null=True, blank=True)
    decision_note = models.TextField("复核意见", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="复核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("复核时间", null=True, blank=True)

    class Meta:
        verbose_name = "差评申诉"
        verbose_name_plural = "差评申诉"
        constraints = [
            # One appeal at a time per rating, and none after one was upheld (checked in services).
            models.UniqueConstraint(
                fields=["rating"], condition=Q(upheld__isnull=True), name="appeal_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"申诉 #{self.pk}"


class RequestType(models.TextChoices):
    """诉求类型."""

    CONSULT = "consult", "咨询"
    HELP = "help", "求助"
    COMPLAINT = "complaint", "投诉"
    SUGGESTION = "suggestion", "建议"
    REPORT = "report", "举报"


class RequestChannel(models.TextChoices):
    PORTAL = "portal", "网上"
    MOBILE = "mobile", "移动端"
    KIOSK = "kiosk", "自助终端"
    HOTLINE = "hotline", "12345热线"
    API = "api", "接口"


class Stage(models.TextChoices):
    """诉求办理环节: 受理 → 派单 → 签收 → 办理 → 答复 → 回访 → 办结 / 重办, with 督办 after a second
    unsatisfied answer."""

    RECEIVED = "received", "待派单"
    DISPATCHED = "dispatched", "待签收"
    HANDLING = "handling", "办理中"
    ANSWERED = "answered", "已答复待回访"
    SUPERVISED = "supervised", "督办中"
    CLOSED = "closed", "已办结"


OPEN_STAGES = (Stage.RECEIVED, Stage.DISPATCHED, Stage.HANDLING, Stage.SUPERVISED)


class ExtensionState(models.TextChoices):
    NONE = "", "未申请"
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "未批准"


def tracking_digest(code: str) -> str:
    """What is stored of a 查询码: read aloud or typed, dashes, spaces and case do not matter."""
    return hashlib.sha256(code.replace("-", "").replace(" ", "").strip().upper().encode()).hexdigest()


class ServiceRequest(models.Model):
    """诉求: a question, plea, complaint, suggestion or report, from intake to 办结."""

    number = models.CharField("诉求编号", max_length=20, unique=True)
    # 查询码: what an anonymous submitter keeps to follow the request; stored as its SM3 digest.
    tracking_digest = models.CharField("查询码摘要", max_length=64, unique=True, editable=False)
    type = models.CharField("类型", max_length=12, choices=RequestType.choices)
    channel = models.CharField("渠道", max_length=8, choices=RequestChannel.choices)
    title = models.CharField("标题", max_length=100)
    text = models.TextField("诉求内容")
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人账号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = EncryptedField("联系电话", blank=True)
    anonymous = models.BooleanField("匿名", default=False)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="受理坐席",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    item = models.ForeignKey(
        "catalog.ServiceItem", verbose_name="涉及事项", null=True, blank=True, on_delete=models.PROTECT
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name="涉及办件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    department = models.ForeignKey(
        "catalog.Department",
        verbose_name="承办部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    suggested = models.JSONField(
        "分类建议", default=list, blank=True, help_text="[{department, item, score}]"
    )
    auto_routed = models.BooleanField("自动派单", default=False)
    stage = models.CharField("环节", max_length=12, choices=Stage.choices, default=Stage.RECEIVED)
    region_code = models.CharField("行政区划代码", max_length=12)
    received_at = models.DateTimeField("受理时间")
    received_on = models.DateField("受理日期")
    due = models.DateField("办理期限")
    sign_due = models.DateField("签收期限", null=True, blank=True)
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    answer = models.TextField("答复内容", blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    extension = models.CharField(
        "延期", max_length=10, choices=ExtensionState.choices, default=ExtensionState.NONE, blank=True
    )
    extension_days = models.PositiveSmallIntegerField("延期（工作日）", default=0)
    extension_reason = models.TextField("延期理由", blank=True)
    redone = models.BooleanField("已重办", default=False)
    satisfied = models.BooleanField("满意", null=True, blank=True)
    supervision_due = models.DateField("督办期限", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_on_time = models.BooleanField("按期办结", null=True, blank=True)

    class Meta:
        verbose_name = "诉求"
        verbose_name_plural = "诉求"
        indexes = [
            models.Index(fields=["department", "stage"], name="request_department_stage"),
            models.Index(fields=["stage", "due"], name="request_stage_due"),
            models.Index(fields=["received_at"], name="request_received"),
        ]

    def __str__(self) -> str:
        return self.number

    def past_due(self, today: date) -> bool:
        """Open (not answered, not closed) after its due date."""
        return self.stage in OPEN_STAGES and self.due < today

    @property
    def protected(self) -> bool:
        """举报: the reporter is never shown to the department nor in an export."""
        return self.type == RequestType.REPORT


EVENT_LABELS = {
    "receive": "受理",
    "dispatch": "派单",
    "sign": "签收",
    "return": "退回",
    "extension_ask": "申请延期",
    "extension_approved": "批准延期",
    "extension_refused": "不批准延期",
    "answer": "答复",
    "satisfied": "回访：满意",
    "redo": "回访不满意，重办",
    "supervise": "再次不满意，转督办",
    "conclude": "督办办结",
    "close_unjudged": "逾期未评价，办结",
}


class RequestEvent(models.Model):
    """诉求流转记录: every step, who took it, and why."""

    request = models.ForeignKey(
        ServiceRequest, verbose_name="诉求", on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("动作", max_length=20)
    stage = models.CharField("环节", max_length=12, choices=Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "catalog.Department",
        verbose_name="部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField("说明", blank=True)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "诉求流转记录"
        verbose_name_plural = "诉求流转记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.action}"

    @property
    def label(self) -> str:
        return EVENT_LABELS.get(self.action, self.action)


class RatingInvitation(models.Model):
    """请您评价: the window clerk asks the person at the desk to rate this visit (一次一评) on the window's
    评价器, the tablet facing them, which shows the clerk's open invitation."""

    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="窗口人员", on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey("catalog.Department", verbose_name="部门", on_delete=models.PROTECT)
    service_point = models.ForeignKey(
        "catalog.ServicePoint", verbose_name="服务网点", null=True, blank=True, on_delete=models.PROTECT
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name="办件", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        "catalog.ServiceItem", verbose_name="事项", null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField("邀请时间")
    rating = models.OneToOneField(
        Rating,
        verbose_name="评价",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invitation",
    )
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "窗口评价邀请"
        verbose_name_plural = "窗口评价邀请"
        indexes = [models.Index(fields=["clerk", "-created_at"], name="invitation_clerk")]

    def __str__(self) -> str:
        return f"评价邀请 #{self.pk}"
