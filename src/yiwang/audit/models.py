"""审计日志: every state change and every staff read of personal data — who, what, when, from where.

Rows form SM3 hash chains like the use log (`yiwang.sharing`): each carries the hash of its own
content and of the row before it in its chain, so editing, deleting or reordering a row breaks the chain
(`yiwang audit verify`). The database refuses UPDATE and DELETE too (migration 0002). No row holds a
clear ID or mobile number: labels and details are masked when written (`audit.services.record`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    CASE_TRANSITION = "case.transition", "办件状态变更"
    APPLICATION_SUBMIT = "application.submit", "提交申请"
    PLEDGE_CONCLUDE = "pledge.conclude", "承诺核查结论"
    CREDIT_REPAIR = "credit.repair", "信用修复"
    REAL_NAME_VERIFY = "account.real_name", "实名认证"
    LOGIN_UNLOCK = "account.login_unlock", "解除登录锁定"
    PERSONAL_DATA_READ = "personal_data.read", "查阅个人信息"
    AUDIT_EXPORT = "audit.export", "导出审计日志"
    RATING_CALLBACK = "rating.callback", "差评核实回访"
    RATING_RECTIFIED = "rating.rectified", "差评整改反馈"
    RATING_APPEAL = "rating.appeal", "差评申诉"
    RATING_APPEAL_DECIDED = "rating.appeal_decided", "差评申诉复核"
    ADMIN_ADD = "admin.add", "后台新增"
    ADMIN_CHANGE = "admin.change", "后台修改"
    ADMIN_DELETE = "admin.delete", "后台删除"


class AuditChannel(models.TextChoices):
    """Where the request came in; `system` for sweeps and tasks, `command` for the command line."""

    PORTAL = "portal", "门户"
    WORKBENCH = "workbench", "工作台"
    API = "api", "开放接口"
    ADMIN = "admin", "管理后台"
    KIOSK = "kiosk", "自助终端"
    COMMAND = "command", "命令行"
    SYSTEM = "system", "系统"


class AuditEntry(models.Model):
    """One entry, at position `seq` of hash chain `chain`.

    The trail is several chains (settings.YIWANG_AUDIT_CHAINS), each with its own head row: appends to
    different chains do not queue on one lock. An object's entries are always in the same chain; the
    trail as a whole is in `id` order.
    """

    chain = models.PositiveSmallIntegerField("哈希链", default=0)
    seq = models.BigIntegerField("序号")
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField("操作人姓名", max_length=150)
    actor_roles = models.JSONField("岗位角色", default=list)
    department = models.ForeignKey(
        "catalog.Department",
        verbose_name="所属部门",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # auditentry_department_recent leads with it
    )
    department_name = models.CharField("部门名称", max_length=100, blank=True)
    ip_address = models.CharField("来源地址", max_length=45, blank=True)
    user_agent = models.CharField("终端", max_length=300, blank=True)
    channel = models.CharField("渠道", max_length=20, choices=AuditChannel.choices)
    action = models.CharField("操作", max_length=40, choices=AuditAction.choices)
    object_type = models.CharField("对象类型", max_length=60, blank=True)
    object_id = models.CharField("对象标识", max_length=64, blank=True)
    object_label = models.CharField("对象", max_length=200, blank=True)
    detail = models.JSONField("详情", default=dict)
    prev_hash = models.CharField("前一条哈希", max_length=64)
    hash = models.CharField("本条哈希", max_length=64)

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="auditentry_chain_seq")]
        indexes = [
            models.Index(fields=["action", "-id"], name="auditentry_action_latest"),
            models.Index(fields=["department", "-id"], name="auditentry_department_latest"),
            models.Index(fields=["object_type", "object_id"], name="auditentry_object"),
            models.Index(fields=["at"], name="auditentry_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.chain}-{self.seq} {self.actor_name} {self.get_action_display()} {self.object_label}"


class ChainHead(models.Model):
    """The last appended row of a hash chain (`audit.hashchain`): the audit trail's chains and the use
    log's; appends lock it so each chain stays a line, never a tree."""

    name = models.CharField(max_length=20, primary_key=True)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.name}@{self.seq}"
