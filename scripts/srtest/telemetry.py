"""scripts/srtest/telemetry.py: the checks of scripts/telemetry-test (issue #31's "done
when"), run as `python -m srtest.telemetry CHECK --work DIR` with scripts/ on PYTHONPATH
and the `opentelemetry-proto` package installed (scripts/telemetry-test sees to both).

Each check is one run against one fresh `strongroom serve`, which the shell script starts:
this process chooses the OTLP endpoint (a receiver of its own, or a closed port) and
writes it to DIR/endpoint; the script starts the server pointed at it and writes the
server's URL and log file to DIR/server (JSON); this process then seeds a ledger, drives the
server over HTTP and prints one PASS/FAIL line per property. So the shell owns the server
(and stops it also on failure) and this process owns the receiver.

  traced   spans and metrics arrive: the request span continues the caller's traceparent
           with the route template as http.route; authenticate, idempotency.check and
           group_commit.wait in its trace; a group_commit.flush span linked to it, with
           statement spans under it; no secret, alias, amount or key in any attribute; the
           request's log line carries the trace id; the route's duration histogram arrives.
  off      without --otlp-endpoint nothing is exported, even with OTEL_EXPORTER_OTLP_ENDPOINT
           set, and the log line still carries the caller's trace id.
  down     the receiver is down: 200 requests answer as usual and
           strongroom_telemetry_spans_dropped_total rises above 0.

Password of the bootstrap administrator `admin`: $SR_TELEMETRY_PASSWORD.
Exit status: 0 when every property held, 1 when one failed, 2 when the check could not run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import socket
import sys
import time
import uuid

from srtest.client import Answer, Client, Session, inflow, transfer
from srtest.otlp_receiver import Receiver, Span
from srtest.verdicts import Verdicts

HANDSHAKE_SECONDS = 120      # how long to wait for the script to start the server
TRACE_WAIT_SECONDS = 20      # from the transfer's answer to the last span and data point
SILENCE_SECONDS = 3          # "off": how long nothing may arrive
DOWN_REQUESTS = 200          # "down": requests sent while the receiver is down
DOWN_SLOW_SECONDS = 5.0      # "down": no request may take this long (an exporter blocking it)
DROPPED_WAIT_SECONDS = 15    # "down": how long the dropped-spans counter may take to rise
DROPPED_METRIC = "strongroom_telemetry_spans_dropped_total"
REQUEST_DURATION = "http.server.request.duration"
DB_SYSTEMS = {"sqlite": "sqlite", "postgres": "postgresql"}


def say(message: str) -> None:
    print(f"telemetry: {message}", file=sys.stderr, flush=True)


class CannotRun(Exception):
    """The check could not be carried out (exit 2), as opposed to a property that failed."""


# --- The handshake with scripts/telemetry-test ---------------------------------------------


def write_atomically(path: str, text: str) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def await_server(work: str) -> dict:
    """Waits for the script to write DIR/server: {"url": ..., "log": ...}."""
    path = os.path.join(work, "server")
    deadline = time.monotonic() + HANDSHAKE_SECONDS
    while time.monotonic() < deadline:
        if os.path.exists(path):
            with open(path) as f:
                return json.load(f)
        time.sleep(0.1)
    raise CannotRun(f"no server within {HANDSHAKE_SECONDS} s ({path} never appeared)")


def closed_port() -> int:
    """A loopback port nothing listens on: bound, read, and released again."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- A ledger to move money in -------------------------------------------------------------


class Ledger:
    """An organization, a ledger, a USD asset and two accounts with aliases of this run's
    own (so that a leak of them is unmistakable), the payer funded."""

    def __init__(self, base: str, work: str):
        password = os.environ.get("SR_TELEMETRY_PASSWORD")
        if not password:
            raise CannotRun("SR_TELEMETRY_PASSWORD is not set")
        self.password = password
        self.session = Session.create(base, os.path.join(work, "session.json"), "admin", password)
        self.api = Client(base, self.session)
        tag = secrets.token_hex(4)
        self.payer = f"@tel-payer-{tag}"
        self.payee = f"@tel-payee-{tag}"
        self.organization = self.api.must("POST", "/v1/organizations",
                                          {"legalName": "Telemetry Test", "legalDocument": "1"})["id"]
        self.ledger = self.api.must("POST", f"/v1/organizations/{self.organization}/ledgers", {"name": "traced"})["id"]
        self.path = f"/v1/organizations/{self.organization}/ledgers/{self.ledger}"
        self.api.must("POST", f"{self.path}/assets", {"name": "US Dollar", "type": "currency", "code": "USD"})
        self.payer_id = self.api.must("POST", f"{self.path}/accounts",
                                      {"assetCode": "USD", "type": "deposit", "alias": self.payer})["id"]
        self.api.must("POST", f"{self.path}/accounts", {"assetCode": "USD", "type": "deposit", "alias": self.payee})
        self.api.must("POST", f"{self.path}/transactions/inflow", inflow("USD", "1000000.00", self.payer))

    def transfer(self, value: str, headers: list) -> Answer:
        return self.api.call("POST", f"{self.path}/transactions/json", transfer("USD", value, self.payer, self.payee),
                             headers=headers)

    def balances(self) -> Answer:
        return self.api.call("GET", f"{self.path}/accounts/{self.payer_id}/balances")


def new_traceparent() -> tuple[str, str, str]:
    """(header value, trace id, parent span id): a fresh, sampled W3C traceparent."""
    trace_id, span_id = secrets.token_hex(16), secrets.token_hex(8)
    return f"00-{trace_id}-{span_id}-01", trace_id, span_id


def log_line(log_path: str, request_id: str, timeout: float = 5.0) -> dict | None:
    """The server's debug `request` line for `request_id` (its JSON), waiting up to `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        with open(log_path, errors="replace") as f:
            for line in f:
                if request_id not in line:
                    continue
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if entry.get("message") == "request" and entry.get("request_id") == request_id:
                    return entry
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.2)


def check_log_line(verdicts: Verdicts, log_path: str, answer: Answer, trace_id: str) -> None:
    request_id = answer.header("x-request-id")
    entry = log_line(log_path, request_id) if request_id else None
    if entry is None:
        verdicts.add("log line", False, f"no debug 'request' line with request_id {request_id or '(no X-Request-Id)'} "
                                        f"in {log_path}")
    else:
        verdicts.add("log line", entry.get("trace_id") == trace_id,
                     f"request_id {request_id}: trace_id {entry.get('trace_id')} (sent {trace_id}), "
                     f"span_id {entry.get('span_id')}, {entry.get('method')} {entry.get('path')} {entry.get('status')}")


# --- Looking at spans ----------------------------------------------------------------------


def is_route_template(route, ledger: Ledger) -> bool:
    """The route a transfer matched, as registered: no concrete id in it."""
    return (isinstance(route, str) and route.startswith("/v1/organizations/") and route.endswith("/transactions/json")
            and ledger.organization not in route and ledger.ledger not in route)


def descends_from(span: Span, ancestor: Span, by_id: dict) -> bool:
    """Whether `ancestor` is on `span`'s parent chain (through spans of the same trace)."""
    current, hops = span, 0
    while current.parent_span_id and hops < 64:
        if current.parent_span_id == ancestor.span_id:
            return True
        current = by_id.get(current.parent_span_id)
        if current is None:
            return False
        hops += 1
    return False


def values_of(value):
    """Every scalar inside an attribute value (lists and maps opened up), as text."""
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from values_of(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from values_of(item)
    elif value is not None:
        yield str(value)


def leaks(spans: list[Span], needles: dict) -> list[str]:
    """Where any needle (name -> text) appears in a span's name, attributes, links' and
    events' attributes, status message or resource: "needle in span 'x' attribute 'k'"."""
    found = []
    for span in spans:
        places = [("name", span.name), ("status message", span.status[1])]
        places += [(f"attribute {k!r}", v) for k, v in span.attributes.items()]
        places += [(f"link attribute {k!r}", v) for attributes in span.link_attributes for k, v in attributes.items()]
        places += [(f"event {name!r} attribute {k!r}", v) for name, attributes in span.events for k, v in attributes.items()]
        places += [(f"resource attribute {k!r}", v) for k, v in span.resource.items()]
        for place, value in places:
            for text in values_of(value):
                for what, needle in needles.items():
                    if needle and needle in text:
                        found.append(f"{what} in span {span.name!r} {place}")
    return found


# --- Check 1: traced -------------------------------------------------------------------------


def check_traced(verdicts: Verdicts, work: str, backend: str) -> None:
    receiver = Receiver().start()
    try:
        write_atomically(os.path.join(work, "endpoint"), receiver.url)
        say(f"receiver on {receiver.url}")
        server = await_server(work)
        ledger = Ledger(server["url"], work)

        header, trace_id, parent_id = new_traceparent()
        key = f"telemetry-{uuid.uuid4()}"
        amount = "73914.37"
        answer = ledger.transfer(amount, [("traceparent", header), ("Idempotency-Key", key)])
        deadline = time.monotonic() + TRACE_WAIT_SECONDS
        if answer.status != 201:
            verdicts.add("transfer", False, f"answered {answer.describe()}, not 201")
            return
        verdicts.add("transfer", True, f"201 with traceparent {header}, X-Request-Id {answer.header('x-request-id')}")

        def remaining() -> float:
            return max(0.0, deadline - time.monotonic())

        def in_trace() -> str:
            names = sorted({s.name for s in receiver.spans() if s.trace_id == trace_id})
            return f"spans of trace {trace_id} received: {names or 'none'} ({len(receiver.spans())} spans in all)"

        request_span = receiver.wait_for_span(
            lambda s: s.trace_id == trace_id and s.kind == "server" and s.parent_span_id == parent_id, remaining())
        if request_span is None:
            verdicts.add("request span", False, f"no SERVER span with trace {trace_id} and parent {parent_id} "
                                                f"within {TRACE_WAIT_SECONDS} s; {in_trace()}")
        else:
            a = request_span.attributes
            problems = []
            if a.get("http.request.method") != "POST":
                problems.append(f"http.request.method {a.get('http.request.method')!r}")
            if not is_route_template(a.get("http.route"), ledger):
                problems.append(f"http.route {a.get('http.route')!r} is not the route template")
            if str(a.get("http.response.status_code")) != "201":
                problems.append(f"http.response.status_code {a.get('http.response.status_code')!r}")
            if a.get("strongroom.principal.kind") != "user":
                problems.append(f"strongroom.principal.kind {a.get('strongroom.principal.kind')!r}, not 'user'")
            verdicts.add("request span", not problems,
                         "; ".join(problems) if problems else
                         f"{request_span.name!r} continues the caller's trace; http.route {a.get('http.route')!r}")

        children = {}
        for name in ("authenticate", "idempotency.check", "group_commit.wait"):
            children[name] = receiver.wait_for_span(lambda s, n=name: s.trace_id == trace_id and s.name == n, remaining())
        if request_span is not None:
            by_id = {s.span_id: s for s in receiver.spans() if s.trace_id == trace_id}
            outside = [n for n, s in children.items() if s is not None and not descends_from(s, request_span, by_id)]
        else:
            outside = []
        missing = [n for n, s in children.items() if s is None]
        verdicts.add("request's children", not missing and not outside and request_span is not None,
                     (f"missing {missing}; " if missing else "") +
                     (f"not under the request span: {outside}; " if outside else "") +
                     (in_trace() if missing or outside or request_span is None else
                      "authenticate, idempotency.check and group_commit.wait under the request span"))

        flush = receiver.wait_for_span(
            lambda s: s.name == "group_commit.flush" and any(t == trace_id for t, _ in s.links), remaining())
        wait_span = children["group_commit.wait"]
        if flush is None:
            flushes = [s for s in receiver.spans() if s.name == "group_commit.flush"]
            verdicts.add("flush span", False, f"no group_commit.flush span linked to trace {trace_id} within "
                                              f"{TRACE_WAIT_SECONDS} s ({len(flushes)} flush spans received, "
                                              f"links: {[list(s.links) for s in flushes][:5]})")
        else:
            linked = [span_id for t, span_id in flush.links if t == trace_id]
            problems = []
            if flush.kind != "internal":
                problems.append(f"kind {flush.kind}, not internal")
            if wait_span is not None and wait_span.span_id not in linked:
                problems.append(f"links span {linked} of the trace, not group_commit.wait's {wait_span.span_id}")
            if wait_span is None:
                problems.append("no group_commit.wait span to compare the link with")
            verdicts.add("flush span", not problems,
                         "; ".join(problems) if problems else
                         f"flush {flush.span_id} (trace {flush.trace_id}) links group_commit.wait {linked[0]}")

        if flush is not None:
            statements = receiver.wait_until(
                lambda r: [s for s in r.spans() if s.parent_span_id == flush.span_id and s.trace_id == flush.trace_id],
                remaining()) or []
            wanted = DB_SYSTEMS[backend]
            bad = [f"{s.name!r}: db.system.name {s.attributes.get('db.system.name')!r}, "
                   f"db.query.text {s.attributes.get('db.query.text')!r}"
                   for s in statements
                   if s.attributes.get("db.system.name") != wanted
                   or not isinstance(s.attributes.get("db.query.text"), str) or not s.attributes.get("db.query.text")]
            placeholders = [s for s in statements if re.search(r"\?|\$[0-9]", str(s.attributes.get("db.query.text")))]
            verdicts.add("statement spans", bool(statements) and not bad,
                         (f"no span under the flush span {flush.span_id} within {TRACE_WAIT_SECONDS} s" if not statements
                          else "; ".join(bad[:5]) if bad else
                          f"{len(statements)} under the flush, db.system.name {wanted!r}, "
                          f"{len(placeholders)} with placeholders, e.g. "
                          f"{str((placeholders or statements)[0].attributes.get('db.query.text'))[:120]!r}"))
        else:
            verdicts.add("statement spans", False, "no flush span to look under")

        request_route = request_span.attributes.get("http.route") if request_span is not None else None
        point = receiver.wait_for_point(
            lambda p: p.metric == REQUEST_DURATION and p.kind == "histogram"
            and is_route_template(p.attributes.get("http.route"), ledger)
            and p.attributes.get("http.request.method") == "POST", remaining())
        if point is None:
            names = sorted({p.metric for p in receiver.data_points()})
            routes = sorted({str(p.attributes.get("http.route")) for p in receiver.data_points()
                             if p.metric == REQUEST_DURATION})
            verdicts.add("duration histogram", False,
                         f"no {REQUEST_DURATION} histogram point for POST on the transfer route within "
                         f"{TRACE_WAIT_SECONDS} s; metrics received: {names or 'none'}; its routes: {routes or 'none'}")
        else:
            same = request_route is None or point.attributes.get("http.route") == request_route
            verdicts.add("duration histogram", same,
                         f"{REQUEST_DURATION} POST {point.attributes.get('http.route')!r}: count {point.count}, "
                         f"sum {point.sum}" + ("" if same else f"; the request span says {request_route!r}"))

        check_log_line(verdicts, server["log"], answer, trace_id)

        # Last, once everything above has arrived: nothing secret anywhere, in any span.
        needles = {"the payer's alias": ledger.payer[1:], "the payee's alias": ledger.payee[1:],
                   "the amount": amount, "the amount in minor units": amount.replace(".", ""),
                   "the idempotency key": key, "the access token": ledger.session.access_token,
                   "the refresh token": ledger.session.refresh_token, "the password": ledger.password}
        spans = receiver.spans()
        found = leaks(spans, needles)
        verdicts.add("no leakage", not found,
                     "; ".join(sorted(set(found))[:10]) if found else
                     f"none of {len(needles)} secrets and values in any of {len(spans)} spans")
        verdicts.note("received", f"{len(spans)} spans, {len(receiver.data_points())} data points in "
                                  f"{len(receiver.requests())} exports")
    finally:
        receiver.stop()


# --- Check 2: off ----------------------------------------------------------------------------


def check_off(verdicts: Verdicts, work: str, backend: str) -> None:
    receiver = Receiver().start()
    try:
        # The script gives this URL to the server as OTEL_EXPORTER_OTLP_ENDPOINT only.
        write_atomically(os.path.join(work, "endpoint"), receiver.url)
        say(f"receiver on {receiver.url} (given to the server as OTEL_EXPORTER_OTLP_ENDPOINT only)")
        server = await_server(work)
        ledger = Ledger(server["url"], work)
        header, trace_id, _ = new_traceparent()
        answer = ledger.transfer("12.34", [("traceparent", header), ("Idempotency-Key", f"telemetry-{uuid.uuid4()}")])
        verdicts.add("transfer", answer.status == 201, f"answered {answer.describe(120)}")
        check_log_line(verdicts, server["log"], answer, trace_id)
        time.sleep(SILENCE_SECONDS)
        arrived = receiver.requests()
        verdicts.add("nothing exported", not arrived,
                     f"{len(arrived)} exports arrived: {arrived[:5]}" if arrived else
                     f"no export reached the receiver within {SILENCE_SECONDS} s")
    finally:
        receiver.stop()


# --- Check 3: down ---------------------------------------------------------------------------


def dropped_spans(ledger: Ledger) -> tuple[float | None, str]:
    """The sum of DROPPED_METRIC's samples in GET /metrics (None when absent), and what
    went wrong if anything."""
    answer = ledger.api.call("GET", "/metrics")
    if answer.status != 200:
        return None, f"GET /metrics answered {answer.describe(120)}"
    total, seen = 0.0, False
    pattern = re.compile(r"^" + re.escape(DROPPED_METRIC) + r"(\{[^}]*\})?\s+(\S+)")
    for line in answer.body.decode("utf-8", "replace").splitlines():
        match = pattern.match(line)
        if match:
            try:
                total += float(match.group(2))
                seen = True
            except ValueError:
                return None, f"unreadable sample: {line!r}"
    return (total if seen else None), ("" if seen else f"no {DROPPED_METRIC} in /metrics")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def check_down(verdicts: Verdicts, work: str, backend: str) -> None:
    endpoint = f"http://127.0.0.1:{closed_port()}"
    write_atomically(os.path.join(work, "endpoint"), endpoint)
    say(f"OTLP endpoint {endpoint}: nothing listens there")
    server = await_server(work)
    ledger = Ledger(server["url"], work)
    before, problem = dropped_spans(ledger)
    verdicts.note("dropped spans before", f"{before}" if before is not None else problem)

    # Every tenth a transfer (the group commit's spans too), the rest balance reads.
    answers, unexpected = [], []
    for i in range(DOWN_REQUESTS):
        if i % 10 == 0:
            answer, want = ledger.transfer("0.01", [("Idempotency-Key", f"telemetry-down-{uuid.uuid4()}")]), 201
        else:
            answer, want = ledger.balances(), 200
        answers.append(answer)
        if answer.status != want:
            unexpected.append(f"#{i}: {answer.describe(120)} (wanted {want})")
    took = [a.elapsed for a in answers]
    slow = [t for t in took if t >= DOWN_SLOW_SECONDS]
    verdicts.add("requests answered", not unexpected,
                 f"{len(unexpected)} of {DOWN_REQUESTS} unexpected: {unexpected[:3]}" if unexpected else
                 f"{DOWN_REQUESTS} requests ({DOWN_REQUESTS // 10} transfers 201, the rest balances 200)")
    verdicts.add("latency", not slow,
                 f"p50 {percentile(took, 0.5) * 1000:.1f} ms, p99 {percentile(took, 0.99) * 1000:.1f} ms, "
                 f"max {max(took) * 1000:.1f} ms" + (f"; {len(slow)} took {DOWN_SLOW_SECONDS} s or more" if slow else ""))

    waited = time.monotonic()
    deadline = waited + DROPPED_WAIT_SECONDS
    while True:
        value, problem = dropped_spans(ledger)
        if (value is not None and value > 0) or time.monotonic() >= deadline:
            break
        time.sleep(0.5)
    waited = time.monotonic() - waited
    verdicts.add("dropped spans counted", value is not None and value > 0,
                 f"{DROPPED_METRIC} {value} (was {before}) {waited:.1f} s after the last request"
                 if value is not None else problem)


# --- Command line ------------------------------------------------------------------------------

CHECKS = {"traced": check_traced, "off": check_off, "down": check_down}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="One check of scripts/telemetry-test.")
    parser.add_argument("check", choices=sorted(CHECKS))
    parser.add_argument("--work", required=True, help="the directory shared with scripts/telemetry-test")
    parser.add_argument("--backend", choices=sorted(DB_SYSTEMS), default="sqlite")
    args = parser.parse_args(argv)
    verdicts = Verdicts()
    try:
        CHECKS[args.check](verdicts, args.work, args.backend)
    except CannotRun as error:
        say(f"{args.check}: could not run: {error}")
        return 2
    except SystemExit as error:  # Client.must and Session.create stop this way when refused
        verdicts.add("setup", False, str(error))
    except Exception as error:  # a session that cannot renew, a log that cannot be read, ...
        verdicts.add("ran", False, f"{type(error).__name__}: {error}")
    if not verdicts.rows:
        verdicts.add("ran", False, "no property was checked")
    return 0 if verdicts.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
