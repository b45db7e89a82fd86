"""Rate limits for the public endpoints and forms, counted per client address in the cache.

Rates come from the settings, or else the environment, read on each request so that
tests and benchmarks can change them: CIVITAS_PUBLIC_SUBMIT_RATE (default 20/min) for
submissions and CIVITAS_PUBLIC_READ_RATE (default 120/min) for reading by tracking code,
written as "number/period" with a period of s, min, h or d (e.g. "100/min").

The client address is REMOTE_ADDR. Behind a reverse proxy, set NINJA_NUM_PROXIES to the
number of proxies so that the address is taken from X-Forwarded-For; without it that
header is ignored, because any client could write it to dodge the limit.
"""

import os
import threading
import time

from django.conf import settings
from django.http import HttpRequest
from ninja.conf import settings as ninja_settings
from ninja.throttling import SimpleRateThrottle

DEFAULT_RATES = {"submit": "20/min", "read": "120/min"}


class PublicThrottle(SimpleRateThrottle):
    """Limit anonymous requests of one kind ("submit" or "read") per client address.

    One instance serves every request of an endpoint, also in threaded servers: it keeps
    no per-request state on itself, except the wait time, which is per thread.
    """

    def __init__(self, scope: str) -> None:
        self.kind = scope
        self.scope = scope
        self._local = threading.local()
        super().__init__(self._configured_rate())

    def _configured_rate(self) -> str:
        name = f"CIVITAS_PUBLIC_{self.kind.upper()}_RATE"
        return str(
            getattr(settings, name, None) or os.environ.get(name) or DEFAULT_RATES[self.kind]
        )

    def allow_request(self, request: HttpRequest) -> bool:
        allowed, duration = self.parse_rate(self._configured_rate())
        if allowed is None or duration is None:
            return True
        # A counter per fixed window: one cache increment a request, however high the rate
        # (a log of every request's time grows with the rate and is copied on each one).
        now = time.time()
        window = int(now // duration)
        key = f"{self.get_cache_key(request)}:{window}"
        self.cache.add(key, 0, duration)
        try:
            count = self.cache.incr(key)
        except ValueError:  # the window expired between add and incr
            self.cache.set(key, 1, duration)
            count = 1
        if count > allowed:
            self._local.wait = (window + 1) * duration - now
            return False
        self._local.wait = None
        return True

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)

    def get_ident(self, request: HttpRequest) -> str | None:
        if ninja_settings.NUM_PROXIES:
            return super().get_ident(request)
        return request.META.get("REMOTE_ADDR")

    def get_cache_key(self, request: HttpRequest) -> str:
        return self.cache_format % {
            "scope": f"civitas_public_{self.kind}",
            "ident": self.get_ident(request),
        }


SUBMIT = PublicThrottle("submit")
READ = PublicThrottle("read")


def allow_public_submission(request: HttpRequest) -> bool:
    """Tell whether a public form may take one more submission from this client now."""
    return SUBMIT.allow_request(request)
