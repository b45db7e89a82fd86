"""The cache behind the rate limits: one per process, or a Redis server shared by all."""

import socket
import uuid

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings
from redis import Redis

from civitas.engagement.throttling import allow_public_submission
from civitas.settings import _caches

REDIS = ("127.0.0.1", 6379)


def test_without_an_address_each_process_keeps_its_own_cache(monkeypatch):
    monkeypatch.delenv("CIVITAS_CACHE_URL", raising=False)
    assert _caches()["default"]["BACKEND"].endswith("LocMemCache")


def test_a_redis_address_gives_a_shared_cache(monkeypatch):
    monkeypatch.setenv("CIVITAS_CACHE_URL", "redis://cache.internal:6379/0")
    assert _caches()["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/0",
    }


def test_another_kind_of_address_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("CIVITAS_CACHE_URL", "memcached://cache:11211")
    with pytest.raises(ImproperlyConfigured, match="CIVITAS_CACHE_URL"):
        _caches()


def _redis_running() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_running(), reason="needs Redis on 127.0.0.1:6379")
def test_app_servers_share_the_rate_limit_through_redis(settings):
    url, prefix = "redis://127.0.0.1:6379/15", uuid.uuid4().hex  # apart from other runs
    shared = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    settings.CIVITAS_PUBLIC_SUBMIT_RATE = "3/min"
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    redis = Redis.from_url(url)
    with override_settings(CACHES=shared):
        assert [allow_public_submission(request) for _ in range(2)] == [True, True]
        # The count is in Redis, where another app server adds its own submission.
        (key,) = redis.keys(f"{prefix}:*")
        assert int(redis.get(key)) == 2
        redis.incr(key)
        assert allow_public_submission(request) is False
    redis.delete(key)
