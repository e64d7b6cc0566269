#!/usr/bin/env python3
"""scripts/srtest/fuzz_api.py: the Python half of scripts/fuzz-api (standard library only;
run as `python3 -m srtest.fuzz_api` with scripts/ on PYTHONPATH).

Subcommands (each prints what it does to stderr and its result to stdout):

  seed URL PASSWORD WORKDIR   log in as `admin`, enrol its authenticator and step up (the
                              administration routes need it), create the data schemathesis aims at (an
                              organization, a ledger, assets BRL and USD, an asset of each
                              scale 0, 2, 8 and 18 with six accounts each, accounts, funded
                              and pending transactions, and things the fuzzer may delete or
                              change: a second organization, ledger, asset, portfolio,
                              segment, accounts, users, a group, clients), open the token
                              sessions the later steps use, and write WORKDIR/state.json,
                              WORKDIR/sessions/*.json and WORKDIR/schemathesis.toml.
  hostile WORKDIR [--long]    send the hostile corpus (deep nesting, 10^6-element arrays,
                              invalid UTF-8, duplicate keys, bad amounts, amounts near every
                              limit at every seeded scale, 40-digit numbers,
                              SQL and JSON injection, path traversal, overlong headers,
                              wrong content types, broken framing) and check every answer.
  check WORKDIR               the server is still alive and the books are intact: /health
                              and /readyz answer 200, the administrator's token still works,
                              a normal transaction posts, every asset's balances in the
                              seeded ledger add up to zero, and the audit chain verifies.
  summarize NDJSON...         count operations, test cases and failures in schemathesis's
                              ndjson reports.

Exit status: 0 when every property held, 1 when one failed (each named on stdout), 2 when
the step could not run at all.

Sessions: an access token lasts at most 900 s, and the login route is throttled per source
address (20 failures in 15 minutes from 127.0.0.1 lock it), which the fuzzer trips on
purpose. So every step logs in once, in `seed`, before any fuzzing, and afterwards renews
its access token with its own refresh token (`grant_type=refresh_token`); each session is a
file under WORKDIR/sessions holding the latest refresh token, used by one process at a time.
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid

from srtest.amounts import SCALES, alias, code, dictionary_values
from srtest.client import Client, Session, elevate, inflow, raw_request, totp_code, totp_secret, transfer
from srtest.hostile import run_check, run_corpus

# --- seed ----------------------------------------------------------------------------------


def seed(base: str, password: str, work: str) -> int:
    os.makedirs(os.path.join(work, "sessions"), exist_ok=True)
    sessions = {}
    # Every login the run needs happens now, before the fuzzer can lock the login route.
    for name in ("seed", "fuzz", "helper"):
        sessions[name] = Session.create(base, os.path.join(work, "sessions", f"{name}.json"), "admin", password)
    step_up(base, sessions)
    api = Client(base, sessions["seed"])
    v1 = "/v1"

    org = api.must("POST", f"{v1}/organizations", {"legalName": "Fuzz Holdings", "legalDocument": "00.000.000/0001-00",
                                                    "metadata": {"purpose": "fuzz"}})["id"]
    org_del = api.must("POST", f"{v1}/organizations", {"legalName": "Fuzz Deletable", "legalDocument": "1"})["id"]
    o = f"{v1}/organizations/{org}"
    ledger = api.must("POST", f"{o}/ledgers", {"name": "main"})["id"]
    ledger_del = api.must("POST", f"{o}/ledgers", {"name": "deletable"})["id"]
    lp = f"{o}/ledgers/{ledger}"
    brl = api.must("POST", f"{lp}/assets", {"name": "Real", "type": "currency", "code": "BRL"})["id"]
    usd = api.must("POST", f"{lp}/assets", {"name": "Dollar", "type": "currency", "code": "USD"})["id"]
    asset_del = api.must("POST", f"{lp}/assets", {"name": "Deletable", "type": "others", "code": "XDEL"})["id"]
    portfolio = api.must("POST", f"{lp}/portfolios", {"name": "fuzz portfolio", "entityId": "fuzz"})["id"]
    portfolio_del = api.must("POST", f"{lp}/portfolios", {"name": "deletable portfolio"})["id"]
    segment = api.must("POST", f"{lp}/segments", {"name": "fuzz segment"})["id"]
    segment_del = api.must("POST", f"{lp}/segments", {"name": "deletable segment"})["id"]

    def account(alias: str, asset: str, **extra) -> dict:
        return api.must("POST", f"{lp}/accounts", {"assetCode": asset, "type": "deposit", "alias": alias, **extra})

    alice = account("@alice", "BRL", portfolioId=portfolio, segmentId=segment, metadata={"tier": 1})
    bob = account("@bob", "BRL")
    carol = account("@carol", "USD")
    dave = account("@dave", "USD")
    victim = account("@victim", "BRL")          # deleteAccount aims here (zero balance)
    victim_balance = account("@victim2", "BRL")  # deleteBalance aims at its balance

    scales = seed_scales(api, lp)

    api.must("POST", f"{lp}/transactions/inflow", inflow("BRL", "1000000.00", "@alice"))
    api.must("POST", f"{lp}/transactions/inflow", inflow("USD", "1000000.00", "@carol"))
    tx = api.must("POST", f"{lp}/transactions/json", transfer("BRL", "10.00", "@alice", "@bob"))
    tx_revert = api.must("POST", f"{lp}/transactions/json", transfer("BRL", "5.00", "@alice", "@bob"))
    pending_commit = api.must("POST", f"{lp}/transactions/json", transfer("BRL", "1.00", "@alice", "@bob", True))
    pending_cancel = api.must("POST", f"{lp}/transactions/json", transfer("USD", "1.00", "@carol", "@dave", True))

    def balance_of(account_id: str) -> str:
        items = api.must("GET", f"{lp}/accounts/{account_id}/balances", status=200)["items"]
        return items[0]["id"]

    alice_balance = balance_of(alice["id"])
    victim2_balance = balance_of(victim_balance["id"])
    alice_op = next(op["id"] for op in tx["operations"] if op["accountAlias"] == "@alice")

    # Identity: the fuzzer changes and deletes these, never the administrator.
    def user(name: str) -> dict:
        return api.must("POST", f"{v1}/users", {"username": name, "password": "Initial-pw-" + uuid.uuid4().hex})

    victim_user = user("fuzz-victim")
    group = api.must("POST", f"{v1}/groups", {"name": "fuzz-readers", "permissions": ["organizations:read"]})
    client = api.must("POST", f"{v1}/clients", {"name": "fuzz-client", "groups": ["fuzz-readers"]})
    client_del = api.must("POST", f"{v1}/clients", {"name": "fuzz-client-deletable", "groups": []})

    # A user of its own for the routes that act on the caller (password change, TOTP
    # enrolment): first login answers a password_change token, so change it, log in again.
    self_initial = "Initial-pw-" + uuid.uuid4().hex
    self_password = "Current-pw-" + uuid.uuid4().hex
    api.must("POST", f"{v1}/users", {"username": "fuzz-self", "password": self_initial})
    first = raw_request(base, "POST", "/v1/auth/login", [("Content-Type", "application/json")],
                        json.dumps({"username": "fuzz-self", "password": self_initial}).encode())
    restricted = (first.json() or {}).get("access_token")
    if first.status != 200 or not restricted:
        raise SystemExit(f"fuzz_api: first login of fuzz-self failed: {first.describe()}")
    changed = raw_request(base, "POST", "/v1/auth/password",
                          [("Content-Type", "application/json"), ("Authorization", f"Bearer {restricted}")],
                          json.dumps({"current_password": self_initial, "new_password": self_password}).encode())
    if changed.status != 204:
        raise SystemExit(f"fuzz_api: fuzz-self's password change failed: {changed.describe()}")
    Session.create(base, os.path.join(work, "sessions", "self.json"), "fuzz-self", self_password)

    state = {
        "url": base,
        "organization_id": org, "ledger_id": ledger,
        "organization_del": org_del, "ledger_del": ledger_del,
        "asset_brl": brl, "asset_usd": usd, "asset_del": asset_del,
        "portfolio_id": portfolio, "portfolio_del": portfolio_del,
        "segment_id": segment, "segment_del": segment_del,
        "accounts": {a["alias"]: a["id"] for a in (alice, bob, carol, dave, victim, victim_balance)},
        "balance_id": alice_balance, "balance_del": victim2_balance,
        "transaction_id": tx["id"], "transaction_revert": tx_revert["id"],
        "transaction_commit": pending_commit["id"], "transaction_cancel": pending_cancel["id"],
        "operation_id": alice_op,
        "user_id": victim_user["id"], "group_id": group["id"],
        "client_id": client["client_id"], "client_del": client_del["client_id"],
        "scales": scales,
    }
    with open(os.path.join(work, "state.json"), "w") as f:
        json.dump(state, f, indent=2)
    with open(os.path.join(work, "schemathesis.toml"), "w") as f:
        f.write(schemathesis_config(state))
    print(json.dumps(state, indent=2))
    return 0


def step_up(base: str, sessions: dict) -> None:
    """The administration routes (users, groups, clients, keys, freezes) need a step-up:
    enrol the administrator's authenticator through the seed session, step up once, and
    make every session a stepped-up one holding that token (each renews with a fresh code).
    After this, the administrator's password alone no longer logs in."""
    plain = sessions["seed"].token()
    auth = [("Authorization", f"Bearer {plain}")]
    enrolment = raw_request(base, "POST", "/v1/auth/mfa/totp", auth)
    encoded = (enrolment.json() or {}).get("secret")
    if enrolment.status != 200 or not encoded:
        raise SystemExit(f"fuzz_api: TOTP enrolment failed: {enrolment.describe()}")
    secret = totp_secret(encoded)
    step = int(time.time()) // 30
    confirmed = raw_request(base, "POST", "/v1/auth/mfa/totp/confirm", auth + [("Content-Type", "application/json")],
                            json.dumps({"totp": totp_code(secret, step)}).encode())
    if confirmed.status != 204:
        raise SystemExit(f"fuzz_api: TOTP confirmation failed: {confirmed.describe()}")
    elevated, spent = elevate(base, plain, secret, spent_step=step)
    # The fuzzer locks 127.0.0.1's login throttle on purpose (20 failed logins); a session's
    # later step-ups come from another loopback address, which only they use.
    for session in sessions.values():
        session.step_up(encoded, elevated, spent, source="127.0.0.2")


def seed_scales(api: Client, lp: str) -> dict:
    """One asset per scale in SCALES (0, 2, 8, 18) with accounts a to f; `a` holds 1000
    major units (hostile.scale_cases says what each account is for). Answers, per
    scale (a string key, for JSON), the asset's code and id, and each account's alias, id
    and balance id."""
    scales = {}
    for scale in SCALES:
        asset = api.must("POST", f"{lp}/assets", {"name": f"Scale {scale}", "type": "others", "code": code(scale),
                                                   "scale": scale})
        if asset.get("scale") != scale:
            raise SystemExit(f"fuzz_api: asset {code(scale)} was created with scale {asset.get('scale')!r}, not {scale}")
        accounts = {}
        for name in ("a", "b", "c", "d", "e", "f"):
            created = api.must("POST", f"{lp}/accounts", {"assetCode": code(scale), "type": "deposit",
                                                           "alias": alias(scale, name)})
            balances = api.must("GET", f"{lp}/accounts/{created['id']}/balances", status=200)["items"]
            accounts[name] = {"alias": alias(scale, name), "id": created["id"], "balance_id": balances[0]["id"]}
        api.must("POST", f"{lp}/transactions/inflow", inflow(code(scale), "1000", alias(scale, "a")))
        scales[str(scale)] = {"code": code(scale), "asset_id": asset["id"], "accounts": accounts}
    return scales


def toml_string(value: str) -> str:
    return json.dumps(value)  # the ids and aliases here are plain ASCII: a JSON string is a TOML one


def schemathesis_config(s: dict) -> str:
    """The project config: the seeded ids, fixed, for every path parameter.

    Fixed values (not dictionaries drawn with some probability) because only fixed values
    reach schemathesis's coverage phase, which makes most of the cases; the price is that
    schemathesis never sends a made-up id, which the hostile corpus does (malformed ids,
    traversal, ids of nothing). Operations that delete or change something the others need
    aim at their own copies. In bodies, the transaction legs draw the seeded aliases,
    assets and small amounts from dictionaries (fuzzing phase), so that some transactions
    post. The dictionaries also hold the assets of scales 0, 2, 8 and 18, their accounts and
    amounts near 10^20 major units and Int128's limits at each scale (amounts.py),
    and shares of 1 to 100 percent: drawn among the other values, they spread the same number
    of examples over the scales instead of multiplying it by four.
    """
    out = ["# Written by scripts/srtest/fuzz_api.py seed for one run of scripts/fuzz-api.", ""]
    dictionaries = {
        "alias": ["@alice", "@bob", "@carol", "@dave"] + [alias(scale, n) for scale in SCALES for n in ("a", "b")],
        "code": ["BRL", "USD"] + [code(scale) for scale in SCALES],
        "amount": ["1.00", "0.01", "2.50", "10.00"] + dictionary_values(),
        "group_name": ["fuzz-readers"],
    }
    for name, values in dictionaries.items():
        out.append(f"[dictionaries.{name}]")
        out.append("values = [" + ", ".join(toml_string(v) for v in values) + "]")
        out.append("")
    out.append("[dictionaries.percent]")
    out.append("values = [1, 7, 33, 50, 67, 99, 100]")
    out.append("")

    def binding(dictionary: str, probability: float) -> str:
        return f'{{ dictionary = "{dictionary}", probability = {probability} }}'

    out.append("[parameters]")
    fixed = {
        "path.organization_id": s["organization_id"], "path.ledger_id": s["ledger_id"],
        "path.asset_id": s["asset_brl"], "path.portfolio_id": s["portfolio_id"],
        "path.segment_id": s["segment_id"], "path.account_id": s["accounts"]["@alice"],
        "path.alias": "@alice", "path.code": "BRL", "path.balance_id": s["balance_id"],
        "path.transaction_id": s["transaction_id"], "path.operation_id": s["operation_id"],
    }
    for key, value in fixed.items():
        out.append(f'"{key}" = {toml_string(value)}')
    for prefix in ("body.send", "body.transactions[*].send"):
        out.append(f'"{prefix}.asset" = {binding("code", 0.8)}')
        out.append(f'"{prefix}.value" = {binding("amount", 0.5)}')
        for side in ("source.from[*]", "distribute.to[*]"):
            out.append(f'"{prefix}.{side}.accountAlias" = {binding("alias", 0.8)}')
            out.append(f'"{prefix}.{side}.amount.asset" = {binding("code", 0.8)}')
            out.append(f'"{prefix}.{side}.amount.value" = {binding("amount", 0.5)}')
            for field in ("percentage", "percentageOfPercentage"):
                out.append(f'"{prefix}.{side}.share.{field}" = {binding("percent", 0.5)}')
    out.append(f'"body.overdraftLimit" = {binding("amount", 0.5)}')
    out.append(f'"body.assetCode" = {binding("code", 0.8)}')
    out.append(f'"body.groups[*]" = {binding("group_name", 0.5)}')
    out.append("")

    per_operation = [
        ("deleteOrganization", {"path.organization_id": s["organization_del"]}),
        ("deleteLedger", {"path.ledger_id": s["ledger_del"]}),
        ("deleteAsset", {"path.asset_id": s["asset_del"]}),
        ("deletePortfolio", {"path.portfolio_id": s["portfolio_del"]}),
        ("deleteSegment", {"path.segment_id": s["segment_del"]}),
        ("deleteAccount", {"path.account_id": s["accounts"]["@victim"]}),
        ("deleteBalance", {"path.balance_id": s["balance_del"]}),
        # Overdraft limits drawn near 10^20 meet the scale where 10^20 is closest to Int128.
        ("updateBalance", {"path.balance_id": s["scales"]["18"]["accounts"]["b"]["balance_id"]}),
        ("revertTransaction", {"path.transaction_id": s["transaction_revert"]}),
        ("commitTransaction", {"path.transaction_id": s["transaction_commit"]}),
        ("cancelTransaction", {"path.transaction_id": s["transaction_cancel"]}),
        ("getUser", {"path.id": s["user_id"]}), ("updateUser", {"path.id": s["user_id"]}),
        ("getGroup", {"path.id": s["group_id"]}), ("updateGroup", {"path.id": s["group_id"]}),
        ("getClient", {"path.id": s["client_id"]}), ("updateClient", {"path.id": s["client_id"]}),
        ("rotateClientSecret", {"path.id": s["client_id"]}), ("deleteClient", {"path.id": s["client_del"]}),
    ]
    for operation_id, parameters in per_operation:
        out.append("[[operations]]")
        out.append(f'include-operation-id = "{operation_id}"')
        out.append("parameters = { " + ", ".join(f'"{k}" = {toml_string(v)}' for k, v in parameters.items()) + " }")
        out.append("")
    return "\n".join(out)


# --- main ----------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    command, args = argv[1], argv[2:]
    if command == "seed" and len(args) == 3:
        return seed(*args)
    if command == "hostile" and args:
        return run_corpus(args[0], long="--long" in args[1:])
    if command == "check" and len(args) == 1:
        return run_check(args[0])
    if command == "summarize" and args:
        return summarize(args)
    print(__doc__, file=sys.stderr)
    return 2


def summarize(paths: list[str]) -> int:
    """Read schemathesis's ndjson reports: counts, check failures, fuzzer errors, and the
    negative cases whose only negative part was the body and that were accepted anyway.

    Each failure group is printed once with a reproduction (curl, with the token left out).
    The exit status is 1 when there is a check failure, a fuzzer error or an accepted
    negative body, else 0.
    """
    import base64
    import collections
    import shlex

    operations, tested = 0, set()
    requests, no_response = 0, 0
    statuses: collections.Counter = collections.Counter()
    failures: dict = {}
    errors: dict = {}
    accepted: dict = {}

    def curl(request: dict) -> str:
        parts = ["curl", "-sS", "-i", "-X", request["method"]]
        for name, values in request.get("headers", {}).items():
            for value in values:
                if name.lower() == "authorization":
                    value = "Bearer $TOKEN"
                parts += ["-H", f"{name}: {value}"]
        body = request.get("body")
        if body and "$base64" in body:
            data = base64.b64decode(body["$base64"])
            try:
                parts += ["--data-binary", data.decode("utf-8")]
            except UnicodeDecodeError:
                parts += ["--data-binary", f"<{len(data)} non-UTF-8 bytes>"]
        parts.append(request["uri"])
        return " ".join(shlex.quote(p) if not p.startswith("Bearer $TOKEN") else f'"Authorization: {p}"'
                        for p in parts).replace("'Authorization: \"Authorization: Bearer $TOKEN\"'", '"Authorization: Bearer $TOKEN"')

    def content(response: dict, limit: int | None = 400) -> str:
        body = response.get("content") or {}
        data = base64.b64decode(body["$base64"]) if "$base64" in body else b""
        return data[:limit].decode("utf-8", "replace")

    for path in paths:
        with open(path) as f:
            for line in f:
                event = json.loads(line)
                kind, data = next(iter(event.items()))
                if kind == "LoadingFinished":
                    operations += data["statistic"]["operations"]["selected"]
                elif kind in ("NonFatalError", "FatalError"):
                    info = data.get("info") or {}
                    key = (data.get("label", "?"), info.get("title") or info.get("message", "error")[:200])
                    errors.setdefault(key, info.get("message", "")[:600])
                elif kind == "ScenarioFinished":
                    recorder = data["recorder"]
                    label = recorder["label"]
                    if label.split(" ")[0] in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"):
                        tested.add(label)  # not the stateful phase's scenarios
                    if data.get("status") == "error":
                        errors.setdefault((label, "scenario error"), json.dumps(data.get("info") or "")[:600])
                    interactions = recorder.get("interactions", {})
                    for case_id, interaction in interactions.items():
                        response = interaction.get("response")
                        if response is None:
                            no_response += 1
                            continue
                        requests += 1
                        statuses[response["status_code"]] += 1
                    for case_id, checks in recorder.get("checks", {}).items():
                        for check in checks:
                            if check["status"] == "success":
                                continue
                            failure = (check.get("failure_info") or {}).get("failure") or {}
                            interaction = interactions.get(case_id) or {}
                            if check["name"] in _FRAMING_REFUSAL_CHECKS and _is_framing_refusal(interaction):
                                continue
                            response = interaction.get("response") or {}
                            key = (check["name"], label, failure.get("title", check["status"]))
                            group = failures.setdefault(key, {"count": 0, "message": failure.get("message", ""),
                                                              "curl": curl(interaction["request"]) if interaction else "",
                                                              "status": response.get("status_code"),
                                                              "body": content(response) if response else ""})
                            group["count"] += 1
                    for case_id, node in recorder.get("cases", {}).items():
                        meta = node["value"].get("meta") or {}
                        components = meta.get("components") or {}
                        modes = {k: v.get("mode") for k, v in components.items()}
                        if modes.get("body") != "negative" or any(m == "negative" for k, m in modes.items() if k != "body"):
                            continue
                        interaction = interactions.get(case_id) or {}
                        response = interaction.get("response") or {}
                        if not 200 <= (response.get("status_code") or 0) < 300:
                            continue
                        if _is_form(interaction.get("request") or {}):
                            # A form's values are all text, so a "wrong type" cannot be sent,
                            # and RFC 6749 (token and revocation endpoints) makes the server
                            # ignore parameters it does not know: what schemathesis generates
                            # as a negative form body reaches the server as a legal form.
                            continue
                        answer = _json_or_none(content(response, limit=None))
                        if label.endswith("/transactions/batch") and isinstance(answer, dict) \
                                and not any(item.get("status") == 201 for item in answer.get("items") or []):
                            continue  # every item was refused, each with its own 4xx: the batch refused it
                        phase = (meta.get("phase") or {}).get("data") or {}
                        nulls = _null_paths(node["value"].get("body"))
                        what = "null for a field that is not nullable" if nulls else \
                            (phase.get("description") or "negative body")
                        group = accepted.setdefault((label, what), {"count": 0, "curl": curl(interaction["request"]),
                                                                    "status": response["status_code"],
                                                                    "body": content(response), "fields": set()})
                        group["count"] += 1
                        group["fields"].update(nulls)

    print(f"schemathesis: {operations} operations selected, {len(tested)} tested, {requests} requests answered"
          + (f", {no_response} without an answer" if no_response else ""))
    print("schemathesis: statuses " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
    server_errors = sum(v for k, v in statuses.items() if k >= 500)
    for (check, label, title), group in sorted(failures.items()):
        print(f"FAILURE {check}: {label}: {title} ({group['count']}x)")
        if group["message"]:
            print("    " + group["message"].replace("\n", "\n    "))
        print(f"    answered {group['status']}: {group['body'][:300]}")
        print(f"    reproduce: {group['curl'][:2000]}")
    for (label, what), group in sorted(accepted.items()):
        fields = f" ({', '.join(sorted(group['fields']))})" if group["fields"] else ""
        print(f"FAILURE negative body accepted: {label}: {what}{fields} ({group['count']}x)")
        print(f"    answered {group['status']}: {group['body'][:200]}")
        print(f"    reproduce: {group['curl'][:2000]}")
    for (label, title), message in sorted(errors.items()):
        print(f"ERROR (the fuzzer could not test it): {label}: {title}\n    {message}")
    print(f"ST_OPERATIONS={len(tested)}")
    print(f"ST_REQUESTS={requests}")
    print(f"ST_SERVER_ERRORS={server_errors}")
    print(f"ST_FAILURE_GROUPS={len(failures) + len(accepted) + len(errors)}")
    return 1 if failures or accepted or errors or server_errors else 0


# What NIO's framing refusal fails: on an operation that documents no 400 its status; on one
# that does (a problem+json 400 with X-Request-Id), its missing content type, headers and
# body. Seed 2676876298 met the second on POST /v1/auth/password.
_FRAMING_REFUSAL_CHECKS = ("status_code_conformance", "content_type_conformance", "response_headers_conformance",
                           "response_schema_conformance")


def _is_framing_refusal(interaction: dict) -> bool:
    """NIO's own answer to a request whose framing it cannot parse (a Transfer-Encoding other
    than chunked, a Content-Length that is not a number), before any route or middleware
    exists to answer it: an empty 400 that closes the connection. No operation documents it,
    as none could answer otherwise; the hostile corpus accepts the same signature for its
    broken-framing inputs."""
    request = interaction.get("request") or {}
    response = interaction.get("response") or {}
    headers = request.get("headers") or {}
    encodings = [v.strip().lower() for name, values in headers.items() if name.lower() == "transfer-encoding" for v in values]
    lengths = [v.strip() for name, values in headers.items() if name.lower() == "content-length" for v in values]
    broken = any(e not in ("chunked", "identity") for e in encodings) or any(not v.isdigit() for v in lengths)
    if not broken:
        return False
    closes = any(name.lower() == "connection" and "close" in (v.lower() for v in values)
                 for name, values in (response.get("headers") or {}).items())
    body = (response.get("content") or {}).get("$base64", "")
    return response.get("status_code") == 400 and closes and not body


def _is_form(request: dict) -> bool:
    """Whether a recorded request's body was form-encoded."""
    return any(name.lower() == "content-type" and any(v.lower().startswith("application/x-www-form-urlencoded") for v in values)
               for name, values in (request.get("headers") or {}).items())


def _json_or_none(text: str):
    try:
        return json.loads(text)
    except ValueError:
        return None


def _null_paths(value, path: str = "") -> list[str]:
    """The paths of the JSON nulls in `value` (`status.description`, `transactions[0].description`)."""
    if value is None:
        return [path or "(body)"]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _null_paths(v, f"{path}.{k}" if path else str(k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _null_paths(v, f"{path}[{i}]")]
    return []


if __name__ == "__main__":
    sys.exit(main(sys.argv))
