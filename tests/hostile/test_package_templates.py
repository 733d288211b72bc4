"""A configuration package, signed by the province, carrying a hostile template: refused as
the template file would be, naming the template, and the ward's store unchanged."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.clock import timestamp
from desktop_app.core.errors import CoreError
from desktop_app.core.exchange import keyring
from desktop_app.core.exchange.formats.model import Office as WireOffice
from desktop_app.core.exchange.formats.packages import ConfigFields, build_config_package
from desktop_app.core.workspace import Workspace
from tests.conftest import DISTRICT
from tests.core.exchange.bundles.conftest import CHEAP, PASSPHRASE, PROVINCE
from tests.hostile.store_dump import dump
from tests.hostile.test_templates import edited, formula

HOSTILE_IN_PACKAGE: dict[str, str] = {
    # each under the schema's 2,000 characters, so only the formula's own bounds can refuse it
    "deep-parentheses": edited(formula("(" * 900 + "tong_may_tinh" + ")" * 900)),
    "unary-minus-chain": edited(formula("-" * 1900 + "tong_may_tinh")),
    "not-chain": edited(formula("not " * 450 + "tong_may_tinh")),
    "round-to-40-places": edited(formula("round(may_tinh_ket_noi / tong_may_tinh * 100, 40)")),
    "round-to-computed-places": edited(formula("round(tong_may_tinh, tong_can_bo)")),
    "literal-of-1900-digits": edited(formula("tong_may_tinh * 1" + "0" * 1900)),
}


@pytest.fixture
def ward_and_key(tmp_path: Path) -> Iterator[tuple[Workspace, Any]]:
    with (
        Workspace.open(tmp_path / "province", automatic_backup=False, kdf_cost=CHEAP) as prov,
        Workspace.open(tmp_path / "ward", automatic_backup=False, kdf_cost=CHEAP) as ward,
    ):
        prov.initialise(PROVINCE)
        prov.keys.create(PASSPHRASE)
        ward.initialise(DISTRICT)
        yield ward, keyring.unlock(prov.db, PASSPHRASE)


@pytest.mark.parametrize("name", sorted(HOSTILE_IN_PACKAGE))
def test_a_package_carrying_a_hostile_template_is_refused(
    ward_and_key: tuple[Workspace, Any], name: str
) -> None:
    ward, key = ward_and_key
    fields = ConfigFields(
        package_id=str(uuid.uuid4()),
        issuer=WireOffice(PROVINCE.code, PROVINCE.name),
        version=1,
        created_at=timestamp(),
        templates=(json.loads(HOSTILE_IN_PACKAGE[name]),),
        schedule=(),
        units=(),
        trusted_keys=(),
    )
    data = build_config_package(fields, key).data
    before = dump(ward)
    with pytest.raises(CoreError) as refused:
        ward.exchange.install_config(ward.exchange.read_config(data))
    assert refused.value.code.startswith(("template.", "package.", "config.")), refused.value
    assert dump(ward) == before
