"""Consolidation of 10,000 received reports × 200 indicators against a plain SQL ``GROUP BY``.

Run: ``.venv/bin/python bench/bench_consolidation.py [REPORTS]``. A province workspace is made
in a temporary folder with a synthetic 200-indicator quarterly template (10 tables of 20:
16 integer sums, a decimal sum, a decimal max, a yes/no count and a computed ratio of sums),
10,000 units and one accepted received revision each, inserted directly with SQL in one
transaction. The baseline is SQLite summing the same stored values per indicator over the same
revisions; the measured path is ``consolidation.consolidate`` (owed units, counted revisions,
typed figures, every rule, per-unit breakdown). Target: sql_time / consolidation_time >= 0.5.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_app.core.model.offices import Office
from desktop_app.core.reports.templates import Template, load_template_bytes
from desktop_app.core.store.database import write_transaction
from desktop_app.core.workspace import Workspace

TARGET_RATIO = 0.5
RUNS = 5
REPORTS = 10_000
TABLES, PER_TABLE = 10, 20
PERIOD = "2026Q3"
PROVINCE = Office(code="TU-38", name="Tỉnh ủy Thanh Hóa", level="province", block="party")

SQL_BASELINE = """
SELECT v.indicator_id, SUM(CAST(v.value AS REAL))
FROM reports r
JOIN report_values v ON v.report_id = r.id AND v.revision = r.current_revision
WHERE r.origin = 'received' AND r.template_id = ? AND r.period = ?
GROUP BY v.indicator_id
"""


def synthetic_template() -> Template:
    tables, sections = [], []
    for t in range(TABLES):
        indicators: list[dict[str, Any]] = [
            {
                "id": f"t{t}_i{i}",
                "label": f"Chỉ tiêu {t}.{i}",
                "unit": "cái",
                "type": "integer",
                "min": 0,
                "aggregation": "sum",
            }
            for i in range(PER_TABLE - 4)
        ]
        indicators += [
            {
                "id": f"t{t}_kinh_phi",
                "label": f"Kinh phí {t}",
                "unit": "triệu đồng",
                "type": "decimal",
                "aggregation": "sum",
            },
            {
                "id": f"t{t}_lau_nhat",
                "label": f"Thời gian dài nhất {t}",
                "unit": "giờ",
                "type": "decimal",
                "aggregation": "max",
            },
            {
                "id": f"t{t}_co",
                "label": f"Đã triển khai {t}",
                "type": "yesno",
                "aggregation": "count_yes",
            },
            {
                "id": f"t{t}_ty_le",
                "label": f"Tỷ lệ {t}",
                "unit": "%",
                "type": "percent",
                "formula": f"t{t}_i1 / t{t}_i0 * 100",
                "aggregation": "ratio",
                "ratio": {"numerator": f"t{t}_i1", "denominator": f"t{t}_i0", "scale": 100},
            },
        ]
        tables.append({"id": f"t{t}", "title": f"Biểu {t + 1:02d}", "indicators": indicators})
        sections.append({"id": f"s{t}", "title": f"Mục {t + 1}", "tables": [f"t{t}"]})
    document = {
        "format": "baocao-template",
        "format_version": 1,
        "id": "bench-200",
        "version": 1,
        "title": "Mẫu thử 200 chỉ tiêu",
        "directive": {
            "code": "01-CT/TU",
            "title": "Thử",
            "issuer": "Tỉnh ủy",
            "issued_on": "2026-01-01",
        },
        "issuing_level": "province",
        "block": "party",
        "period_type": "quarterly",
        "schedule": {"cutoff": {"day_of_last_month": 14}, "deadline": {"day_of_next_month": 5}},
        "document": {"type_name": "BÁO CÁO", "type_abbr": "BC", "summary": "Thử {period_title}"},
        "sections": sections,
        "tables": tables,
    }
    return load_template_bytes(json.dumps(document, ensure_ascii=False).encode(), "bench-200")


def stored_figure(indicator_type: str, rnd: random.Random) -> str:
    if indicator_type == "integer":
        return str(rnd.randint(1, 5000))
    if indicator_type == "yesno":
        return rnd.choice(("yes", "no"))
    return str(Decimal(rnd.randint(0, 99999)) / 10)


def fill(workspace: Workspace, template: Template, reports: int) -> int:
    """Units, ledger rows, received reports and their values, straight into the store."""
    rnd = random.Random(58)
    stored = [i for i in template.indicators if not i.is_computed]
    now = "2026-10-03T09:00:00+07:00"
    units = [f"DU-{n:05d}" for n in range(reports)]
    db = workspace.db
    with write_transaction(db):
        db.conn.executemany(
            "INSERT INTO offices (code, name, level, block, parent_code) "
            "VALUES (?, ?, 'commune', 'party', ?)",
            [(code, f"Đảng ủy xã {code}", PROVINCE.code) for code in units],
        )
        db.conn.executemany(
            "INSERT INTO inbox_ledger (id, received_at, file_name, sha256, sender_code, seq, "
            "manifest_sha256, status, code) VALUES (?, ?, ?, ?, ?, 1, ?, 'accepted', '')",
            [
                (n + 1, now, f"BC_{code}_000001_20261003.baocao", f"{n:064x}", code, f"{n:064x}")
                for n, code in enumerate(units)
            ],
        )
        db.conn.executemany(
            "INSERT INTO reports (id, template_id, template_version, period, office_code, "
            "origin, current_revision, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, 'received', 1, ?, ?)",
            [
                (f"r-{code}", template.id, template.version, PERIOD, code, now, now)
                for code in units
            ],
        )
        db.conn.executemany(
            "INSERT INTO revisions (report_id, revision, status, approved_at, created_at) "
            "VALUES (?, 1, 'approved', ?, ?)",
            [(f"r-{code}", now, now) for code in units],
        )
        db.conn.executemany(
            "INSERT INTO received_revisions (report_id, revision, ledger_id, manifest_sha256, "
            "approved_at, imported_at) VALUES (?, 1, ?, ?, ?, ?)",
            [(f"r-{code}", n + 1, f"{n:064x}", now, now) for n, code in enumerate(units)],
        )
        db.conn.executemany(
            "INSERT INTO report_values (report_id, revision, indicator_id, value) "
            "VALUES (?, 1, ?, ?)",
            ((f"r-{code}", i.id, stored_figure(i.type, rnd)) for code in units for i in stored),
        )
    return len(stored) * reports


def best_times(*runs: Callable[[], object]) -> list[float]:
    """The best of RUNS timings of each, taken in turn so that a busy machine slows all alike."""
    best = [float("inf")] * len(runs)
    for _ in range(RUNS):
        for index, run in enumerate(runs):
            started = time.perf_counter()
            run()
            best[index] = min(best[index], time.perf_counter() - started)
    return best


def main() -> int:
    reports = int(sys.argv[1]) if len(sys.argv) > 1 else REPORTS
    template = synthetic_template()
    with (
        tempfile.TemporaryDirectory() as folder,
        Workspace.open(Path(folder), automatic_backup=False) as workspace,
    ):
        workspace.initialise(PROVINCE, install_bundled_templates=False)
        workspace.templates.install(template)
        started = time.perf_counter()
        values = fill(workspace, template, reports)
        print(
            f"store: {reports:,} reports, {values:,} stored values "
            f"({time.perf_counter() - started:.1f} s to insert)"
        )

        def sql() -> object:
            return workspace.db.execute(SQL_BASELINE, [template.id, PERIOD]).fetchall()

        result = workspace.upper.consolidate(template.id, PERIOD)
        assert len(result.units_included) == reports and not result.units_missing
        by_sql = dict(workspace.db.execute(SQL_BASELINE, [template.id, PERIOD]).fetchall())
        assert float(result.total("t0_i0").value or 0) == by_sql["t0_i0"]

        sql_time, consolidation_time = best_times(
            sql, lambda: workspace.upper.consolidate(template.id, PERIOD)
        )
    ratio = sql_time / consolidation_time
    print(f"SQL GROUP BY sum:   {sql_time:.3f} s")
    print(
        f"consolidate():      {consolidation_time:.3f} s "
        f"({values / consolidation_time / 1e6:.2f} M values/s)"
    )
    verdict = "met" if ratio >= TARGET_RATIO else "MISSED"
    print(f"ratio sql/consolidation = {ratio:.2f}  (target >= {TARGET_RATIO}: {verdict})")
    return 0 if ratio >= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
