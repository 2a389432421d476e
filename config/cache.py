"""The shared cache on Redis, which a resident never waits on and never sees fail.

Everything the cache holds can be rebuilt or done without: status pages and CMS pages are rendered
again, the abuse and API rate counters let the request through (they protect the service, not the
resident), and the journey's submission lock falls back to the report's own checks. So when Redis is
down or unreachable, a read is a miss and a write is skipped, with a warning in the log, instead of a
server error on the report path. Short socket timeouts (REDIS_TIMEOUT) bound how long each call may wait
on a Redis that has gone silent rather than refusing connections.

Django's own RedisCache raises the client's ConnectionError; django-redis has an option to ignore
errors, but it is a second Redis client library for this one behaviour.
"""

from __future__ import annotations

import functools
import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _or(fallback):
    """Run the client call; if Redis cannot be reached, log it and give `fallback(*args)` instead."""

    def decorate(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                logger.warning("Cache unavailable, %s skipped: %s", method.__name__, error)
                return fallback(*args)

        return call

    return decorate


class ForgivingRedisCacheClient(RedisCacheClient):
    # A lock taken (add) lets the caller go on; a counter (incr) reads as its first use.
    add = _or(lambda key, value, timeout: True)(RedisCacheClient.add)
    get = _or(lambda key, default: default)(RedisCacheClient.get)
    set = _or(lambda key, value, timeout: None)(RedisCacheClient.set)
    touch = _or(lambda key, timeout: False)(RedisCacheClient.touch)
    delete = _or(lambda key: False)(RedisCacheClient.delete)
    get_many = _or(lambda keys: {})(RedisCacheClient.get_many)
    has_key = _or(lambda key: False)(RedisCacheClient.has_key)
    incr = _or(lambda key, delta: delta)(RedisCacheClient.incr)
    set_many = _or(lambda data, timeout: None)(RedisCacheClient.set_many)
    delete_many = _or(lambda keys: None)(RedisCacheClient.delete_many)
    clear = _or(lambda: False)(RedisCacheClient.clear)


class ForgivingRedisCache(RedisCache):
    """django.core.cache.backends.redis.RedisCache that treats an unreachable Redis as an empty cache."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ForgivingRedisCacheClient
