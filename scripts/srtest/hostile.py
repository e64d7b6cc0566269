"""scripts/srtest/hostile.py: the hostile-input corpus of scripts/fuzz-api, and the
check that the server and its books survived the run (standard library only; called
through `fuzz_api.py hostile WORKDIR` and `fuzz_api.py check WORKDIR`).

Every input goes to a running server seeded by `fuzz_api.py seed`, on a fresh connection,
and its answer is judged by one of these expectations:

  problem   a 4xx answer with an RFC 9457 body: Content-Type application/problem+json, a
            JSON object whose `code` is SR-nnnn and whose `status` is the HTTP status
            (API.md: every error outside the token endpoint is a problem);
  oauth     a 4xx answer with an RFC 6749 §5.2 body (application/json, `error`): the
            token endpoint's errors;
  lenient   the input is legal, or the contract leaves it open (e.g. a JSON body sent as
            text/plain, an unknown header): any 2xx, or a 4xx problem;
  stored    the input is legal data (an SQL or JSON injection string in free text or
            metadata): 201, and reading it back gives exactly what was sent;
  accepted  the input is legal and must succeed (a share of an amount near 10^20, an
            overdraft limit of exactly 10^20): any 2xx, checked further where the case says;
and always: never 5xx, an answer within 30 s, never a connection dropped without an
answer (a 413 for an oversize body, sent before the body was read, is an answer).
"""

from __future__ import annotations

import decimal
import json
import os
import re
import time
import urllib.parse
import uuid
from decimal import Decimal

from srtest.amounts import SCALES, SHARES, TRAP_FRACTION, TRAP_INTEGER, limit, may_accept, near_limits, render, share_of
from srtest.client import Answer, Client, Session, inflow, leg, raw_request, transfer

MiB = 1 << 20
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
ALIAS_PATTERN = re.compile(r"^@?[A-Za-z0-9:_.-]{1,100}$")


class Case:
    def __init__(self, category, name, method, target, body=None, headers=None, expect="problem",
                 auth=True, content_type="application/json", chunked=None, raw_head=None, check=None,
                 timeout=30.0):
        self.category = category
        self.name = name
        self.method = method
        self.target = target
        self.body = body
        self.headers = list(headers or [])
        self.expect = expect
        self.auth = auth
        self.content_type = content_type
        self.chunked = chunked
        self.raw_head = raw_head
        self.check = check  # an extra judge: (answer) -> problem text or None
        self.timeout = timeout


def is_problem(answer: Answer) -> str | None:
    """None when `answer` carries a well-formed problem body, else what is wrong with it."""
    ctype = answer.header("content-type").split(";")[0].strip().lower()
    if ctype != "application/problem+json":
        return f"Content-Type is {ctype or 'missing'}, not application/problem+json"
    body = answer.json()
    if not isinstance(body, dict):
        return "the problem body is not a JSON object"
    code = body.get("code")
    if not (isinstance(code, str) and len(code) == 7 and code.startswith("SR-") and code[3:].isdigit()):
        return f"the problem's code is {code!r}"
    if body.get("status") != answer.status:
        return f"the problem's status {body.get('status')!r} differs from the HTTP status {answer.status}"
    return None


def parser_refusal(answer: Answer) -> bool:
    """The HTTP/1.1 parser's own answer to bytes it cannot parse as a request (NIO's
    HTTPServerProtocolErrorHandler): a bare 400 and Connection: close, sent before any request
    exists, so it cannot carry a problem body or a request id. The server's own code never
    answers an empty 400; docs/RELIABILITY.md records this as a known limit."""
    return (answer.status == 400 and not answer.body
            and answer.header("connection").strip().lower() == "close")


def judge(case: Case, answer: Answer) -> str | None:
    """None when the answer meets the case's expectation, else why not."""
    if case.expect == "4xx-or-close" and answer.status is None and answer.error \
            and answer.error.startswith("connection closed"):
        return None
    if answer.status is None:
        if answer.error and answer.error.startswith("timeout"):
            return f"hang: {answer.error}"
        return f"no answer: {answer.error}"
    if answer.error:  # head arrived, body did not
        return f"incomplete answer: {answer.status}, {answer.error}"
    if answer.status >= 500:
        return f"server error {answer.status}: {answer.describe()}"
    if case.expect == "oauth":
        if not 400 <= answer.status < 500:
            return f"expected a 4xx OAuth error, got {answer.describe()}"
        body = answer.json()
        if not (isinstance(body, dict) and isinstance(body.get("error"), str)):
            return f"expected an RFC 6749 error body, got {answer.describe()}"
        return case.check(answer) if case.check else None
    if case.expect == "4xx":  # a problem or an OAuth error: the token endpoint's 413
        if not 400 <= answer.status < 500:
            return f"expected a 4xx answer, got {answer.describe()}"
        body = answer.json()
        if isinstance(body, dict) and isinstance(body.get("error"), str):
            return None
        wrong = is_problem(answer)
        return f"{answer.status} but {wrong}" if wrong else None
    if case.expect in ("problem", "4xx-or-close"):
        if not 400 <= answer.status < 500:
            return f"expected a 4xx problem, got {answer.describe()}"
        if case.category in ("header", "url", "framing") and parser_refusal(answer):
            return None
        wrong = is_problem(answer)
        if wrong:
            return f"{answer.status} but {wrong}"
        return case.check(answer) if case.check else None
    if case.expect == "accepted":
        if 200 <= answer.status < 300:
            return case.check(answer) if case.check else None
        return f"expected 2xx, got {answer.describe()}"
    if case.expect in ("lenient", "stored"):
        if 200 <= answer.status < 300:
            return case.check(answer) if case.check else None
        if 400 <= answer.status < 500 and case.expect == "lenient":
            wrong = is_problem(answer)
            return f"{answer.status} but {wrong}" if wrong else None
        return f"expected {'201' if case.expect == 'stored' else '2xx or a 4xx problem'}, got {answer.describe()}"
    raise AssertionError(case.expect)


# --- The corpus ----------------------------------------------------------------------------


def json_bytes(value) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def with_raw(template: dict, field: str, raw: bytes) -> bytes:
    """`template` as JSON with `field`'s value replaced by the raw JSON text `raw`."""
    marker = "\u0001MARK\u0001"
    text = json.dumps({**template, field: marker}).encode()
    return text.replace(json.dumps(marker).encode(), raw)


def build_corpus(state: dict, long: bool, client: Client | None = None) -> list[Case]:
    org, ledger = state["organization_id"], state["ledger_id"]
    o = f"/v1/organizations/{org}"
    lp = f"{o}/ledgers/{ledger}"
    alice = state["accounts"]["@alice"]
    cases: list[Case] = []
    add = cases.append
    suffix = uuid.uuid4().hex[:8]

    # Login first, before anything else fails a login from this address (after 20 failures
    # the address is throttled and a 429 would hide whether the password was checked):
    # hostile spellings of `admin` with the administrator's real password must not log in.
    password = state["admin_password"]
    for name in ("admin\u0000", "admin ", " admin", "admin' --", "admin' OR '1'='1", "ａｄｍｉｎ", "adm\u0131n",
                 "admin\u200b", "%61dmin", "admin%00"):
        add(Case("login", f"login as {name!r} with the admin password", "POST", "/v1/auth/login",
                 json_bytes({"username": name, "password": password}), auth=False, check=_not_throttled))

    # Routes that take a JSON body: a valid body for each, and a free-text field in it.
    tx = transfer("BRL", "1.00", "@alice", "@bob")
    routes = [
        ("POST", "/v1/organizations", {"legalName": "Hostile Org", "legalDocument": "1"}, "legalName"),
        ("PATCH", f"{o}", {"doingBusinessAs": "Hostile"}, "doingBusinessAs"),
        ("POST", f"{o}/ledgers", {"name": "hostile"}, "name"),
        ("POST", f"{lp}/assets", {"name": "Hostile", "type": "others", "code": "H" + suffix[:5].upper().replace("0", "A")}, "name"),
        ("POST", f"{lp}/accounts", {"assetCode": "BRL", "type": "deposit"}, "name"),
        ("PATCH", f"{lp}/accounts/{alice}", {"name": "Alice"}, "name"),
        ("POST", f"{lp}/portfolios", {"name": "hostile"}, "name"),
        ("POST", f"{lp}/segments", {"name": "hostile"}, "name"),
        ("POST", f"{lp}/transactions/json", tx, "description"),
        ("POST", f"{lp}/transactions/inflow", inflow("BRL", "1.00", "@bob"), "description"),
        ("POST", f"{lp}/transactions/outflow",
         {"send": {"asset": "BRL", "value": "1.00", "source": {"from": [leg("@bob", "BRL", "1.00")]}}}, "description"),
        ("POST", f"{lp}/transactions/batch", {"transactions": [tx]}, "atomic"),
        ("PATCH", f"{lp}/transactions/{state['transaction_id']}", {"description": "hostile"}, "description"),
        ("PATCH", f"{lp}/balances/{state['balance_id']}", {"allowReceiving": True}, "overdraftLimit"),
        ("POST", "/v1/users", {"username": "hostile-" + suffix, "password": "Hostile-pw-" + uuid.uuid4().hex}, "username"),
        ("POST", "/v1/groups", {"name": "hostile-" + suffix, "permissions": []}, "name"),
        ("POST", "/v1/clients", {"name": "hostile-" + suffix}, "name"),
        ("POST", "/v1/auth/login", {"username": "nobody-" + suffix, "password": "Wrong-pw-" + suffix}, "username"),
    ]

    def body_cases(method, path, valid, field, expect="problem", auth=True):
        label = f"{method} {UUID.sub('{id}', path.replace('/v1', ''))}"
        cat = "body"

        def c(name, body, **kw):
            kw.setdefault("expect", expect)
            kw.setdefault("auth", auth)
            add(Case(cat, f"{label}: {name}", method, path, body, **kw))

        c("empty body", b"")
        for text in (b"null", b"[]", b"123", b'"text"', b"true"):
            c(f"top-level {text.decode()}", text)
        c("truncated JSON", json_bytes(valid)[:-1])
        c("trailing garbage", json_bytes(valid) + b"garbage")
        c("two JSON values", json_bytes(valid) + b" {}")
        c("single quotes", json_bytes(valid).replace(b'"', b"'"))
        c("a comment", b"/* c */" + json_bytes(valid))
        c("NaN literal", with_raw(valid, field, b"NaN"))
        c("Infinity literal", with_raw(valid, field, b"-Infinity"))
        c("unescaped control byte in a string", with_raw(valid, field, b'"a\x01b"'))
        c("deep nesting: 100000 [", b"[" * 100000)
        c("deep nesting: 100000 {\"a\":", b'{"a":' * 100000)
        c("deep nesting, closed, inside a field", with_raw(valid, field, b"[" * 100000 + b"]" * 100000))
        c("deep objects, closed, 50000 levels", b'{"a":' * 50000 + b"1" + b"}" * 50000)
        c("10^6-element array (2 MB; over 1 MiB: 413)", b"[" + b"0," * 999999 + b"0]")
        c("10^6-element array inside a field", with_raw(valid, field, b"[" + b"0," * 999999 + b"0]"))
        c("2 MiB chunked body", None, chunked=_chunked(json_bytes({**valid, "pad": "x" * (2 * MiB)})))
        c("invalid UTF-8: 0xff 0xfe", with_raw(valid, field, b'"\xff\xfe"'))
        c("invalid UTF-8: overlong '/' (0xc0 0xaf)", with_raw(valid, field, b'"\xc0\xaf"'))
        c("invalid UTF-8: surrogate half (0xed 0xa0 0x80)", with_raw(valid, field, b'"\xed\xa0\x80"'))
        c("invalid UTF-8: truncated sequence", with_raw(valid, field, b'"\xe2\x82"'))
        c("invalid UTF-8 in a key", b'{"\xff\xfe":1}')
        c("lone surrogate escape \\ud800", with_raw(valid, field, b'"\\ud800"'))
        for name, body in _duplicates(valid):
            c(name, body)
        c("unknown field", json_bytes({**valid, "x-hostile": 1}))
        c("40-digit number in a string field", with_raw(valid, field, b"1" + b"0" * 39))
        c("1e400 in a string field", with_raw(valid, field, b"1e400"))
        c("object in a string field", with_raw(valid, field, b'{"$ne": null}'))
        c("UTF-16 body", json.dumps(valid).encode("utf-16"))
        c("form-encoded body as application/x-www-form-urlencoded",
          urllib.parse.urlencode({k: str(v) for k, v in valid.items()}).encode(),
          content_type="application/x-www-form-urlencoded")
        c("XML body as application/xml", b"<?xml version='1.0'?><a><b>1</b></a>", content_type="application/xml")
        c("multipart body", b"--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--\r\n",
          content_type="multipart/form-data; boundary=x")
        c("invalid JSON as text/plain", b"legalName=x", content_type="text/plain")
        # Valid JSON under another Content-Type: the contract reads bodies whatever the
        # Content-Type, so this may be accepted.
        c("valid JSON as text/plain", json_bytes(valid), content_type="text/plain", expect="lenient")
        c("no Content-Type", json_bytes(valid), content_type=None, expect="lenient")

    for method, path, valid, field in routes:
        auth = path != "/v1/auth/login"
        body_cases(method, path, valid, field, auth=auth)

    # The token endpoint: errors are RFC 6749 JSON, not problems.
    token = "/v1/auth/token"
    form = "application/x-www-form-urlencoded"
    for name, body, ctype, headers in [
        ("empty body", b"", form, []),
        ("grant_type twice", b"grant_type=refresh_token&grant_type=refresh_token&refresh_token=x", form, []),
        ("refresh_token twice", b"grant_type=refresh_token&refresh_token=a&refresh_token=b", form, []),
        ("SQL injection refresh token", urllib.parse.urlencode({"grant_type": "refresh_token",
                                                                 "refresh_token": "' OR '1'='1' --"}).encode(), form, []),
        ("password grant", b"grant_type=password&username=admin&password=x", form, []),
        ("invalid UTF-8 form", b"grant_type=refresh_token&refresh_token=\xff\xfe", form, []),
        ("percent-encoded NUL", b"grant_type=refresh_token&refresh_token=%00", form, []),
        ("deep nesting JSON", b"[" * 100000, "application/json", []),
        ("JSON with a number value", b'{"grant_type":"refresh_token","refresh_token":1' + b"0" * 39 + b"}",
         "application/json", []),
        ("JSON duplicate keys (a parameter given twice: 400 invalid_request)",
         b'{"grant_type":"refresh_token","grant_type":"client_credentials"}', "application/json", []),
        ("JSON refresh_token twice (400 invalid_request)",
         b'{"grant_type":"refresh_token","refresh_token":"a","refresh_token":"b"}', "application/json", []),
        ("invalid UTF-8 JSON", b'{"grant_type":"\xff"}', "application/json", []),
        ("10^6 form parameters (2 MB: 413)", b"&".join([b"a=1"] * 500000) + b"&" + b"&".join([b"b=2"] * 500000),
         form, []),
        ("client_credentials, garbage Basic", b"grant_type=client_credentials", form, [("Authorization", "Basic !!!")]),
        ("client_credentials, Basic without colon", b"grant_type=client_credentials", form,
         [("Authorization", "Basic " + _b64("nocolon"))]),
        ("client_credentials, SQL injection client id", b"grant_type=client_credentials", form,
         [("Authorization", "Basic " + _b64("' OR 1=1 --:x"))]),
        ("client_credentials, 64 KiB Basic", b"grant_type=client_credentials", form,
         [("Authorization", "Basic " + _b64("a" * 48000 + ":b"))]),
    ]:
        expect = "4xx" if "413" in name else "oauth"
        check = _invalid_request if "twice" in name else None
        add(Case("token", f"POST /auth/token: {name}", "POST", token, body, headers=headers, expect=expect,
                 auth=False, content_type=ctype, check=check))
    add(Case("token", "POST /auth/revoke: deep nesting JSON", "POST", "/v1/auth/revoke", b"[" * 100000,
             expect="oauth", auth=False))
    add(Case("token", "POST /auth/revoke: token twice", "POST", "/v1/auth/revoke", b"token=a&token=b",
             expect="oauth", auth=False, content_type=form, check=_invalid_request))
    add(Case("token", "POST /auth/revoke: JSON token twice (400 invalid_request)", "POST", "/v1/auth/revoke",
             b'{"token":"a","token":"b"}', expect="oauth", auth=False, check=_invalid_request))

    # Amounts: zero, negative, 40 digits, over 10^20, more places than the scale, not decimals.
    bad_values = ["0", "0.00", "-0", "-0.00", "-1.00", "-0.01", "1" + "0" * 39,
                  "1234567890123456789012345678901234567890.12", "0." + "1" * 40,
                  "100000000000000000000.01", "100000000000000000001", "1.001", "1e2", "1E+2", "+1.00", " 1.00",
                  "1.00 ", "1,00", ".5", "5.", "0x10", "NaN", "Infinity", "-Infinity", "", "\uff11.00",
                  "\u0661.00", "1.0.0", "1..0", "--1", "0.00000000000000000000000000000000000001"]
    for value in bad_values:
        body = transfer("BRL", value, "@alice", "@bob")
        add(Case("amount", f"transactions/json value {value!r}", "POST", f"{lp}/transactions/json", json_bytes(body)))
        body = transfer("BRL", "1.00", "@alice", "@bob")
        body["send"]["source"]["from"][0]["amount"]["value"] = value
        add(Case("amount", f"transactions/json leg amount {value!r}", "POST", f"{lp}/transactions/json", json_bytes(body)))
    for value in ("0", "-1.00", "1" + "0" * 39, "1.001", "NaN"):
        add(Case("amount", f"inflow value {value!r}", "POST", f"{lp}/transactions/inflow",
                 json_bytes(inflow("BRL", value, "@bob"))))
        add(Case("amount", f"batch item value {value!r} (atomic)", "POST", f"{lp}/transactions/batch",
                 json_bytes({"atomic": True, "transactions": [transfer("BRL", value, "@alice", "@bob")]})))
        if value != "0":  # a zero overdraft limit is legal
            add(Case("amount", f"balance overdraftLimit {value!r}", "PATCH", f"{lp}/balances/{state['balance_del']}",
                     json_bytes({"overdraftLimit": value})))
    for raw in (b"1", b"1.00", b"-1", b"0", b"1" + b"0" * 39, b"1e400", b"-1e-400", b"true", b"null", b"[]", b"{}"):
        template = transfer("BRL", "1.00", "@alice", "@bob")
        template["send"]["value"] = "@@VALUE@@"
        body = json_bytes(template).replace(b'"@@VALUE@@"', raw)
        add(Case("amount", f"transactions/json value as JSON {raw[:12].decode()}", "POST", f"{lp}/transactions/json", body))
    for pct in (b"0", b"-1", b"101", b"1.5", b'"50"', b"1" + b"0" * 39):
        body = json_bytes({"send": {"asset": "BRL", "value": "1.00",
                                    "source": {"from": [{"accountAlias": "@alice", "share": {"percentage": 7}}]},
                                    "distribute": {"to": [leg("@bob", "BRL", "1.00")]}}}).replace(b'"percentage": 7', b'"percentage": ' + pct)
        add(Case("amount", f"share percentage {pct.decode()[:12]}", "POST", f"{lp}/transactions/json", body))
    # Amounts near every limit, on the assets of scales 0, 2, 8 and 18.
    cases += scale_cases(state, long, client)
    # 40-digit numbers elsewhere.
    forty = "1" + "0" * 39
    add(Case("number", "asset scale 40 digits", "POST", f"{lp}/assets",
             b'{"name":"n","type":"others","code":"NUMX","scale":' + forty.encode() + b"}"))
    add(Case("number", "asset scale -1", "POST", f"{lp}/assets", b'{"name":"n","type":"others","code":"NUMY","scale":-1}'))
    add(Case("number", "metadata value 40 digits", "POST", "/v1/organizations",
             b'{"legalName":"n","legalDocument":"1","metadata":{"n":' + forty.encode() + b"}}"))
    add(Case("number", "metadata value 1e400", "POST", "/v1/organizations",
             b'{"legalName":"n","legalDocument":"1","metadata":{"n":1e400}}'))
    add(Case("number", "metadata value -0.0", "POST", "/v1/organizations",
             b'{"legalName":"n","legalDocument":"1","metadata":{"n":-0.0}}', expect="lenient"))
    common = (f"limit={forty}", "limit=-1", "limit=0", "limit=1e2", "start_date=2026-13-45&end_date=2026-13-46",
              "start_date=0000-00-00&end_date=9999-99-99", "start_date=2026-11-30&end_date=2026-11-01",
              "sort_order=%27%20OR%201%3D1--")
    for param in common + (f"page={forty}", "page=0", "page=-1"):
        add(Case("query", f"GET accounts?{param[:40]}", "GET", f"{lp}/accounts?{param}"))
    for param in common + ("cursor=%27%20OR%201%3D1--", f"cursor={'A' * 10000}", "cursor=%00"):
        add(Case("query", f"GET transactions?{param[:40]}", "GET", f"{lp}/transactions?{param}"))
    add(Case("query", "GET audit/events?limit=40 digits", "GET", f"/v1/audit/events?limit={forty}"))
    add(Case("query", "GET audit/events?cursor=40 digits", "GET", f"/v1/audit/events?cursor={forty}", expect="lenient"))
    add(Case("query", "GET users?limit=40 digits", "GET", f"/v1/users?limit={forty}"))
    for name, value in (("X-TTL 40 digits", forty), ("X-TTL -1", "-1"), ("X-TTL 0", "0"), ("X-TTL 1e3", "1e3"),
                        ("Idempotency-Key 1 KiB", None)):
        key = ("Idempotency-Key", f"hostile-{uuid.uuid4().hex}")
        headers = [("X-TTL", value), key] if value is not None else [("Idempotency-Key", "k" * 1024)]
        add(Case("header", f"transactions/json {name}", "POST", f"{lp}/transactions/json",
                 json_bytes(transfer("BRL", "0.01", "@alice", "@bob")), headers=headers))
    # Without an idempotency key X-TTL means nothing; the server ignores it (lenient).
    add(Case("header", "transactions/json X-TTL 40 digits without a key", "POST", f"{lp}/transactions/json",
             json_bytes(transfer("BRL", "0.01", "@alice", "@bob")), headers=[("X-TTL", forty)], expect="lenient"))
    add(Case("header", "Idempotency-Key with bytes 0x80-0xff", "POST", f"{lp}/transactions/json",
             json_bytes(transfer("BRL", "0.01", "@alice", "@bob")), headers=[("Idempotency-Key", b"k\x80\xff")]))

    # SQL and JSON injection: refused where a pattern forbids them (aliases), stored
    # verbatim where the text is free (names, descriptions, metadata).
    injections = [
        "' OR '1'='1", "'; DROP TABLE accounts; --", "\" OR \"\"=\"", "1; SELECT pg_sleep(10); --",
        "' UNION SELECT password_hash FROM users --", "%' OR 1=1 --", "\\'; --", "admin'--",
        '","admin":true,"x":"', '{"$gt": ""}', "}{", "\"]}", "</script><script>alert(1)</script>",
        "${jndi:ldap://x/a}", "{{7*7}}", "\u202e\u0000", "😀" * 10, "null",
    ]
    for i, text in enumerate(injections):
        alias = "@" + text
        legal = ALIAS_PATTERN.fullmatch(alias) is not None  # e.g. "@null": an alias like any other
        add(Case("injection", f"account alias {text!r}", "POST", f"{lp}/accounts",
                 json_bytes({"assetCode": "BRL", "type": "deposit", "alias": alias}),
                 expect="lenient" if legal else "problem"))
        add(Case("injection", f"GET account by alias {text!r}", "GET",
                 f"{lp}/accounts/alias/{urllib.parse.quote(alias, safe='')}", expect="lenient" if legal else "problem"))
        add(Case("injection", f"transaction leg alias {text!r}", "POST", f"{lp}/transactions/json",
                 json_bytes(transfer("BRL", "0.01", alias, "@bob"))))
        metadata = {"inj": text, "inj-" + str(i) + text[:50]: text}
        org_body = {"legalName": text or "x", "legalDocument": text or "x", "metadata": metadata}
        add(Case("injection", f"organization name and metadata {text!r}", "POST", "/v1/organizations",
                 json_bytes(org_body), expect="lenient" if "\u0000" in text else "stored",
                 check=_echo_check(org_body, ("legalName", "legalDocument", "metadata"))))
        add(Case("injection", f"metadata filter {text!r} (matches nothing)", "GET",
                 f"/v1/organizations?limit=100&metadata.nomatch={urllib.parse.quote(text, safe='')}",
                 expect="lenient", check=_empty_page_check))
        add(Case("injection", f"metadata filter key {text!r}", "GET",
                 f"/v1/organizations?metadata.{urllib.parse.quote(text, safe='')}=x", expect="lenient",
                 check=_empty_page_check))

    # Path traversal and malformed ids.
    traversal = [
        f"/v1/organizations/../../../../etc/passwd",
        f"/v1/organizations/..%2f..%2f..%2fetc%2fpasswd",
        f"/v1/organizations/%2e%2e%2f%2e%2e%2fv1%2fusers",
        f"/v1/organizations/%252e%252e%252f%252e%252e%252fetc%252fpasswd",
        f"/v1/organizations/%c0%ae%c0%ae%2f%c0%ae%c0%ae%2fetc",
        f"/v1/organizations/..\\..\\..\\etc\\passwd",
        f"/v1/organizations/{org}%00",
        f"/v1/organizations/{org}%00/ledgers",
        f"/v1/organizations/%00",
        f"{o}/ledgers/{ledger}/../../../../../../etc/passwd",
        f"{lp}/accounts/alias/..%2f..%2f..%2f..%2fusers",
        f"{lp}/accounts/alias/%2e%2e",
        f"{lp}/accounts/alias/%2e%2e%2f%2e%2e%2faccounts",
        f"{lp}/accounts/alias/@alice%00",
        f"{lp}/accounts/alias/@alice%2f..%2f..%2fbalances",
        f"{lp}/accounts/external/..%2F..%2Fassets",
        f"{lp}/accounts/external/BRL%00",
        f"{lp}/transactions/..%5c..%5c..%5cusers",
        f"{lp}/transactions/{state['transaction_id']}%2f..%2f..%2f",
        f"/v1/users/..%2fgroups",
        f"/v1/users/%2e%2e",
        f"/v1/clients/..%2f..%2fkeys%2frotate",
        f"/v1/organizations/{org.upper()}",
        f"/v1/organizations/{{{org}}}",
        f"/v1/organizations/{forty}",
        f"/v1/organizations/-1",
        f"/v1/organizations/{'a' * 10000}",
        f"/v1/organizations/%ff%fe",
    ]
    for target in traversal:
        expect = "lenient" if target.endswith(org.upper()) else "problem"
        add(Case("path", f"GET {target[:90]}", "GET", target, expect=expect))
    add(Case("path", "DELETE organization ..%2f deletable", "DELETE",
             f"/v1/organizations/..%2f{state['organization_del']}"))
    add(Case("path", "PATCH user ../admin", "PATCH", "/v1/users/..%2f..%2fusers%2fadmin", b'{"status":"disabled"}'))

    # Overlong headers and URLs, and broken HTTP framing: an answer (4xx) is possible.
    add(Case("header", "16 KiB header value", "GET", "/v1/auth/me", headers=[("X-Hostile", "a" * 16384)], expect="lenient"))
    # Up to the server's header limit (somewhere above 64 KiB) long headers are just headers.
    add(Case("header", "64 KiB header value", "GET", "/v1/auth/me", headers=[("X-Hostile", "a" * 65536)],
             expect="lenient"))
    add(Case("header", "1 MiB header value", "GET", "/v1/auth/me", headers=[("X-Hostile", "a" * MiB)]))
    add(Case("header", "64 KiB header name", "GET", "/v1/auth/me", headers=[("X" * 65536, "a")], expect="lenient"))
    add(Case("header", "10000 headers", "GET", "/v1/auth/me", headers=[(f"X-H{i}", "a") for i in range(10000)]))
    add(Case("header", "1 MiB bearer token", "GET", "/v1/auth/me", headers=[("Authorization", "Bearer " + "a" * MiB)],
             auth=False))
    add(Case("header", "bearer token with a NUL byte", "GET", "/v1/auth/me",
             headers=[("Authorization", b"Bearer a\x00b")], auth=False))
    add(Case("header", "bearer token with bytes 0x80-0xff", "GET", "/v1/auth/me",
             headers=[("Authorization", b"Bearer \xff\xfe\x80")], auth=False))
    add(Case("header", "forged alg=none token", "GET", "/v1/auth/me",
             headers=[("Authorization", "Bearer " + _none_token())], auth=False))
    add(Case("header", "X-Request-Id traversal (replaced, 200)", "GET", "/health",
             headers=[("X-Request-Id", "../../etc/passwd")], auth=False, expect="lenient", check=_request_id_replaced))
    add(Case("header", "64 KiB X-Request-Id (replaced)", "GET", "/health", headers=[("X-Request-Id", "a" * 65536)],
             auth=False, expect="lenient"))
    add(Case("url", "64 KiB query string (an unknown parameter)", "GET", "/v1/organizations?x=" + "a" * 65536,
             expect="lenient"))
    add(Case("url", "1 MiB path", "GET", "/v1/organizations/" + "a" * MiB))
    add(Case("framing", "Content-Length -1", "POST", "/v1/organizations", b"{}", headers=[("Content-Length", "-1")]))
    add(Case("framing", "Content-Length abc", "POST", "/v1/organizations", b"{}", headers=[("Content-Length", "abc")]))
    add(Case("framing", "Content-Length 2^64", "POST", "/v1/organizations", b"{}",
             headers=[("Content-Length", "18446744073709551616")]))
    add(Case("framing", "Content-Length 8 MiB + 1 on the batch route (413 before the body)", "POST",
             f"{lp}/transactions/batch", b"{}", headers=[("Content-Length", str(8 * MiB + 1))]))
    add(Case("framing", "two different Content-Lengths", "POST", "/v1/organizations", b"{}",
             headers=[("Content-Length", "2"), ("Content-Length", "3")]))
    add(Case("framing", "Content-Length and chunked", "POST", "/v1/organizations", b"0\r\n\r\n",
             headers=[("Content-Length", "5"), ("Transfer-Encoding", "chunked")]))
    add(Case("framing", "bad chunk size", "POST", "/v1/organizations", None, chunked=b"zz\r\n{}\r\n0\r\n\r\n"))
    # A chunk announced larger than the body limit is not seen as such (the HTTP parser does
    # not tell the server chunk sizes): the server waits for the bytes like any slow body, and
    # the idle timeout (10 s on this suite's server) closes the connection. A hang would not.
    add(Case("framing", "chunk size 2^64-1, then 2 bytes (closed at the idle timeout)", "POST", "/v1/organizations",
             None, chunked=b"ffffffffffffffff\r\n{}", timeout=25.0, expect="4xx-or-close"))
    add(Case("framing", "unknown method PROPFIND", "PROPFIND", "/v1/organizations"))
    add(Case("framing", "lower-case method", "get", "/v1/organizations"))
    add(Case("framing", "HTTP/9.9", "GET", "/health", raw_head=b"GET /health HTTP/9.9\r\nHost: x\r\n\r\n", auth=False))
    add(Case("framing", "NUL in the request target", "GET", "/health",
             raw_head=b"GET /v1/organizations/\x00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", auth=False))
    add(Case("framing", "space in the request target", "GET", "/health",
             raw_head=b"GET /v1/organi zations HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", auth=False))
    add(Case("framing", "header without a colon", "GET", "/health",
             raw_head=b"GET /health HTTP/1.1\r\nHost: x\r\nNoColonHere\r\nConnection: close\r\n\r\n", auth=False))
    # RFC 9112 §3.2.2: a server must accept the absolute form (the target's authority wins).
    add(Case("framing", "absolute-form target", "GET", "http://evil.example/v1/organizations", expect="lenient"))

    # Login: more hostile credentials.
    add(Case("login", "login with a 1 MiB - 1 KiB password", "POST", "/v1/auth/login",
             json_bytes({"username": "nobody-" + suffix, "password": "p" * (MiB - 1024)}), auth=False))
    add(Case("login", "login with totp as a 40-digit number", "POST", "/v1/auth/login",
             b'{"username":"admin","password":"x","totp":' + forty.encode() + b"}", auth=False))
    add(Case("login", "login with username as an object", "POST", "/v1/auth/login",
             b'{"username":{"$ne":null},"password":{"$ne":null}}', auth=False))

    # The batch route: large inputs under its 8 MiB limit.
    add(Case("batch", "10^6 empty items (3 MB, under 8 MiB)", "POST", f"{lp}/transactions/batch",
             b'{"transactions":[' + b"{}," * 999999 + b"{}]}"))
    add(Case("batch", "10^6 numbers as items (2 MB)", "POST", f"{lp}/transactions/batch",
             b'{"transactions":[' + b"0," * 999999 + b"0]}"))
    add(Case("batch", "8191 items (one over the limit)", "POST", f"{lp}/transactions/batch",
             json_bytes({"transactions": [{"send": {}}] * 8191})))
    add(Case("batch", "deep nesting: 4000000 [ (4 MB)", "POST", f"{lp}/transactions/batch", b"[" * 4_000_000))
    add(Case("batch", "deep nesting inside an item's metadata", "POST", f"{lp}/transactions/batch",
             b'{"transactions":[{"metadata":{"k":' + b"[" * 100000 + b"]" * 100000 + b'},"send":{}}]}'))
    add(Case("batch", "8 MiB + 1 body (413)", "POST", f"{lp}/transactions/batch", b" " * (8 * MiB + 1)))
    add(Case("batch", "response=../../ query", "POST", f"{lp}/transactions/batch?response=..%2f..%2f",
             json_bytes({"transactions": [tx]})))
    if long:
        items = [transfer("BRL", "0.01", "@nobody-" + str(i), "@bob") for i in range(8190)]
        add(Case("batch", "8190 items that all fail (atomic=false, 200)", "POST", f"{lp}/transactions/batch",
                 json_bytes({"atomic": False, "transactions": items}), expect="lenient",
                 check=lambda a: None if (a.json() or {}).get("failed") == 8190 else f"expected 8190 failures: {a.describe()}"))
        add(Case("batch", "8190 items that all fail (atomic=true, 422)", "POST", f"{lp}/transactions/batch",
                 json_bytes({"atomic": True, "transactions": items})))
    return cases


def scale_cases(state: dict, long: bool, client: Client | None) -> list[Case]:
    """Amounts near 10^20 major units, Int128's limits and the last fractional digit, on the
    seeded assets of scales 0, 2, 8 and 18 (amounts.py), in three parts that run in
    this order, since each leaves balances the next must not meet:

    1. Shares of 1-100 % of 1-100 % of a value near 10^20, with a remaining leg: each must
       post with exact amounts (share = value x p x q / 10^4 rounded down, the remaining leg
       the rest; nothing left for it is a 422), and is then reverted, so that the next
       meets empty accounts.
    2. Per scale, an overdraft of exactly 10^20 used to the full, then pushed past it: the
       balance would reach -2 x 10^20 (past Int128 at scale 18) and the receiving one
       2 x 10^20; both must be refused, never trap.
    3. Every near-limit amount on six routes (inflow, transfer, a leg's amount, an atomic
       batch item, an outflow share, an overdraft limit): over the limit or past the scale
       a 4xx problem; otherwise a 2xx or a 4xx problem (the balances it meets decide).

    --short spreads parts 1 and 3 over the scales, round-robin: each amount goes to one
    scale per route, a different one on each route (scale = (amount + route) mod 4), so
    every amount meets every scale and the corpus grows by a quarter of the product;
    --long sends every amount to every scale.
    """
    scales = state.get("scales")
    if not scales:
        return []
    lp = f"/v1/organizations/{state['organization_id']}/ledgers/{state['ledger_id']}"
    cases: list[Case] = []

    def spread(index: int) -> tuple[int, ...]:
        return SCALES if long else (SCALES[index % len(SCALES)],)

    def remaining(who: str) -> dict:
        return {"accountAlias": who, "remaining": "remaining"}

    def account(scale: int, name: str) -> str:
        return scales[str(scale)]["accounts"][name]["alias"]

    # 1. Shares, each reverted once it posted.
    for i, (percentage, of_percentage) in enumerate(SHARES):
        for scale in spread(i):
            code, top = scales[str(scale)]["code"], limit(scale)
            # Near 10^20, yet with room for the 1000 units the seed's inflow already took
            # from the external account (which may not pass -10^20 either), and low digits
            # that make the share round.
            value = top - 2000 * 10**scale + 1 + (7919 * i) % (1000 * 10**scale)
            share = {"percentage": percentage}
            if of_percentage is not None:
                share["percentageOfPercentage"] = of_percentage
            e, f = account(scale, "e"), account(scale, "f")
            body = {"send": {"asset": code, "value": render(value, scale),
                             "distribute": {"to": [{"accountAlias": e, "share": share}, remaining(f)]}}}
            first = share_of(value, percentage, of_percentage)
            rest = value - first
            name = f"scale {scale}: inflow {render(value, scale)} as {percentage}% of {of_percentage or 100}% + remaining"
            if rest > 0:
                check = _exact_legs_check(client, lp, scale, {e: first, f: rest})
                cases.append(Case("scale", name, "POST", f"{lp}/transactions/inflow", json_bytes(body), expect="accepted",
                                  check=check))
            else:
                cases.append(Case("scale", name + " (nothing remains: 422)", "POST", f"{lp}/transactions/inflow",
                                  json_bytes(body)))

    # 2. An overdraft of exactly 10^20, used up, then exceeded from both ends.
    for scale in SCALES:
        code, top = scales[str(scale)]["code"], render(limit(scale), scale)
        c, d = account(scale, "c"), account(scale, "d")
        balance_c = scales[str(scale)]["accounts"]["c"]["balance_id"]
        steps = (
            ("overdraftLimit 10^20 on @c", "PATCH", f"{lp}/balances/{balance_c}",
             {"allowOverdraft": True, "overdraftLimit": top}, "accepted"),
            ("@c -> @d 10^20 (@c at -10^20, its limit)", "POST", f"{lp}/transactions/json",
             transfer(code, top, c, d), "accepted"),
            ("@c -> @d 10^20 again (-2 x 10^20 and 2 x 10^20: refused)", "POST", f"{lp}/transactions/json",
             transfer(code, top, c, d), "problem"),
            ("@c -> @d one minor unit past the limit (refused)", "POST", f"{lp}/transactions/json",
             transfer(code, render(1, scale), c, d), "problem"),
            ("inflow 10^20 to @d, which holds 10^20 (refused)", "POST", f"{lp}/transactions/inflow",
             {"send": {"asset": code, "value": top, "distribute": {"to": [remaining(d)]}}}, "problem"),
            ("@d -> @c 10^20 (both back to zero)", "POST", f"{lp}/transactions/json",
             transfer(code, top, d, c), "accepted"),
        )
        for what, method, target, body, expect in steps:
            cases.append(Case("scale", f"scale {scale}: {what}", method, target, json_bytes(body), expect=expect))

    # 3. Every near-limit amount on six routes.
    routes = (
        ("inflow value", "POST", "/transactions/inflow", lambda code, text, s: {
            "send": {"asset": code, "value": text, "distribute": {"to": [remaining(account(s, "b"))]}}}),
        ("transfer value", "POST", "/transactions/json", lambda code, text, s: transfer(code, text, account(s, "a"),
                                                                                         account(s, "b"))),
        ("leg amount", "POST", "/transactions/json", lambda code, text, s: {
            "send": {"asset": code, "value": render(1, s),
                     "source": {"from": [{"accountAlias": account(s, "a"), "amount": {"asset": code, "value": text}}]},
                     "distribute": {"to": [remaining(account(s, "b"))]}}}),
        ("atomic batch item", "POST", "/transactions/batch", lambda code, text, s: {
            "atomic": True, "transactions": [{"send": {"asset": code, "value": text,
                                                       "distribute": {"to": [remaining(account(s, "b"))]}}}]}),
        ("outflow value", "POST", "/transactions/outflow", lambda code, text, s: {
            "send": {"asset": code, "value": text,
                     "source": {"from": [{"accountAlias": account(s, "a"), "share": {"percentage": 100}}]}}}),
        ("overdraftLimit", "PATCH", None, lambda code, text, s: {"overdraftLimit": text}),
    )
    kinds = len(near_limits(SCALES[0]))
    for r, (route, method, path, make) in enumerate(routes):
        for k in range(kinds):
            for scale in spread(k + r):
                what, text = near_limits(scale)[k]
                code = scales[str(scale)]["code"]
                target = f"{lp}{path}" if path else f"{lp}/balances/{scales[str(scale)]['accounts']['b']['balance_id']}"
                legal = may_accept(text, scale, zero=path is None)
                cases.append(Case("scale", f"scale {scale}: {route} {text!r} ({what})", method, target,
                                  json_bytes(make(code, text, scale)), expect="lenient" if legal else "problem"))

    # The report that found the trap, as it was sent.
    eth = scales.get("18")
    if eth:
        body = {"send": {"asset": eth["code"], "value": f"{TRAP_INTEGER}.{TRAP_FRACTION}",
                         "distribute": {"to": [remaining(eth["accounts"]["b"]["alias"])]}}}
        cases.append(Case("scale", "scale 18: the reported inflow of 999999999999999999999.123456789012345678",
                          "POST", f"{lp}/transactions/inflow", json_bytes(body)))
    return cases


def _exact_legs_check(client: Client | None, lp: str, scale: int, credits: dict[str, int]):
    """A 201 whose credits are exactly `credits` (alias -> minor units); then the
    transaction is reverted (201), so that the accounts are empty again."""
    def check(answer: Answer) -> str | None:
        if answer.status != 201:
            return f"expected 201, got {answer.describe()}"
        body = answer.json() or {}
        got = {op.get("accountAlias"): (op.get("amount") or {}).get("value")
               for op in body.get("operations") or [] if op.get("type") == "CREDIT"}
        for who, minor in credits.items():
            if got.get(who) != render(minor, scale):
                return f"{who} was credited {got.get(who)!r}, not {render(minor, scale)!r}: {answer.describe(400)}"
        if client is not None:
            reverted = client.call("POST", f"{lp}/transactions/{body.get('id')}/revert")
            if reverted.status != 201:
                return f"reverting it answered {reverted.describe()}"
        return None
    return check


def _chunked(data: bytes, size: int = 65536) -> bytes:
    out = bytearray()
    for i in range(0, len(data), size):
        piece = data[i:i + size]
        out += f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    return bytes(out + b"0\r\n\r\n")


def _duplicates(valid: dict):
    """The valid body with its first key given twice: the same value, and (for text) another."""
    key, value = next(iter(valid.items()))
    yield f"duplicate key {key!r}, same value", b"{" + json_bytes({key: value})[1:-1] + b"," + json_bytes(valid)[1:]
    if isinstance(value, str):
        yield (f"duplicate key {key!r}, another value",
               b"{" + json_bytes({key: value + "-other"})[1:-1] + b"," + json_bytes(valid)[1:])


def _b64(text: str) -> str:
    import base64
    return base64.b64encode(text.encode()).decode()


def _none_token() -> str:
    import base64

    def part(value) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")
    now = int(time.time())
    return part({"alg": "none", "typ": "at+jwt"}) + "." + part(
        {"sub": "admin", "iss": "strongroom", "aud": "strongroom-api", "iat": now, "nbf": now, "exp": now + 600,
         "jti": str(uuid.uuid4()), "knd": "user"}) + "."


def _echo_check(sent: dict, keys):
    def check(answer: Answer) -> str | None:
        if answer.status != 201:
            return f"expected 201, got {answer.describe()}"
        body = answer.json() or {}
        for key in keys:
            if body.get(key) != sent[key]:
                return f"{key} came back as {body.get(key)!r}, sent {sent[key]!r}"
        return None
    return check


def _empty_page_check(answer: Answer) -> str | None:
    body = answer.json()
    if answer.status != 200 or not isinstance(body, dict):
        return f"expected a 200 page, got {answer.describe()}"
    if body.get("items"):
        return f"a filter no item matches answered {len(body['items'])} items: the filter is not applied as data"
    return None


def _invalid_request(answer: Answer) -> str | None:
    body = answer.json() or {}
    if answer.status != 400 or body.get("error") != "invalid_request":
        return f"a parameter given twice must get 400 invalid_request (RFC 6749 §3.2), got {answer.describe(200)}"
    return None


def _not_throttled(answer: Answer) -> str | None:
    if answer.status == 429:
        return "inconclusive: throttled (429) before the password was checked"
    return None


def _request_id_replaced(answer: Answer) -> str | None:
    if answer.header("x-request-id") == "../../etc/passwd":
        return "an invalid X-Request-Id was echoed instead of replaced"
    return None


# --- Running it ----------------------------------------------------------------------------


def load(work: str):
    with open(os.path.join(work, "state.json")) as f:
        state = json.load(f)
    session = Session(state["url"], os.path.join(work, "sessions", "helper.json"))
    return state, Client(state["url"], session)


def send(client: Client, case: Case) -> Answer:
    headers = list(case.headers)
    if case.auth:
        headers.append(("Authorization", f"Bearer {client.session.token()}"))
    if case.content_type and (case.body is not None or case.chunked is not None):
        if not any(str(k).lower() == "content-type" for k, _ in headers):
            headers.append(("Content-Type", case.content_type))
    return raw_request(client.base, case.method, case.target, headers, case.body, chunked_body=case.chunked,
                       raw_head=case.raw_head, timeout=case.timeout)


def alive(base: str) -> bool:
    answer = raw_request(base, "GET", "/health", timeout=10)
    return answer.status == 200


def run_corpus(work: str, long: bool = False) -> int:
    state, client = load(work)
    state["admin_password"] = os.environ.get("SR_FUZZ_ADMIN_PASSWORD", "")
    cases = build_corpus(state, long, client)
    failures: list[tuple[Case, str, Answer]] = []
    started = time.monotonic()
    print(f"hostile corpus: {len(cases)} inputs against {state['url']}")
    for n, case in enumerate(cases, 1):
        answer = send(client, case)
        wrong = judge(case, answer)
        outcome = answer.describe(80) if answer.status is None else f"{answer.status} {_code(answer)}"
        print(f"  {'FAIL' if wrong else 'ok  '} [{case.category}] {case.name} -> {outcome} ({answer.elapsed:.2f} s)")
        if wrong:
            failures.append((case, wrong, answer))
            if not alive(state["url"]):
                failures.append((case, "the server stopped answering /health after this input", answer))
                print(f"  FAIL the server is down after: {case.name}")
                break
    elapsed = time.monotonic() - started
    print(f"hostile corpus: {n} of {len(cases)} inputs sent in {elapsed:.1f} s, {len(failures)} failures")
    with open(os.path.join(work, "hostile-failures.json"), "w") as f:
        json.dump([{"category": c.category, "name": c.name, "method": c.method,
                    "target": c.target if isinstance(c.target, str) else c.target.decode("latin-1"),
                    "why": why, "answer": a.describe(600)} for c, why, a in failures], f, indent=2)
    if failures:
        print("hostile corpus failures (grouped; every input is listed above):")
        for line in _grouped(failures):
            print(line)
    print(f"HOSTILE_INPUTS={n}")
    print(f"HOSTILE_FAILURES={len(failures)}")
    return 1 if failures else 0


def _grouped(failures) -> list[str]:
    """One line per kind of failure: the same input on several routes is one group."""
    groups: dict = {}
    for case, why, answer in failures:
        route, _, what = case.name.partition(": ") if case.category == "body" else ("", "", case.name)
        what = re.sub(r"'[^']*'", "'…'", what) if case.category == "body" else what
        outcome = re.sub(r"got 2\d\d.*", "got 2xx (accepted)", re.sub(r"(got \d{3}).*", r"\1", why))
        category = case.category
        if answer.status is not None and answer.status < 500 and "Content-Type is missing" in why:
            # The HTTP layer's own answers: one group, the inputs listed.
            category, what, route = "http", "inputs refused by the HTTP layer", case.name
        entry = groups.setdefault((category, what, outcome), {"routes": [], "example": (case, why, answer)})
        if route:
            entry["routes"].append(route)
    lines = []
    for (category, what, outcome), entry in groups.items():
        case, why, answer = entry["example"]
        noun = "inputs" if category == "http" else "routes"
        where = f" ({len(entry['routes'])} {noun}: {', '.join(entry['routes'][:4])}{', …' if len(entry['routes']) > 4 else ''})" \
            if entry["routes"] else ""
        lines.append(f"  - [{category}] {what}{where}: {outcome}")
        target = case.target if isinstance(case.target, str) else case.target.decode("latin-1")
        lines.append(f"      e.g. {case.method} {target[:160]} -> {answer.describe(200)}")
    return lines


def _code(answer: Answer) -> str:
    body = answer.json()
    if isinstance(body, dict):
        return str(body.get("code") or body.get("error") or "")
    return ""


# --- The check after the run ---------------------------------------------------------------


def run_check(work: str) -> int:
    state, client = load(work)
    base = state["url"]
    failures = []

    def expect(what: str, answer: Answer, status: int):
        ok = answer.status == status
        print(f"  {'ok  ' if ok else 'FAIL'} {what} -> {answer.describe(120) if not ok else answer.status}")
        if not ok:
            failures.append(f"{what}: {answer.describe(300)}")
        return ok

    print("after the run:")
    expect("GET /health", raw_request(base, "GET", "/health"), 200)
    expect("GET /readyz", raw_request(base, "GET", "/readyz"), 200)
    # schemathesis leaves out the operation that serves the document it loaded: its
    # response is checked here against what the document says of it.
    answer = raw_request(base, "GET", "/openapi.yaml")
    wrong = [what for what, ok in (
        ("status 200", answer.status == 200),
        ("Content-Type application/yaml", answer.header("content-type").split(";")[0].strip() == "application/yaml"),
        ("Cache-Control: public, max-age=300", answer.header("cache-control") == "public, max-age=300"),
        ("an X-Request-Id", bool(answer.header("x-request-id"))),
    ) if not ok]
    print(f"  {'FAIL' if wrong else 'ok  '} GET /openapi.yaml as its document says" + (f": lacks {', '.join(wrong)}" if wrong else ""))
    if wrong:
        failures.append(f"GET /openapi.yaml lacks {', '.join(wrong)}: {answer.describe(120)}")
    try:
        expect("the administrator's session still works (GET /v1/auth/me)", client.call("GET", "/v1/auth/me"), 200)
    except RuntimeError as exc:
        failures.append(str(exc))
        print(f"  FAIL {exc}")
        return _check_result(failures)

    # A normal transaction posts, in books of its own (the fuzzer may have blocked or
    # restricted the seeded accounts, which is its right).
    tag = uuid.uuid4().hex[:8]
    answer = client.call("POST", "/v1/organizations", {"legalName": f"Check {tag}", "legalDocument": "1"})
    if expect("create an organization", answer, 201):
        o = f"/v1/organizations/{answer.json()['id']}"
        ledger = client.call("POST", f"{o}/ledgers", {"name": "check"})
        if expect("create a ledger", ledger, 201):
            lp = f"{o}/ledgers/{ledger.json()['id']}"
            expect("create asset BRL", client.call("POST", f"{lp}/assets", {"name": "Real", "type": "currency", "code": "BRL"}), 201)
            for alias in ("@src", "@dst"):
                expect(f"create account {alias}", client.call("POST", f"{lp}/accounts",
                                                              {"assetCode": "BRL", "type": "deposit", "alias": alias}), 201)
            expect("inflow 10.00 to @src", client.call("POST", f"{lp}/transactions/inflow", inflow("BRL", "10.00", "@src")), 201)
            expect("transfer 1.00 @src -> @dst", client.call("POST", f"{lp}/transactions/json",
                                                            transfer("BRL", "1.00", "@src", "@dst")), 201)
            for alias, want in (("@src", "9.00"), ("@dst", "1.00")):
                answer = client.call("GET", f"{lp}/accounts/alias/{alias}/balances")
                items = (answer.json() or {}).get("items") or [{}]
                got = items[0].get("available")
                ok = answer.status == 200 and got == want
                print(f"  {'ok  ' if ok else 'FAIL'} balance of {alias} is {want} -> {got}")
                if not ok:
                    failures.append(f"balance of {alias}: expected {want}, got {answer.describe(200)}")

    # The seeded ledger's books: every asset's balances add up to zero, the assets of every
    # scale among them. Summed exactly: Decimal's default 28 digits would round balances
    # near 10^20 at scale 18 (39 digits), so the sum is made at 100.
    lp = f"/v1/organizations/{state['organization_id']}/ledgers/{state['ledger_id']}"
    totals: dict[str, Decimal] = {}
    counts: dict[str, int] = {}
    cursor, pages = None, 0
    exact = decimal.Context(prec=100, traps=[decimal.Inexact, decimal.InvalidOperation])
    while True:
        answer = client.call("GET", f"{lp}/balances?limit=100" + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else ""))
        if answer.status != 200:
            failures.append(f"listing the seeded ledger's balances: {answer.describe(300)}")
            print(f"  FAIL listing the seeded ledger's balances -> {answer.describe(120)}")
            break
        body = answer.json()
        for item in body["items"]:
            asset = item["assetCode"]
            total = exact.add(totals.get(asset, Decimal(0)), exact.add(Decimal(item["available"]), Decimal(item["onHold"])))
            totals[asset] = total
            counts[asset] = counts.get(asset, 0) + 1
        cursor, pages = body.get("next_cursor"), pages + 1
        if not cursor or pages > 1000:
            break
    for asset, total in sorted(totals.items()):
        ok = total == 0
        print(f"  {'ok  ' if ok else 'FAIL'} the seeded ledger's {counts[asset]} {asset} balances add up to zero -> {total:f}")
        if not ok:
            failures.append(f"the seeded ledger's {asset} balances add up to {total}, not 0")
    for scale, seeded in sorted((state.get("scales") or {}).items(), key=lambda item: int(item[0])):
        if seeded["code"] not in totals:
            print(f"  FAIL no balance of {seeded['code']} (scale {scale}) was listed")
            failures.append(f"the books check did not meet the scale-{scale} asset {seeded['code']}")
    answer = client.call("GET", "/v1/audit/verify")
    verdict = answer.json() or {}
    ok = answer.status == 200 and verdict.get("valid") is True
    print(f"  {'ok  ' if ok else 'FAIL'} GET /v1/audit/verify -> {answer.describe(160)}")
    if not ok:
        failures.append(f"audit verify: {answer.describe(300)}")
    return _check_result(failures)


def _check_result(failures: list[str]) -> int:
    print(f"CHECK_FAILURES={len(failures)}")
    for failure in failures:
        print(f"  - {failure}")
    return 1 if failures else 0
