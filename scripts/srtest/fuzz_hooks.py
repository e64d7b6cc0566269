"""scripts/srtest/fuzz_hooks.py: schemathesis hooks for scripts/fuzz-api (loaded through
SCHEMATHESIS_HOOKS=srtest.fuzz_hooks with scripts/ on PYTHONPATH; runs inside the tools
venv).

Authentication: every generated request gets `Authorization: Bearer <access token>` of a
session opened by `fuzz_api.py seed` (WORKDIR/sessions/NAME.json), renewed with its refresh
token when it nears expiry, never by logging in again: the fuzzer trips the login throttle
on purpose, and access tokens last at most 15 minutes.

Idempotency keys: schemathesis draws `Idempotency-Key` / `X-Idempotency` from a small space
("0", "!", …), so most positive POSTs would repeat a key with another body and get 422
SR-2030, never reaching the ledger. `before_call` makes 9 in 10 valid keys unique by adding
a random suffix (an invalid key stays invalid), and leaves the rest alone, so that repeats
are still exercised.

Environment:
  SR_FUZZ_URL           the server's base URL
  SR_FUZZ_SESSIONS      the sessions directory
  SR_FUZZ_SESSION       the session for every operation (default `fuzz`)
  SR_FUZZ_SESSION_MAP   exceptions, `operationId=session,…` (e.g. `changePassword=self`)
"""

from __future__ import annotations

import os
import random
import re
import threading
import uuid

import schemathesis

from srtest.client import Session

_BASE = os.environ["SR_FUZZ_URL"]
_DIR = os.environ["SR_FUZZ_SESSIONS"]
_DEFAULT = os.environ.get("SR_FUZZ_SESSION", "fuzz")
_MAP = dict(
    item.split("=", 1) for item in os.environ.get("SR_FUZZ_SESSION_MAP", "").split(",") if "=" in item
)
_LOCK = threading.Lock()  # a refresh token works once: two threads must not both spend it
_SESSIONS: dict[str, Session] = {}


def _token(name: str) -> str:
    with _LOCK:
        session = _SESSIONS.get(name)
        if session is None:
            session = _SESSIONS[name] = Session(_BASE, os.path.join(_DIR, f"{name}.json"))
        return session.token()


# refresh_interval=None: no caching by schemathesis (Session caches the token itself), and
# no silent re-fetch on a 401, so that a valid token refused shows up in the results.
@schemathesis.auth(refresh_interval=None)
class StrongroomBearer:
    def get(self, case, context):
        operation_id = context.operation.definition.raw.get("operationId", "")
        return _token(_MAP.get(operation_id, _DEFAULT))

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


_KEY = re.compile(r"^[\x21-\x7E]{1,200}$")
_IDEMPOTENCY_HEADERS = ("Idempotency-Key", "X-Idempotency")


@schemathesis.hook
def before_call(context, case, kwargs):
    headers = case.headers
    if not headers:
        return
    for name in _IDEMPOTENCY_HEADERS:
        value = headers.get(name)
        if isinstance(value, str) and _KEY.fullmatch(value) and random.random() < 0.9:
            headers[name] = f"{value}.{uuid.uuid4().hex}"
