"""The audit trail is append-only: the database refuses changes, and `yiwang audit verify` finds any
row changed, removed or reordered behind the application's back."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.audit.helpers import submitted_case, tamper
from yiwang.audit import chain
from yiwang.audit.models import AuditEntry
from yiwang.audit.services import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(world, settings) -> list[AuditEntry]:
    """Real entries in one chain: a submission, an acceptance, a case-page read, a start of review."""
    settings.YIWANG_AUDIT_CHAINS = 1
    number = submitted_case(world)
    world.officer.act(number, "accept")
    world.officer.get(f"/cases/{number}")
    world.officer.act(number, "start_review")
    return list(AuditEntry.objects.order_by("id"))


def test_each_entry_links_to_the_one_before(trail):
    assert [e.seq for e in trail] == [1, 2, 3, 4]
    assert trail[0].prev_hash == chain.GENESIS
    assert [e.prev_hash for e in trail[1:]] == [e.hash for e in trail[:-1]]


def test_the_database_refuses_to_change_an_entry(trail):
    with pytest.raises(Exception, match="append-only"):
        AuditEntry.objects.filter(pk=trail[1].pk).update(object_label="改过的")


def test_the_database_refuses_to_delete_an_entry(trail):
    with pytest.raises(Exception, match="append-only"):
        AuditEntry.objects.filter(pk=trail[1].pk).delete()


def test_audit_verify_reports_both_chains_intact(trail, capsys):
    call_command("audit", "verify")

    out = capsys.readouterr().out
    assert "用数记录哈希链完整：共 0 条" in out
    assert f"审计日志哈希链完整：共 {len(trail)} 条" in out


def test_audit_verify_detects_a_tampered_entry(trail, capsys):
    tamper("UPDATE audit_auditentry SET ip_address = %s WHERE id = %s", ["192.0.2.1", trail[2].pk])

    with pytest.raises(SystemExit) as exited:
        call_command("audit", "verify")

    assert exited.value.code == 1
    captured = capsys.readouterr()
    assert "审计日志：第 3 条内容与其哈希不符（记录被修改）" in captured.err
    assert "用数记录哈希链完整" in captured.out  # the other chain is still reported


def test_audit_verify_detects_a_deleted_entry(trail, capsys):
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [trail[1].pk])

    with pytest.raises(SystemExit):
        call_command("audit", "verify")

    err = capsys.readouterr().err
    assert "审计日志：第 2 条至第 2 条缺失（记录被删除）" in err
    assert "审计日志：第 3 条与前一条不衔接" in err


def test_the_chain_head_is_rebuilt_from_the_last_entry_when_missing(trail, capsys):
    """As after a restore: backups leave the chain heads out."""
    from yiwang.audit.models import ChainHead

    ChainHead.objects.filter(name=chain.CHAIN).delete()
    entry = record(action="audit.export")

    assert (entry.seq, entry.prev_hash) == (trail[-1].seq + 1, trail[-1].hash)
    call_command("audit", "verify")
    assert f"审计日志哈希链完整：共 {len(trail) + 1} 条" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_trail_and_leaves_it_append_only(world):
    submitted_case(world)

    call_command("flush", interactive=False, verbosity=0)

    assert not AuditEntry.objects.exists()
    entry = record(action="audit.export")
    assert (entry.seq, entry.prev_hash) == (1, chain.GENESIS)
    with pytest.raises(Exception, match="append-only"):
        AuditEntry.objects.update(object_label="改过的")


@pytest.fixture
def chains(world, settings) -> dict[int, list[AuditEntry]]:
    """Four chains; six applications, each accepted: entries by chain, in order."""
    settings.YIWANG_AUDIT_CHAINS = 4
    for _ in range(6):
        world.officer.act(submitted_case(world), "accept")
    by_chain: dict[int, list[AuditEntry]] = {}
    for entry in AuditEntry.objects.order_by("chain", "seq"):
        by_chain.setdefault(entry.chain, []).append(entry)
    return by_chain


def test_each_objects_entries_stay_in_one_chain_and_objects_spread_over_chains(chains):
    assert len(chains) > 1, "six applications and their cases do not all land in one chain"
    for entries_ in chains.values():
        assert [e.seq for e in entries_] == list(range(1, len(entries_) + 1))
        assert entries_[0].prev_hash == chain.GENESIS
        assert [e.prev_hash for e in entries_[1:]] == [e.hash for e in entries_[:-1]]
    chain_of_object: dict[tuple[str, str], set[int]] = {}
    for entry in AuditEntry.objects.all():
        chain_of_object.setdefault((entry.object_type, entry.object_id), set()).add(entry.chain)
    assert all(len(numbers) == 1 for numbers in chain_of_object.values())


def test_audit_verify_names_the_chain_a_tampered_entry_is_in(chains, capsys):
    number = max(chains)
    assert number > 0
    victim = chains[number][-1]
    tamper("UPDATE audit_auditentry SET object_label = %s WHERE id = %s", ["改过的", victim.pk])

    with pytest.raises(SystemExit):
        call_command("audit", "verify")

    assert (
        f"审计日志：第 {number} 号链第 {victim.seq} 条内容与其哈希不符（记录被修改）"
        in capsys.readouterr().err
    )


def test_every_chains_head_is_rebuilt_from_its_last_entry_when_missing(chains, world, capsys):
    from yiwang.audit.models import ChainHead

    ChainHead.objects.filter(name__startswith=chain.CHAIN).delete()
    last = AuditEntry.objects.order_by("id").last()  # the sixth acceptance, labelled with its case
    entries_ = chains[last.chain]
    world.officer.act(last.object_label, "start_review")

    newest = AuditEntry.objects.order_by("id").last()
    assert (newest.chain, newest.seq, newest.prev_hash) == (
        last.chain,
        entries_[-1].seq + 1,
        entries_[-1].hash,
    )
    call_command("audit", "verify")
    assert "审计日志哈希链完整" in capsys.readouterr().out


def test_entries_of_one_chain_still_verify_when_the_trail_grows_to_more(trail, settings, capsys):
    settings.YIWANG_AUDIT_CHAINS = 8
    record(action="audit.export", label="导出")  # no object: chain 0, after the earlier entries
    for number in ("A", "B", "C"):
        record(action="audit.export", object_type="test.thing", object_id=number)

    call_command("audit", "verify")

    assert f"审计日志哈希链完整：共 {len(trail) + 4} 条" in capsys.readouterr().out


def test_heads_of_several_chains_are_locked_use_log_first_whatever_order_they_are_asked_in(world):
    """Two transactions that append to both chains never wait on each other in a circle."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yiwang.audit import hashchain
    from yiwang.sharing import chain as use_log

    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        locked = hashchain.lock_heads([chain.for_object("cases.case", "7"), use_log.USE_LOG])

    assert list(locked) == [use_log.CHAIN, chain.head_name(chain.chain_for("cases.case", "7"))]
    heads_read = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "audit_chainhead"')
    ]
    assert "data_use" in heads_read[0] and "data_use" not in heads_read[-1]


def test_a_chain_without_a_place_in_the_lock_order_is_refused(world):
    from yiwang.audit import hashchain
    from yiwang.audit.models import AuditEntry

    with pytest.raises(ValueError, match="LOCK_ORDER"):
        hashchain.append(hashchain.Chain(AuditEntry, "elsewhere", chain.HASHED_FIELDS), {})
