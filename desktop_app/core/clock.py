"""Timestamps as the store keeps them: local time with its UTC offset (RFC 3339)."""

from __future__ import annotations

from datetime import datetime


def now() -> datetime:
    return datetime.now().astimezone()


def timestamp() -> str:
    return now().isoformat(timespec="seconds")
