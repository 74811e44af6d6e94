"""The use log is hash-chained: `yiwang audit verify` finds any edited, deleted or reordered row."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.tampering import as_dba
from yiwang.audit.hashchain import GENESIS
from yiwang.sharing import chain
from yiwang.sharing.models import DataUse

pytestmark = pytest.mark.django_db


def append_rows(n: int) -> list[DataUse]:
    return [
        chain.append(
            actor_name="李审批",
            department_name="示范市市场监督管理局",
            case_number=f"C-{i}",
            reason="核验营业执照",
            holder_code="91330106MA2B3C4D11",
            action="query",
            fields=["uscc"],
            outcome="granted",
            basis="holder_authorised",
        )
        for i in range(n)
    ]


def tamper(sql: str, params: list) -> None:
    as_dba("sharing_datause", sql, params)


def test_an_untouched_chain_verifies(capsys):
    append_rows(5)
    call_command("audit", "verify")
    assert "用数记录哈希链完整：共 5 条" in capsys.readouterr().out


def test_each_row_links_to_the_one_before():
    rows = append_rows(3)
    assert rows[0].prev_hash == GENESIS
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]


def test_the_database_refuses_to_change_a_row():
    (row,) = append_rows(1)
    with pytest.raises(Exception, match="append-only"):
        DataUse.objects.filter(pk=row.pk).update(reason="改过的事由")


def test_the_database_refuses_to_delete_a_row():
    (row,) = append_rows(1)
    with pytest.raises(Exception, match="append-only"):
        DataUse.objects.filter(pk=row.pk).delete()


def test_an_edited_row_is_detected(capsys):
    rows = append_rows(4)
    tamper("UPDATE sharing_datause SET reason = %s WHERE id = %s", ["随便看看", rows[1].pk])
    with pytest.raises(SystemExit) as exited:
        call_command("audit", "verify")
    assert exited.value.code == 1
    assert "第 2 条内容与其哈希不符（记录被修改）" in capsys.readouterr().err


def test_a_deleted_row_is_detected(capsys):
    rows = append_rows(4)
    tamper("DELETE FROM sharing_datause WHERE id = %s", [rows[2].pk])
    with pytest.raises(SystemExit):
        call_command("audit", "verify")
    err = capsys.readouterr().err
    assert "第 3 条至第 3 条缺失（记录被删除）" in err
    assert "第 4 条与前一条不衔接" in err


def test_a_deleted_last_row_is_detected(capsys):
    rows = append_rows(3)
    tamper("DELETE FROM sharing_datause WHERE id = %s", [rows[-1].pk])
    with pytest.raises(SystemExit):
        call_command("audit", "verify")
    assert "链尾应为第 3 条，实际为第 2 条" in capsys.readouterr().err


def test_reordered_rows_are_detected(capsys):
    rows = append_rows(3)
    tamper("UPDATE sharing_datause SET seq = seq + 100 WHERE id = %s", [rows[0].pk])
    tamper("UPDATE sharing_datause SET seq = 1 WHERE id = %s", [rows[1].pk])
    tamper("UPDATE sharing_datause SET seq = 2 WHERE id = %s", [rows[0].pk])
    with pytest.raises(SystemExit):
        call_command("audit", "verify")
    assert "与前一条不衔接" in capsys.readouterr().err
