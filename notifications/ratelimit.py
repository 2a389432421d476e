"""Keeping every worker together under Notify's limit: 3,000 messages a minute per API key, rolling.

A per-process limiter cannot do it (ten workers would send ten times the limit), so the count lives
in Redis: a sliding-window log, one sorted set of send times, checked and added to by one Lua script
so two workers can never both take the last place. The script reads Redis's own clock, so workers
on machines whose clocks differ still share one window. The window is held slightly longer than
Notify's (1% and 0.2 s), so requests that reach Notify a little after they were counted (a busy
worker, a slow network) stay inside its limit.
With no Redis (the embedded run, tasks run eagerly in one process) there is nothing to share and
no limiter is used.
"""

from __future__ import annotations

import random
import time
from functools import lru_cache
from typing import Protocol

import redis
from django.conf import settings

HEADROOM = 0.01
HEADROOM_SECONDS = 0.2

# KEYS[1]: the sorted set of send times; KEYS[2]: a counter making each member unique.
# ARGV[1]: the limit; ARGV[2]: the window in milliseconds. Returns 0 (go) or milliseconds to wait.
SLIDING_WINDOW = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  local seq = redis.call('INCR', KEYS[2])
  redis.call('ZADD', KEYS[1], now, now .. ':' .. seq)
  redis.call('PEXPIRE', KEYS[1], window)
  redis.call('PEXPIRE', KEYS[2], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
"""


class Limiter(Protocol):
    def acquire(self, timeout: float) -> bool:
        """Take one place in the window, waiting up to `timeout` seconds; False if none came free."""
        ...


class NoLimiter:
    def acquire(self, timeout: float) -> bool:
        return True


class RedisSlidingWindow:
    def __init__(self, client: redis.Redis, *, key: str, limit: int, window_seconds: float) -> None:
        self.client = client
        self.keys = [key, f"{key}:seq"]
        self.limit = limit
        self.window_ms = max(1, int((window_seconds * (1 + HEADROOM) + HEADROOM_SECONDS) * 1000))
        self.script = client.register_script(SLIDING_WINDOW)

    def try_acquire(self) -> int:
        """0 when a place was taken, else the milliseconds until the oldest place comes free."""
        return int(self.script(keys=self.keys, args=[self.limit, self.window_ms]))

    def acquire(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            wait_ms = self.try_acquire()
            if wait_ms == 0:
                return True
            # A little jitter so workers woken by the same expiry do not all ask at the same instant.
            pause = wait_ms / 1000 + random.uniform(0, 0.005)
            if time.monotonic() + pause > deadline:
                return False
            time.sleep(pause)

    def reset(self) -> None:
        self.client.delete(*self.keys)


def limiter_from_settings() -> Limiter:
    url = settings.NOTIFY_RATE_REDIS_URL
    if not url:
        return NoLimiter()
    return _redis_limiter(url, settings.NOTIFY_RATE_LIMIT, settings.NOTIFY_RATE_WINDOW, _key())


def _key() -> str:
    # Notify's limit is per API key; the service id part of the key names the window.
    service_id = settings.NOTIFY_API_KEY[-73:-37] if settings.NOTIFY_API_KEY else "recording"
    return f"notify-rate:{service_id}"


@lru_cache(maxsize=8)
def _redis_limiter(url: str, limit: int, window: float, key: str) -> RedisSlidingWindow:
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    return RedisSlidingWindow(client, key=key, limit=limit, window_seconds=window)
