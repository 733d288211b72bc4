"""Báo cáo: offline reporting for Vietnamese Party and government offices."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # importlib.metadata costs tens of milliseconds; the window's start-up never needs the version.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("baocao")
        except PackageNotFoundError:  # running from a source tree without install
            return "0.0.0"
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
