"""Flask's signed session cookie, verified once per worker rather than on every request.

Flask builds a new serializer, derives the signing key, checks the signature and
decodes the payload on every request: with a lesson page served from memory, that was
a third of the request's time. Here the serializer is built once, and a cookie whose
signature was checked is remembered (bounded, least recently used) with its data and
signing time, so the same cookie sent again is only checked for age. Only sessions
holding plain values (no lists, such as flashed messages) are remembered, so a request
can never change what another request reads. The cookie format, keys, salt and
fallbacks are Flask's own: cookies stay valid across the change.
"""

from __future__ import annotations

import hmac
import time

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer
from itsdangerous.encoding import want_bytes

from webapp.pagecache import Lru

VERIFIED = 20_000  # cookies remembered per worker: a few MB

_derived: dict[tuple, bytes] = {}  # (key, salt, digest) → derived key: a few per worker


class _KeyCachingSigner(TimestampSigner):
    """itsdangerous's signer, deriving each (key, salt) pair's HMAC key once."""

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        key = self.secret_keys[-1] if secret_key is None else want_bytes(secret_key)
        if self.key_derivation != "hmac":
            return super().derive_key(secret_key)
        cache_key = (key, self.salt, self.digest_method)
        derived = _derived.get(cache_key)
        if derived is None:
            derived = _derived[cache_key] = hmac.new(key, self.salt, self.digest_method).digest()
        return derived


class SessionInterface(SecureCookieSessionInterface):
    """Flask's cookie sessions, reusing one serializer while the secret keys stay the same
    and remembering the cookies already verified."""

    _cached: tuple[tuple, URLSafeTimedSerializer] | None = None

    def __init__(self) -> None:
        self._verified = Lru(VERIFIED)  # cookie value → (serializer, data, signed at)

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = app.permanent_session_lifetime.total_seconds()
        known = self._verified.get(value)
        # Verified with the keys in use now, and still young enough: the same answer again.
        if known is not None and known[0] is serializer and time.time() - known[2] <= max_age:
            return self.session_class(known[1])
        try:
            data, signed = serializer.loads(value, max_age=int(max_age), return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if all(isinstance(v, str | int | float | bool | None) for v in data.values()):
            self._verified.put(value, (serializer, dict(data), signed.timestamp()))
        return self.session_class(data)

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        keys = [*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key]  # current last
        cached = self._cached
        if cached is not None and cached[0] == tuple(keys):
            return cached[1]
        serializer = URLSafeTimedSerializer(
            keys,
            salt=self.salt,
            serializer=self.serializer,
            signer=_KeyCachingSigner,
            signer_kwargs={
                "key_derivation": self.key_derivation,
                "digest_method": self.digest_method,
            },
        )
        self._cached = (tuple(keys), serializer)
        return serializer
