"""The service's limits: requests per address, uploads at once, how long a client may stall."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from desktop_app.core.exchange.formats.container import DEFAULT_LIMITS


@dataclass(frozen=True)
class Limits:
    # The import's own cap (E02): a body larger than a bundle may be is refused unread.
    max_body_bytes: int = DEFAULT_LIMITS.max_bundle_bytes
    # Requests per address: a steady rate and a burst (token bucket).
    requests_per_minute: float = 120.0
    burst: int = 30
    # Uploads read or imported at once; one more waits for a slot this long, then is told
    # to try again (a stalled client holds its slot for ``idle_seconds`` at most).
    concurrent_uploads: int = 32
    slot_wait_seconds: float = 10.0
    # A client that sends nothing for this long is dropped, whatever it has sent so far.
    idle_seconds: float = 30.0
    # And no upload may take longer than this in all (a trickle is a stall too).
    upload_seconds: float = 600.0


@dataclass
class RateLimiter:
    """A token bucket per client address; ``allow`` answers at once."""

    per_minute: float
    burst: int
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def allow(self, address: str) -> bool:
        now = self.clock()
        tokens, last = self._buckets.get(address, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.per_minute / 60.0)
        if tokens < 1.0:
            self._buckets[address] = (tokens, now)
            return False
        self._buckets[address] = (tokens - 1.0, now)
        if len(self._buckets) > 10_000:  # many addresses: forget the full buckets
            self._forget_full(now)
        return True

    def retry_after(self) -> int:
        return max(1, round(60.0 / self.per_minute))

    def _forget_full(self, now: float) -> None:
        for address, (tokens, last) in list(self._buckets.items()):
            if tokens + (now - last) * self.per_minute / 60.0 >= self.burst:
                del self._buckets[address]
