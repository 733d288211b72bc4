"""Journeys: the real main window over a real workspace, driven as a clerk drives it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from tests.ui.journeys.driver import Driver


@pytest.fixture
def driver(qtbot: QtBot) -> Iterator[Driver]:
    journey = Driver(qtbot)
    yield journey
    journey.stop()
    assert journey.unexpected == [], f"message boxes nobody expected: {journey.unexpected}"
