"""The stored side of request statements (``formats/request.py``): the trust list judges the
signer, and each nonce is kept until its statement could no longer pass the time check, so a
statement is honoured once — also across a restart of the service."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from sqlite_utils import Database

from desktop_app.core.exchange import keyring
from desktop_app.core.exchange.formats import request
from desktop_app.core.exchange.formats.request import REPLAYED, RequestRefused
from desktop_app.core.store.database import write_transaction


def proven_office(db: Database, authorization: str, method: str, target: str, now: datetime) -> str:
    """The code of the office that signed this request's statement; ``RequestRefused`` when
    nobody the trust list knows did, or the statement is stale or was seen before."""
    statement = request.read(
        authorization, method, target, lambda key_id: keyring.trusted_key(db, key_id), now
    )
    # A statement dated up to MAX_SKEW ahead is honoured until MAX_SKEW after that time.
    keep_until = (statement.time + request.MAX_SKEW).timestamp()
    with write_transaction(db):
        db.execute("DELETE FROM request_nonces WHERE keep_until < ?", [now.timestamp()])
        try:
            db.execute(
                "INSERT INTO request_nonces (nonce, office_code, keep_until) VALUES (?, ?, ?)",
                [statement.nonce, statement.office, keep_until],
            )
        except sqlite3.IntegrityError as error:
            raise RequestRefused(REPLAYED) from error
    return statement.office
