"""The two-office fixture of the core bundle tests, reused to open the province's windows."""

from tests.core.exchange.bundles.conftest import offices  # noqa: F401 - re-exported fixture
