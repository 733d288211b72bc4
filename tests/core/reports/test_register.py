"""Document numbers: per term for Party bodies, per year for state bodies, never reused."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date

import pytest

from desktop_app.core.errors import CoreError
from desktop_app.core.reports.register import (
    number_for,
    set_party_term,
    set_party_term_start,
    take_number,
)
from desktop_app.core.workspace import Workspace


def test_numbers_run_on_within_a_party_term_across_years(workspace: Workspace) -> None:
    office = workspace.office
    first = take_number(workspace.db, office, "BC", date(2025, 12, 30), "r1", 1)
    second = take_number(workspace.db, office, "BC", date(2026, 1, 5), "r2", 1)
    assert (first, second) == (1, 2)


def test_a_new_term_restarts_party_numbers(workspace: Workspace) -> None:
    office = workspace.office
    take_number(workspace.db, office, "BC", date(2026, 1, 5), "r1", 1)
    set_party_term(workspace.db, "2030-2035")
    assert take_number(workspace.db, office, "BC", date(2030, 11, 2), "r2", 1) == 1


def test_state_numbers_restart_each_year(workspace: Workspace) -> None:
    office = replace(workspace.office, block="state")
    assert take_number(workspace.db, office, "BC", date(2025, 12, 30), "r1", 1) == 1
    assert take_number(workspace.db, office, "BC", date(2026, 1, 2), "r2", 1) == 1
    assert take_number(workspace.db, office, "BC", date(2026, 1, 3), "r3", 1) == 2


def test_types_have_their_own_sequence(workspace: Workspace) -> None:
    office = workspace.office
    assert take_number(workspace.db, office, "BC", date(2026, 1, 5), "r1", 1) == 1
    assert take_number(workspace.db, office, "KH", date(2026, 1, 5), "r2", 1) == 1


def test_asking_again_returns_the_same_number(workspace: Workspace) -> None:
    office = workspace.office
    number = take_number(workspace.db, office, "BC", date(2026, 1, 5), "r1", 1)
    assert take_number(workspace.db, office, "BC", date(2026, 1, 6), "r1", 1) == number
    assert number_for(workspace.db, "r1", 1) == number
    assert take_number(workspace.db, office, "BC", date(2026, 1, 6), "r1", 2) == number + 1


def test_a_number_can_never_be_given_twice(workspace: Workspace) -> None:
    take_number(workspace.db, workspace.office, "BC", date(2026, 1, 5), "r1", 1)
    with pytest.raises(sqlite3.IntegrityError):
        workspace.db.execute(
            "INSERT INTO document_numbers "
            "VALUES (?, 'BC', '2025-2030', 1, 'r9', 1, '2026-01-05', '')",
            [workspace.office.code],
        )


def test_the_term_start_restarts_numbers_for_documents_dated_from_the_congress(
    workspace: Workspace,
) -> None:
    office = workspace.office
    assert take_number(workspace.db, office, "BC", date(2025, 9, 1), "r1", 1) == 1
    assert take_number(workspace.db, office, "BC", date(2025, 9, 20), "r2", 1) == 2

    workspace.documents.set_party_term_start(date(2025, 10, 15))

    assert workspace.documents.party_term_start() == date(2025, 10, 15)
    assert take_number(workspace.db, office, "BC", date(2025, 10, 20), "r3", 1) == 1
    assert take_number(workspace.db, office, "BC", date(2025, 11, 2), "r4", 1) == 2


def test_a_term_start_is_refused_for_a_state_body_or_in_the_future(
    workspace: Workspace,
) -> None:
    with pytest.raises(CoreError) as future:
        workspace.documents.set_party_term_start(date(2999, 1, 1))
    assert future.value.code == "register.term_start_invalid"
    state = replace(workspace.office, block="state")
    with pytest.raises(CoreError) as not_party:
        set_party_term_start(workspace.db, state, date(2025, 10, 15), "tester")
    assert not_party.value.code == "register.term_not_party"
    assert workspace.documents.party_term_start() is None
