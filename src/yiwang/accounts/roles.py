"""工作人员角色: the posts a staff account may hold (`User.roles`), which the policy grants permissions to."""

from __future__ import annotations

from django.db import models


class StaffRole(models.TextChoices):
    """工作人员角色."""

    WINDOW_CLERK = "window_clerk", "综合窗口人员"
    OFFICER = "officer", "审批人员"
    DEPARTMENT_HEAD = "department_head", "部门负责人"
    CATALOG_ADMIN = "catalog_admin", "事项管理员"
    SUPERVISOR = "supervisor", "效能监察人员"
    HOTLINE_OPERATOR = "hotline_operator", "热线坐席"  # types a caller's request into the desk
    DISPATCHER = "dispatcher", "派单员"  # routes requests the classifier was unsure of, approves extensions
