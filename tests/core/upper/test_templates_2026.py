"""The 2026 templates, each in a province with two commune Party committees and a state office.

For every template the communes save an earlier period, then fill in, approve and send the
next one: every indicator, every entered grid cell and a task list, typed from figures made up
here. The reports must validate without an error and print. The province imports the bundles
and consolidates; each consolidated cell, count by status and overdue task is compared with
what this file computes from the figures it fed in (sums, carried targets, previous and
cumulative cells, total rows, rates as ratios of sums), never with the app's own aggregation.
The state office owes none of these Party templates and is never listed as missing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.documents.table_appendices import form_label_and_title
from desktop_app.core.model.offices import Office
from desktop_app.core.model.periods import parse_period
from desktop_app.core.reports.records import ContentChanges
from desktop_app.core.reports.tables import Column, Grid, TaskList
from desktop_app.core.reports.templates import Template, bundled_template_files, load_template_file
from desktop_app.core.upper.consolidation import Consolidation
from desktop_app.core.workspace import Workspace
from tests.attachment_files import scan_pdf
from tests.core.documents.pdftext import page_texts
from tests.core.upper.helpers import (
    CENTRAL,
    CHEAP,
    PARTY_PROVINCE,
    PASSPHRASE,
    approve_and_export,
    imported,
    party_communes,
)

# template id → (the period saved first, the period sent and consolidated)
PERIODS = {
    "kh02-tien-do": ("202601", "202602"),
    "qd204-cds-co-quan-dang": ("2026S1", "2026S2"),
    "bao-cao-thang": ("202602", "202603"),
    "so-ket-6-thang": ("2025S1", "2026S1"),  # owed for the first half only
    "tong-ket-nam": ("2025", "2026"),
    "nhiem-vu-cap-tren-giao": ("2026Q1", "2026Q2"),
}
TEMPLATES = {
    path.stem: load_template_file(path) for path in bundled_template_files() if path.stem in PERIODS
}
PROVINCE = PARTY_PROVINCE
COMMUNES = party_communes(2)
STATE_OFFICE = Office(
    code="UB-01",
    name="Ủy ban nhân dân xã Xuân Du",
    level="commune",
    block="state",
    parent_code=PROVINCE.code,
)
NAME = re.compile(r"[a-z_][a-z0-9_]*")

Cells = dict[str, dict[str, int]]  # row → column → figure


# --- the figures the communes type --------------------------------------------------------------


def entered_columns(grid: Grid) -> list[Column]:
    return [c for c in grid.columns if c.carry is None and c.formula is None]


def grid_cells(grid: Grid, n: int, step: int) -> Cells:
    """Commune ``n``'s figures for its ``step``-th period; a part is a third of its whole."""
    cells: Cells = {}
    for i, row in enumerate(grid.rows):
        if row.formula is not None:
            continue  # a total row: computed from its parts
        if row.parent is not None and row.parent in cells:
            cells[row.id] = {c: v // 3 for c, v in cells[row.parent].items()}
            continue
        base = 7 * n + 3 * i + 2 * step
        cells[row.id] = {c.id: base + j for j, c in enumerate(entered_columns(grid))}
    return cells


def indicator_values(template: Template, n: int) -> dict[str, object]:
    """Every entered indicator; counts fall with their place in the table so that a part
    (chi bộ sinh hoạt) never exceeds the whole listed before it (số chi bộ)."""
    values: dict[str, object] = {}
    for k, indicator in enumerate(i for i in template.indicators if i.formula is None):
        if indicator.type == "integer":
            values[indicator.id] = 60 + 3 * n - 5 * k
        elif indicator.type == "decimal":
            values[indicator.id] = f"{10 + n},5"
        elif indicator.type == "yesno":
            values[indicator.id] = n % 2 == 1
        elif indicator.type == "choice":
            values[indicator.id] = indicator.choices[0].value
    return values


def narratives(template: Template, n: int) -> dict[str, str]:
    return {
        section.id: f"{section.title}: nội dung của đơn vị số {n}."
        for _, section in template.walk_sections()
        if section.narrative
    }


def cutoff_of(template: Template, period_code: str) -> date:
    """Every 2026 template sets its cut-off as a day of the period's last month."""
    period = parse_period(period_code, template.period_type)
    assert period.end is not None
    day = template.schedule["cutoff"]["day_of_last_month"]
    return period.end.replace(day=day)


def task_rows(task_list: TaskList, n: int, cutoff: date, evidence: str) -> list[dict[str, object]]:
    """2 + n tasks; deadlines before, on and after the cut-off; statuses in turn; every
    attachment cell cites ``evidence``, the SHA-256 of the report's scan."""
    status = task_list.status
    rows = []
    for k in range(2 + n):
        row: dict[str, object] = {}
        for column in task_list.columns:
            if status is not None and column.id == status.column:
                row[column.id] = column.choices[(k + n) % len(column.choices)].value
            elif column.type == "choice":
                row[column.id] = column.choices[k % len(column.choices)].value
            elif column.type == "date":
                row[column.id] = cutoff + timedelta(days=20 * (k % 3 - 1))
            elif column.type in ("percent", "integer"):
                row[column.id] = 25 * (k % 5)
            elif column.type == "attachment":
                row[column.id] = evidence
            else:
                row[column.id] = f"{column.label} {k + 1} (đơn vị {n})"
        rows.append(row)
    return rows


def is_overdue(task_list: TaskList, row: dict[str, object], cutoff: date) -> bool:
    """Marked overdue, or due before the cut-off and not done (docs/template-format.md)."""
    status = task_list.status
    assert status is not None and status.deadline is not None
    state, deadline = row[status.column], row[status.deadline]
    late = isinstance(deadline, date) and deadline < cutoff and state not in status.done
    return state == status.overdue or late


@dataclass
class Fed:
    """What one commune typed for both periods."""

    values: dict[str, object]
    grids: dict[int, dict[str, Cells]]  # step (1, 2) → grid → cells
    lists: dict[str, list[dict[str, object]]]  # the sent period's lists


def file_report(commune: Workspace, template: Template, n: int, step: int) -> tuple[str, Fed]:
    period = PERIODS[template.id][step - 1]
    cutoff = cutoff_of(template, period)
    grids = {g.id: grid_cells(g, n, step) for g in template.grids}
    values = indicator_values(template, n)
    report = commune.reports.new(template.id, period)
    scan = commune.reports.attach_bytes(report, f"Biên bản {n}.pdf", scan_pdf(f"Đơn vị {n}"))
    lists = {t.id: task_rows(t, n, cutoff, scan.sha256) for t in template.lists}
    changes = ContentChanges(
        values=values, narratives=narratives(template, n), grids=grids, lists=lists
    )
    commune.reports.save(report, changes)
    return report, Fed(values, {step: grids}, lists)


# --- the network --------------------------------------------------------------------------------


@dataclass
class Network:
    template: Template
    province: Workspace
    communes: list[Workspace]
    reports: list[str]
    fed: list[Fed]
    result: Consolidation


def open_office(root: Path, office: Office, parent: Office, template: Template) -> Workspace:
    workspace = Workspace.open(root / office.code, automatic_backup=False, kdf_cost=CHEAP)
    workspace.initialise(office, install_bundled_templates=False)
    workspace.templates.install(template)
    workspace.add_unit(parent)
    workspace.keys.create(PASSPHRASE)
    return workspace


@pytest.fixture(scope="module", params=sorted(PERIODS))
def network(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Network]:
    template = TEMPLATES[request.param]
    root = tmp_path_factory.mktemp(template.id)
    stick = root / "usb"
    stick.mkdir()
    province = open_office(root, PROVINCE, CENTRAL, template)
    province.add_unit(STATE_OFFICE)
    communes, reports, fed, bundles = [], [], [], []
    for n, office in enumerate(COMMUNES, 1):
        commune = open_office(root, office, PROVINCE, template)
        province.add_unit(commune.office)
        public = province.keys.read_key_file(commune.keys.public_key_file())
        province.keys.trust_unit(public, office.code)
        _, first = file_report(commune, template, n, 1)
        report, second = file_report(commune, template, n, 2)
        second.grids.update(first.grids)
        errors = [i for i in commune.reports.validate(report) if i.severity == "error"]
        assert errors == [], (template.id, errors)
        bundles.append(approve_and_export(commune, report, stick))
        communes.append(commune)
        reports.append(report)
        fed.append(second)
    imported(province, *bundles)
    result = province.upper.consolidate(template.id, PERIODS[template.id][1])
    yield Network(template, province, communes, reports, fed, result)
    for workspace in (province, *communes):
        workspace.close()


# --- what the province must find, computed here ---------------------------------------------


class Expected:
    """A grid's consolidated cells computed from the fed figures, without the app's rules."""

    def __init__(self, network: Network, grid: Grid) -> None:
        self.grid, self.fed = grid, network.fed
        first, sent = PERIODS[network.template.id]
        self.year = sent[:4]
        self.same_year = first[:4] == self.year
        self.rows = {r.id: r for r in grid.rows}
        self.columns = {c.id: c for c in grid.columns}

    def entered(self, row: str, column: str, step: int) -> Decimal:
        return Decimal(sum(f.grids[step][self.grid.id][row][column] for f in self.fed))

    def cell(self, row_id: str, column_id: str) -> Decimal | None:
        row, column = self.rows[row_id], self.columns[column_id]
        if column.formula is not None:
            return self._column_formula(row_id, column)
        if row.formula is not None:
            return self._sum(row.formula.source, lambda r: self.cell(r, column_id))
        if column.carry == "target":
            target = row.targets.get(self.year)
            return None if target is None else target * len(self.fed)
        if column.carry == "previous":
            assert column.source is not None
            return self.entered(row_id, column.source, 1)
        if column.carry == "cumulative":
            assert column.source is not None
            earlier = self.entered(row_id, column.source, 1) if self.same_year else 0
            return earlier + self.entered(row_id, column.source, 2)
        return self.entered(row_id, column_id, 2)

    def _column_formula(self, row_id: str, column: Column) -> Decimal | None:
        assert column.formula is not None
        if column.ratio is None:
            return self._sum(column.formula.source, lambda c: self.cell(row_id, c))
        top = self.cell(row_id, column.ratio.numerator)
        bottom = self.cell(row_id, column.ratio.denominator)
        if top is None or not bottom:
            return None
        return top / bottom * column.ratio.scale

    @staticmethod
    def _sum(formula: str, value: Any) -> Decimal | None:
        """Every total in these templates is a plain sum of names."""
        assert set(formula) <= set("abcdefghijklmnopqrstuvwxyz_0123456789 +"), formula
        parts = [value(name) for name in NAME.findall(formula)]
        return None if None in parts else sum(parts, Decimal(0))


def test_every_commune_counts_and_the_state_office_owes_nothing(network: Network) -> None:
    assert network.result.units_included == ("DU-01", "DU-02")
    assert network.result.units_missing == ()
    owed = network.province.upper.obligations(PERIODS[network.template.id][1], network.template.id)
    assert {o.unit_code for o in owed} == {"DU-01", "DU-02"}


def test_every_grid_cell_is_the_total_computed_here(network: Network) -> None:
    checked = 0
    for grid in network.template.grids:
        totals, expected = network.result.grid(grid.id), Expected(network, grid)
        for row in grid.rows:
            for column in grid.columns:
                want = expected.cell(row.id, column.id)
                got = totals.value(row.id, column.id)
                where = (grid.id, row.id, column.id)
                if want is None:
                    assert got is None, where
                else:
                    assert got is not None and float(got) == pytest.approx(float(want)), where
                    checked += 1
    assert checked >= 8


def test_indicators_are_summed_or_counted(network: Network) -> None:
    for indicator in network.template.indicators:
        total = network.result.total(indicator.id).value
        typed = [f.values.get(indicator.id) for f in network.fed]
        if indicator.aggregation == "sum" and indicator.type == "integer":
            assert total == sum(int(str(v)) for v in typed), indicator.id
        elif indicator.aggregation == "count_yes":
            assert total == sum(v is True for v in typed), indicator.id


def test_tasks_are_counted_by_status_and_the_overdue_ones_listed(network: Network) -> None:
    cutoff = cutoff_of(network.template, PERIODS[network.template.id][1])
    for task_list in network.template.lists:
        totals = network.result.task_list(task_list.id)
        rows = {c.code: f.lists[task_list.id] for c, f in zip(COMMUNES, network.fed, strict=True)}
        assert task_list.status is not None
        status = task_list.status.column
        assert totals.rows_by_unit == {code: len(r) for code, r in rows.items()}
        counted = Counter(str(row[status]) for unit in rows.values() for row in unit)
        assert {k: v for k, v in totals.by_status.items() if v} == dict(counted)
        late = sorted(
            (code, str(row["noi_dung"]))
            for code, unit in rows.items()
            for row in unit
            if is_overdue(task_list, row, cutoff)
        )
        assert late  # the figures above make some tasks late
        assert sorted((t.unit_code, str(t.row["noi_dung"])) for t in totals.overdue) == late
        # An overdue task's evidence reads as the document's name, as its unit named it.
        cited = [c.id for c in task_list.columns if c.type == "attachment"]
        for task in totals.overdue:
            n = 1 + [c.code for c in COMMUNES].index(task.unit_code)
            assert all(task.row[c] == f"Biên bản {n}.pdf" for c in cited)


def test_every_communes_scan_arrives_whole_and_is_cited_by_its_tasks(network: Network) -> None:
    for n, report in enumerate(network.reports, 1):
        (scan,) = network.province.reports.attachments(report)
        assert network.province.reports.attachment_content(report, scan.sha256) == scan_pdf(
            f"Đơn vị {n}"
        )
        for task_list in network.template.lists:
            cited = {c.id for c in task_list.columns if c.type == "attachment"}
            for row in network.fed[n - 1].lists[task_list.id]:
                assert all(row[column] == scan.sha256 for column in cited)


def test_the_sent_report_prints_every_grid_and_list(network: Network) -> None:
    pdf = network.communes[0].documents.report_pdf(network.reports[0])
    text = " ".join(" ".join(page_texts(pdf)).split()).casefold()  # headings are set in capitals
    template = network.template
    for title in [g.title for g in template.grids] + [t.title for t in template.lists]:
        form, plain = form_label_and_title(title)  # "Biểu 01" apart from "NHIỆM VỤ …"
        assert plain.casefold() in text and form.casefold() in text, title
    for _, section in template.walk_sections():
        assert section.title.casefold() in text, section.id
    for row in template.grids[0].rows:
        assert row.label.casefold() in text, row.id
    # The opening names the directive by its kind: "Thực hiện Quy chế số 08-QC/TW …".
    code = template.raw["directive"]["code"]
    assert f"số {code}".casefold() in text
    assert "thực hiện văn bản số" not in text  # its kind is named, not "văn bản"


def test_the_consolidated_report_starts_from_the_totals(network: Network) -> None:
    province, template = network.province, network.template
    period = PERIODS[template.id][1]
    report = province.upper.create_consolidated_report(template.id, period, result=network.result)
    grids = province.reports.content(report).grids
    grid = template.grids[0]
    expected = Expected(network, grid)
    row = next(r for r in grid.rows if r.formula is None and r.parent is None)
    for column in entered_columns(grid):
        assert Decimal(grids[grid.id][row.id][column.id]) == expected.cell(row.id, column.id)
    assert province.documents.report_pdf(report).startswith(b"%PDF")


def test_the_blank_form_prints_the_empty_grids_and_lists(network: Network) -> None:
    template = network.template
    pdf = network.communes[0].documents.blank_form_pdf(template.id)
    text = " ".join(" ".join(page_texts(pdf)).split()).casefold()
    for title in [g.title for g in template.grids] + [t.title for t in template.lists]:
        form, plain = form_label_and_title(title)  # "Biểu 01" apart from "NHIỆM VỤ …"
        assert plain.casefold() in text and form.casefold() in text, title
