"""scripts/srtest/client.py: the bottom of the fuzz-api tooling (standard library only): a
raw HTTP/1.1 client, token sessions kept in files, a JSON client, and the transaction bodies
the seed and the hostile corpus build. Imports nothing of srtest.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import struct
import select
import socket
import sys
import time
import urllib.parse

TIMEOUT = 30.0  # seconds: longer than this without an answer is a hang


def log(message: str) -> None:
    print(f"fuzz_api: {message}", file=sys.stderr, flush=True)


# --- A raw HTTP/1.1 client ---------------------------------------------------------------
# http.client cannot send invalid bytes in the request target or headers, cannot keep
# reading the answer after the server stopped reading an oversize body, and hides a
# dropped connection behind exceptions; this one sends exactly the bytes it is given.


class Answer:
    """What came back: a response, or no response (`error` says why)."""

    def __init__(self, status=None, reason="", headers=None, body=b"", error=None, elapsed=0.0):
        self.status = status
        self.reason = reason
        self.headers = headers or {}
        self.body = body
        self.error = error
        self.elapsed = elapsed

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def describe(self, limit: int = 300) -> str:
        if self.status is None:
            return f"no answer ({self.error}) after {self.elapsed:.1f} s"
        body = self.body[:limit].decode("utf-8", "replace")
        more = "…" if len(self.body) > limit else ""
        return f"{self.status} {self.header('content-type') or '(no content-type)'} {body}{more}"


def _split_url(base: str):
    parsed = urllib.parse.urlsplit(base)
    if parsed.scheme != "http":
        raise SystemExit(f"fuzz_api: only http:// URLs are supported, not {base}")
    return parsed.hostname, parsed.port or 80


def raw_request(base: str, method: str, target, headers=None, body: bytes | None = None,
                timeout: float = TIMEOUT, chunked_body: bytes | None = None,
                raw_head: bytes | None = None, source: str | None = None) -> Answer:
    """Send one request on a fresh connection and read one answer.

    `target` is the request target (str or bytes, sent as is). `headers` is a list of
    (name, value) pairs, str or bytes; Host, Content-Length and Connection: close are added
    unless given. The body is sent while watching the socket: when the server answers (e.g.
    413 before reading an oversize body) sending stops and the answer is read.
    `raw_head` replaces the whole request head (request line and headers) when given.
    `source` is the local address to connect from (another loopback address, say).
    """
    host, port = _split_url(base)
    started = time.monotonic()
    deadline = started + timeout

    def enc(value) -> bytes:
        return value if isinstance(value, bytes) else str(value).encode("utf-8")

    if raw_head is None:
        pairs = [(enc(k), enc(v)) for k, v in (headers or [])]
        names = {k.lower() for k, _ in pairs}
        if b"host" not in names:
            pairs.insert(0, (b"Host", f"{host}:{port}".encode()))
        if body is not None and b"content-length" not in names and b"transfer-encoding" not in names:
            pairs.append((b"Content-Length", str(len(body)).encode()))
        if chunked_body is not None and b"transfer-encoding" not in names:
            pairs.append((b"Transfer-Encoding", b"chunked"))
        if b"connection" not in names:
            pairs.append((b"Connection", b"close"))
        head = enc(method) + b" " + enc(target) + b" HTTP/1.1\r\n"
        head += b"".join(k + b": " + v + b"\r\n" for k, v in pairs) + b"\r\n"
    else:
        head = raw_head
    payload = head + (body or b"") + (chunked_body or b"")

    try:
        sock = socket.create_connection((host, port), timeout=timeout,
                                        source_address=(source, 0) if source else None)
    except OSError as exc:
        return Answer(error=f"cannot connect: {exc}", elapsed=time.monotonic() - started)
    sock.setblocking(False)
    received = bytearray()
    sent = 0
    send_error = None
    try:
        # Send, reading whatever arrives meanwhile.
        while sent < len(payload):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            readable, writable, _ = select.select([sock], [sock], [], min(remaining, 1.0))
            if readable:
                try:
                    chunk = sock.recv(65536)
                except (BlockingIOError, InterruptedError):
                    chunk = None
                except OSError as exc:
                    send_error = f"{type(exc).__name__} while sending"
                    break
                if chunk == b"":
                    send_error = "closed while sending"
                    break
                if chunk:
                    received += chunk
                    if _complete(received):
                        break
            if writable:
                try:
                    sent += sock.send(payload[sent:sent + 262144])
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError as exc:
                    send_error = f"{type(exc).__name__} while sending"
                    break
        # Read the answer (also after a send error: the answer may already be buffered).
        while not _complete(received):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                elapsed = time.monotonic() - started
                if received:
                    return _parse(bytes(received), elapsed, partial=True)
                return Answer(error=f"timeout: no answer within {timeout:.0f} s", elapsed=elapsed)
            readable, _, _ = select.select([sock], [], [], min(remaining, 1.0))
            if not readable:
                continue
            try:
                chunk = sock.recv(65536)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError as exc:
                if not received:
                    return Answer(error=f"{type(exc).__name__}: {exc}" + (f" ({send_error})" if send_error else ""),
                                  elapsed=time.monotonic() - started)
                break
            if not chunk:
                break
            received += chunk
    finally:
        sock.close()
    elapsed = time.monotonic() - started
    if not received:
        return Answer(error="connection closed without an answer" + (f" ({send_error})" if send_error else ""),
                      elapsed=elapsed)
    return _parse(bytes(received), elapsed)


def _head_end(data: bytes) -> int:
    return data.find(b"\r\n\r\n")


def _complete(data) -> bool:
    """Whether `data` holds a whole response (head and a Content-Length body)."""
    end = _head_end(data)
    if end < 0:
        return False
    length = None
    for line in bytes(data[:end]).split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            try:
                length = int(value.strip())
            except ValueError:
                return False
        if name.strip().lower() == b"transfer-encoding" and b"chunked" in value.lower():
            return bytes(data).endswith(b"0\r\n\r\n")
    if length is None:
        status_line = bytes(data[:end]).split(b"\r\n")[0].split(b" ")
        # 204/304 have no body; otherwise read until close.
        return len(status_line) > 1 and status_line[1] in (b"204", b"304")
    return len(data) >= end + 4 + length


def _parse(data: bytes, elapsed: float, partial: bool = False) -> Answer:
    end = _head_end(data)
    if end < 0:
        return Answer(error=f"garbled answer: {data[:120]!r}", elapsed=elapsed)
    lines = data[:end].decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    try:
        status = int(parts[1])
    except (IndexError, ValueError):
        return Answer(error=f"garbled status line: {lines[0][:120]!r}", elapsed=elapsed)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    body = data[end + 4:]
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    elif "content-length" in headers:
        body = body[: int(headers["content-length"])]
    answer = Answer(status, parts[2] if len(parts) > 2 else "", headers, body, elapsed=elapsed)
    if partial:
        answer.error = "the answer's body did not arrive in time"
    return answer


def _dechunk(data: bytes) -> bytes:
    out = bytearray()
    while data:
        size_line, _, rest = data.partition(b"\r\n")
        try:
            size = int(size_line.split(b";")[0], 16)
        except ValueError:
            break
        if size == 0:
            break
        out += rest[:size]
        data = rest[size + 2:]
    return bytes(out)


# --- Sessions and a JSON client ------------------------------------------------------------


def totp_code(secret: bytes, step: int) -> str:
    """RFC 6238's code (HMAC-SHA1, 6 digits) for a 30-second step: what an authenticator app shows."""
    mac = hmac.new(secret, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return f"{(int.from_bytes(mac[offset:offset + 4], 'big') & 0x7FFFFFFF) % 1_000_000:06d}"


def totp_secret(encoded: str) -> bytes:
    """The secret of an enrolment answer (Base32, unpadded)."""
    return base64.b32decode(encoded + "=" * (-len(encoded) % 8))


def elevate(base: str, access_token: str, secret: bytes, spent_step: int | None = None,
            source: str | None = None) -> tuple[dict, int]:
    """Steps up with the current code (or, when that step was spent, the next; never one at
    or before `spent_step`), from `source` when given: the answer of POST /v1/auth/elevate,
    and the step whose code it spent.
    The server takes each step's code once, and one step either side of its own, so when
    both codes of this window are spent (another session stepped up just now) it waits for
    the next window and tries once more. Raises when refused."""
    answer = None
    for attempt in range(2):
        step = int(time.time()) // 30
        for candidate in (c for c in (step, step + 1) if spent_step is None or c > spent_step):
            answer = raw_request(base, "POST", "/v1/auth/elevate",
                                 [("Content-Type", "application/json"), ("Authorization", f"Bearer {access_token}")],
                                 json.dumps({"totp": totp_code(secret, candidate)}).encode(), source=source)
            if answer.status == 200:
                return answer.json() or {}, candidate
            if answer.status != 401:
                raise RuntimeError(f"stepping up failed: {answer.describe()}")
        if attempt == 0:
            time.sleep(30 - time.time() % 30 + 1)
    raise RuntimeError(f"stepping up failed: {answer.describe() if answer else 'no code left to try'}")


class Session:
    """A login's token pair, kept in a file so that later steps can go on with it.

    A stepped-up session (its file holds the administrator's TOTP secret) renews its access
    token by refreshing and then stepping up again, so that the sensitive routes (users,
    groups, clients, keys, freezes) stay open to it; a refreshed token alone proves nothing.
    The step-up is throttled like a login, per source address, and the fuzzer locks its own
    address on purpose, so a session may step up from another (`step_up_source`, such as
    127.0.0.2 for a server on 127.0.0.1).
    """

    def __init__(self, base: str, path: str):
        self.base = base
        self.path = path
        with open(path) as f:
            data = json.load(f)
        self.refresh_token = data["refresh_token"]
        self.access_token = data.get("access_token")
        self.expires_at = data.get("expires_at", 0)
        self.totp_secret = data.get("totp_secret")
        self.step_up_source = data.get("step_up_source")
        self.spent_step = data.get("spent_step")

    @staticmethod
    def create(base: str, path: str, username: str, password: str) -> "Session":
        answer = raw_request(base, "POST", "/v1/auth/login", [("Content-Type", "application/json")],
                             json.dumps({"username": username, "password": password}).encode())
        body = answer.json() or {}
        if answer.status != 200 or "refresh_token" not in body:
            raise SystemExit(f"fuzz_api: login as {username} failed: {answer.describe()}")
        Session._write(path, body)
        return Session(base, path)

    def step_up(self, totp_secret_text: str, elevated: dict, spent_step: int, source: str | None = None) -> None:
        """Makes this a stepped-up session holding `elevated` (an answer of POST
        /v1/auth/elevate, which spent the code of `spent_step`), renewed with the
        authenticator whose secret is given, stepping up from `source` when given."""
        self.totp_secret = totp_secret_text
        self.step_up_source = source
        self.spent_step = spent_step
        self._store(elevated)

    @staticmethod
    def _write(path: str, body: dict, refresh_token: str | None = None, totp_secret: str | None = None,
               step_up_source: str | None = None, spent_step: int | None = None) -> None:
        data = {
            "refresh_token": body.get("refresh_token", refresh_token),
            "access_token": body["access_token"],
            "expires_at": time.time() + int(body.get("expires_in", 0)),
        }
        if totp_secret:
            data["totp_secret"] = totp_secret
        if step_up_source:
            data["step_up_source"] = step_up_source
        if spent_step is not None:
            data["spent_step"] = spent_step
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(data, f)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)

    def _store(self, body: dict) -> None:
        """Keeps an answer's tokens (a step-up answer has no refresh token: the last one stands)."""
        Session._write(self.path, body, self.refresh_token, self.totp_secret, self.step_up_source, self.spent_step)
        self.refresh_token = body.get("refresh_token", self.refresh_token)
        self.access_token = body["access_token"]
        self.expires_at = time.time() + int(body["expires_in"])

    def token(self) -> str:
        """A current access token; renewed with the refresh token when it has < 5 min left
        (and stepped up again, for a stepped-up session)."""
        if self.access_token and time.time() < self.expires_at - 300:
            return self.access_token
        form = urllib.parse.urlencode({"grant_type": "refresh_token", "refresh_token": self.refresh_token})
        answer = raw_request(self.base, "POST", "/v1/auth/token",
                             [("Content-Type", "application/x-www-form-urlencoded")], form.encode())
        body = answer.json() or {}
        if answer.status != 200 or "refresh_token" not in body:
            raise RuntimeError(f"refreshing the session in {self.path} failed: {answer.describe()}")
        self._store(body)
        if self.totp_secret:
            elevated, self.spent_step = elevate(self.base, self.access_token, totp_secret(self.totp_secret),
                                                spent_step=self.spent_step, source=self.step_up_source)
            self._store(elevated)
        return self.access_token


class Client:
    def __init__(self, base: str, session: Session | None):
        self.base = base
        self.session = session

    def call(self, method: str, path: str, body=None, headers=None, raw: bytes | None = None,
             auth: bool = True) -> Answer:
        pairs = list(headers or [])
        if auth and self.session is not None:
            pairs.append(("Authorization", f"Bearer {self.session.token()}"))
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
        if data is not None and not any(k.lower() == "content-type" for k, _ in pairs):
            pairs.append(("Content-Type", "application/json"))
        return raw_request(self.base, method, path, pairs, data)

    def must(self, method: str, path: str, body=None, status: int = 201):
        answer = self.call(method, path, body)
        if answer.status != status:
            raise SystemExit(f"fuzz_api: {method} {path} answered {answer.describe()}, not {status}")
        return answer.json()



# --- Transaction bodies ----------------------------------------------------------------------


def leg(alias: str, asset: str, value: str | None = None) -> dict:
    if value is None:
        return {"accountAlias": alias, "remaining": "rest"}
    return {"accountAlias": alias, "amount": {"asset": asset, "value": value}}


def transfer(asset: str, value: str, source: str, dest: str, pending: bool = False) -> dict:
    body = {"send": {"asset": asset, "value": value,
                     "source": {"from": [leg(source, asset, value)]},
                     "distribute": {"to": [leg(dest, asset, value)]}}}
    if pending:
        body["pending"] = True
    return body


def inflow(asset: str, value: str, dest: str) -> dict:
    return {"send": {"asset": asset, "value": value, "distribute": {"to": [leg(dest, asset, value)]}}}
