"""The load test's SMS "provider": the message lands in a Redis key the locust script reads.

Used only by config.settings.loadtest. The application sends codes exactly as in production (the
code is generated, hashed, queued, delivered by a Celery task after commit); only the last hop,
the provider, is replaced, so no endpoint or setting in the application exposes a code.
"""

from __future__ import annotations

import redis
from django.conf import settings

from open12348.notifications.backends import MessageBackend

KEY = "loadtest:sms:{phone}"
TTL_SECONDS = 600


class RedisDropBackend(MessageBackend):
    def send(self, message) -> None:
        client = redis.Redis.from_url(settings.LOADTEST_SMS_REDIS_URL)
        try:
            client.set(KEY.format(phone=message.to), message.body, ex=TTL_SECONDS)
        finally:
            client.close()
