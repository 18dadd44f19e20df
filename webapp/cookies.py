"""Flask's signed session cookie, with its signer built once per worker, not per request.

Flask builds a new serializer and derives the signing key again on every request; with
a lesson page served from memory, that was a third of the request's time. The cookie
format, keys, salt and fallbacks are Flask's own: cookies stay valid across the change.
"""

from __future__ import annotations

import hmac

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from itsdangerous.encoding import want_bytes

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
    """Flask's cookie sessions, reusing one serializer while the secret keys stay the same."""

    _cached: tuple[tuple, URLSafeTimedSerializer] | None = None

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
