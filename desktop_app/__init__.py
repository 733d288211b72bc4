"""Báo cáo: offline reporting for Vietnamese Party and government offices."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("baocao")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"
