"""Recipient lists as typed or stored: NFC, trimmed, empty lines dropped, bad shapes refused."""

from __future__ import annotations

import unicodedata

import pytest

from desktop_app.core.errors import CoreError
from desktop_app.core.model.offices import Office
from desktop_app.core.reports.recipients import Recipients, derived_defaults


def test_typed_lists_are_normalised() -> None:
    decomposed = unicodedata.normalize("NFD", "Ban Thường vụ Tỉnh ủy (b/c)")
    recipients = Recipients.from_json(
        {"addressees": [f"  {decomposed} ", "", "  "], "copies": [], "archive": " Lưu VT "}
    )
    assert recipients.addressees == ("Ban Thường vụ Tỉnh ủy (b/c)",)
    assert recipients.archive == "Lưu VT"
    assert Recipients.from_json(recipients.to_json()) == recipients


@pytest.mark.parametrize(
    "raw",
    [
        [],
        {"addressees": "Ban Thường vụ"},
        {"addressees": [1]},
        {"copies": ["x" * 201]},
        {"addressees": ["a"] * 31},
        {"archive": 3},
        {"to": ["Ban Thường vụ"]},
    ],
)
def test_bad_shapes_are_refused(raw: object) -> None:
    with pytest.raises(CoreError) as refused:
        Recipients.from_json(raw)
    assert refused.value.code == "recipients.invalid"


def test_defaults_follow_the_office_above() -> None:
    ward = Office(code="DU", name="Đảng ủy phường Hạc Thành", level="commune", block="party")
    province = Office(code="TU", name="Tỉnh ủy Thanh Hóa", level="province", block="party")
    state = Office(
        code="UB", name="Ủy ban nhân dân phường Hạc Thành", level="commune", block="state"
    )
    above = Office(
        code="UBT", name="Ủy ban nhân dân tỉnh Thanh Hóa", level="province", block="state"
    )

    assert derived_defaults(ward, province) == Recipients(
        ("Ban Thường vụ Tỉnh ủy Thanh Hóa (b/c)",), (), "Lưu Văn phòng Đảng ủy phường Hạc Thành"
    )
    assert derived_defaults(state, above) == Recipients(
        ("Ủy ban nhân dân tỉnh Thanh Hóa",), (), "Lưu: VT"
    )
    assert derived_defaults(ward, None).addressees == ()
