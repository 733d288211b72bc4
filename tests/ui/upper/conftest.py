"""The two-office fixture of the core bundle tests, reused for the upper office's window."""

from tests.core.exchange.bundles.conftest import offices  # noqa: F401 - re-exported fixture
