"""The offices and the test certificate of the service tests, reused for the send dialog."""

from tests.server.conftest import certificate, offices  # noqa: F401 - re-exported fixtures
