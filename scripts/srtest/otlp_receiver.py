"""scripts/srtest/otlp_receiver.py: a small OTLP/HTTP receiver for scripts/telemetry-test.
Imports nothing of srtest; needs the `opentelemetry-proto` package (and the `protobuf` it
pins), which scripts/telemetry-test installs through scripts/lib/python.sh.

An HTTP server on loopback, in a thread, that takes what an OpenTelemetry exporter sends
over OTLP/HTTP in protobuf (`POST /v1/traces`, `/v1/metrics`, `/v1/logs`, gzip-compressed
or not), answers 200 with the empty Export*ServiceResponse, and keeps what it decoded as
plain Python values: spans, metric data points and log records. The suite asks for them
through accessors that wait, with a timeout, until something matching arrives:

    with Receiver() as receiver:                  # port 0: an ephemeral port
        start_the_server(otlp_endpoint=receiver.url)
        span = receiver.wait_for_span(lambda s: s.name == "authenticate", timeout=20)

For a look by hand, `python -m srtest.otlp_receiver --port 4318` prints each span, data
point and log record as it arrives, until interrupted.
"""

from __future__ import annotations

import argparse
import dataclasses
import http.server
import sys
import threading
import time
import types
import zlib
from typing import Any, Callable, Optional, TypeVar

from opentelemetry.proto.collector.logs.v1 import logs_service_pb2
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2
from opentelemetry.proto.trace.v1 import trace_pb2

PROTOBUF = "application/x-protobuf"
# An exporter batches: a few MiB is generous. The same bound applies after gunzip, so a
# small compressed body cannot make the receiver hold an unbounded one.
MAX_BODY_BYTES = 16 * 1024 * 1024

T = TypeVar("T")

# --- What the receiver keeps --------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Span:
    trace_id: str                 # 32 lowercase hex digits
    span_id: str                  # 16 lowercase hex digits
    parent_span_id: str           # "" for a root span
    name: str
    kind: str                     # "server", "internal", "client", "producer", "consumer", "unspecified"
    attributes: types.MappingProxyType
    links: tuple                  # (trace_id hex, span_id hex) per link
    link_attributes: tuple        # the attributes of each link, in the same order
    events: tuple                 # (name, attributes) per event
    status: tuple                 # ("unset" | "ok" | "error", message)
    resource: types.MappingProxyType
    scope: str                    # the instrumentation scope's name
    start_unix_nano: int
    end_unix_nano: int

    def describe(self) -> str:
        parent = self.parent_span_id or "-"
        return (f"span {self.name!r} kind={self.kind} trace={self.trace_id} span={self.span_id} parent={parent} "
                f"attributes={dict(self.attributes)} links={list(self.links)} status={self.status[0]}")


@dataclasses.dataclass(frozen=True)
class DataPoint:
    metric: str
    kind: str                     # "sum", "gauge", "histogram", "exponential_histogram", "summary"
    attributes: types.MappingProxyType
    value: Optional[float]        # sum and gauge points (an int stays an int)
    count: Optional[int]          # histogram-like points
    sum: Optional[float]          # histogram-like points, when the exporter sent it
    resource: types.MappingProxyType
    time_unix_nano: int

    def describe(self) -> str:
        if self.value is not None:
            what = f"value={self.value}"
        else:
            what = f"count={self.count} sum={self.sum}"
        return f"metric {self.metric!r} {self.kind} attributes={dict(self.attributes)} {what}"


@dataclasses.dataclass(frozen=True)
class LogRecord:
    body: Any
    severity: str
    attributes: types.MappingProxyType
    trace_id: str
    span_id: str
    resource: types.MappingProxyType

    def describe(self) -> str:
        return f"log {self.severity} {self.body!r} attributes={dict(self.attributes)} trace={self.trace_id or '-'}"


# --- Decoding -----------------------------------------------------------------------------


def _hex(raw: bytes) -> str:
    return raw.hex() if any(raw) else ""


def _value(any_value) -> Any:
    """An OTLP AnyValue as a plain Python value."""
    which = any_value.WhichOneof("value")
    if which is None:
        return None
    if which == "array_value":
        return [_value(v) for v in any_value.array_value.values]
    if which == "kvlist_value":
        return {kv.key: _value(kv.value) for kv in any_value.kvlist_value.values}
    return getattr(any_value, which)


def _attributes(key_values) -> types.MappingProxyType:
    return types.MappingProxyType({kv.key: _value(kv.value) for kv in key_values})


_SPAN_KINDS = {value: name.removeprefix("SPAN_KIND_").lower() for name, value in trace_pb2.Span.SpanKind.items()}
_STATUS_CODES = {value: name.removeprefix("STATUS_CODE_").lower() for name, value in trace_pb2.Status.StatusCode.items()}


def decode_traces(body: bytes) -> list[Span]:
    request = trace_service_pb2.ExportTraceServiceRequest()
    request.ParseFromString(body)
    spans = []
    for resource_spans in request.resource_spans:
        resource = _attributes(resource_spans.resource.attributes)
        for scope_spans in resource_spans.scope_spans:
            for s in scope_spans.spans:
                spans.append(Span(
                    trace_id=_hex(s.trace_id), span_id=_hex(s.span_id), parent_span_id=_hex(s.parent_span_id),
                    name=s.name, kind=_SPAN_KINDS.get(s.kind, str(s.kind)),
                    attributes=_attributes(s.attributes),
                    links=tuple((_hex(link.trace_id), _hex(link.span_id)) for link in s.links),
                    link_attributes=tuple(_attributes(link.attributes) for link in s.links),
                    events=tuple((event.name, _attributes(event.attributes)) for event in s.events),
                    status=(_STATUS_CODES.get(s.status.code, str(s.status.code)), s.status.message),
                    resource=resource, scope=scope_spans.scope.name,
                    start_unix_nano=s.start_time_unix_nano, end_unix_nano=s.end_time_unix_nano,
                ))
    return spans


def _number(point) -> Optional[float]:
    which = point.WhichOneof("value")
    return getattr(point, which) if which else None


def decode_metrics(body: bytes) -> list[DataPoint]:
    request = metrics_service_pb2.ExportMetricsServiceRequest()
    request.ParseFromString(body)
    points = []
    for resource_metrics in request.resource_metrics:
        resource = _attributes(resource_metrics.resource.attributes)
        for scope_metrics in resource_metrics.scope_metrics:
            for metric in scope_metrics.metrics:
                kind = metric.WhichOneof("data")
                if kind is None:
                    continue
                for p in getattr(metric, kind).data_points:
                    numeric = kind in ("sum", "gauge")
                    points.append(DataPoint(
                        metric=metric.name, kind=kind, attributes=_attributes(p.attributes),
                        value=_number(p) if numeric else None,
                        count=None if numeric else p.count,
                        sum=None if numeric or (kind != "summary" and not p.HasField("sum")) else p.sum,
                        resource=resource, time_unix_nano=p.time_unix_nano,
                    ))
    return points


def decode_logs(body: bytes) -> list[LogRecord]:
    request = logs_service_pb2.ExportLogsServiceRequest()
    request.ParseFromString(body)
    records = []
    for resource_logs in request.resource_logs:
        resource = _attributes(resource_logs.resource.attributes)
        for scope_logs in resource_logs.scope_logs:
            for r in scope_logs.log_records:
                records.append(LogRecord(
                    body=_value(r.body), severity=r.severity_text or str(r.severity_number),
                    attributes=_attributes(r.attributes), trace_id=_hex(r.trace_id), span_id=_hex(r.span_id),
                    resource=resource,
                ))
    return records


class RefusedBody(Exception):
    """A request the receiver answers with a 4xx (status, reason)."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _gunzip(body: bytes) -> bytes:
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, MAX_BODY_BYTES + 1)
    except zlib.error as error:
        raise RefusedBody(400, f"not gzip: {error}") from None
    if len(out) > MAX_BODY_BYTES:
        raise RefusedBody(413, f"more than {MAX_BODY_BYTES} bytes once decompressed")
    if not inflater.eof:
        raise RefusedBody(400, "truncated gzip stream")
    return out


# --- The receiver -------------------------------------------------------------------------

# path -> (decoder, the empty answer's serialized bytes, the name of the kept list)
_SIGNALS = {
    "/v1/traces": (decode_traces, trace_service_pb2.ExportTraceServiceResponse().SerializeToString(), "spans"),
    "/v1/metrics": (decode_metrics, metrics_service_pb2.ExportMetricsServiceResponse().SerializeToString(), "points"),
    "/v1/logs": (decode_logs, logs_service_pb2.ExportLogsServiceResponse().SerializeToString(), "logs"),
}


class Receiver:
    """The OTLP/HTTP receiver. Start it (or use it as a context manager), point an exporter
    at `url`, then read what arrived. Every accessor is safe from any thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0,
                 on_receive: Optional[Callable[[str, list], None]] = None):
        self._host = host
        self._port = port
        self._on_receive = on_receive
        self._changed = threading.Condition()
        self._kept = {"spans": [], "points": [], "logs": []}
        self._requests = []           # (path, status, detail) for every request answered
        self._server = None
        self._thread = None

    # Lifecycle

    def start(self) -> "Receiver":
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                receiver._handle(self)

            def do_GET(self):
                self._refuse(405, "only POST")

            def do_PUT(self):
                self._refuse(405, "only POST")

            def _refuse(self, status, reason):
                receiver._answer(self, status, reason.encode(), "text/plain")
                receiver._record(self.path, status, reason)

            def log_message(self, format, *args):  # the suite prints what matters
                pass

        self._server = http.server.ThreadingHTTPServer((self._host, self._port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="otlp-receiver", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    def __enter__(self) -> "Receiver":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        """The base URL an exporter is given (it appends /v1/traces and /v1/metrics)."""
        return f"http://{self._host}:{self.port}"

    # Reading what arrived (copies: the receiver's thread keeps appending)

    def spans(self) -> list[Span]:
        with self._changed:
            return list(self._kept["spans"])

    def data_points(self) -> list[DataPoint]:
        with self._changed:
            return list(self._kept["points"])

    def log_records(self) -> list[LogRecord]:
        with self._changed:
            return list(self._kept["logs"])

    def requests(self) -> list[tuple[str, int, str]]:
        """(path, status, detail) of every request answered, refused ones included."""
        with self._changed:
            return list(self._requests)

    def wait_until(self, probe: Callable[["Receiver"], Optional[T]], timeout: float) -> Optional[T]:
        """Calls `probe(self)` now and after every arrival until it answers something other
        than None (or False, or empty), for at most `timeout` seconds; answers the last
        probe's result. The probe may call the accessors (they take the same lock again)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = probe(self)
                remaining = deadline - time.monotonic()
                if found or remaining <= 0:
                    return found
                self._changed.wait(remaining)

    def wait_for_span(self, match: Callable[[Span], bool], timeout: float) -> Optional[Span]:
        """The first span that matches, waiting at most `timeout` seconds for one to arrive."""
        return self.wait_until(lambda r: next((s for s in r.spans() if match(s)), None), timeout)

    def wait_for_point(self, match: Callable[[DataPoint], bool], timeout: float) -> Optional[DataPoint]:
        """The first metric data point that matches, waiting at most `timeout` seconds."""
        return self.wait_until(lambda r: next((p for p in r.data_points() if match(p)), None), timeout)

    # The receiver's thread

    def _record(self, path: str, status: int, detail: str, kind: Optional[str] = None, items=()) -> None:
        with self._changed:
            self._requests.append((path, status, detail))
            if kind is not None:
                self._kept[kind].extend(items)
            self._changed.notify_all()

    @staticmethod
    def _answer(handler, status: int, body: bytes, content_type: str) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _handle(self, handler) -> None:
        path = handler.path.split("?", 1)[0]
        try:
            signal = _SIGNALS.get(path)
            if signal is None:
                raise RefusedBody(404, f"no OTLP signal at {path}")
            decode, empty_answer, kind = signal
            content_type = handler.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
            if content_type != PROTOBUF:
                raise RefusedBody(415, f"Content-Type {content_type or '(none)'}, not {PROTOBUF}")
            try:
                length = int(handler.headers.get("Content-Length", ""))
            except ValueError:
                raise RefusedBody(411, "no Content-Length") from None
            if length < 0 or length > MAX_BODY_BYTES:
                raise RefusedBody(413, f"Content-Length {length}")
            body = handler.rfile.read(length)
            encoding = handler.headers.get("Content-Encoding", "identity").strip().lower()
            if encoding == "gzip":
                body = _gunzip(body)
            elif encoding not in ("", "identity"):
                raise RefusedBody(415, f"Content-Encoding {encoding}")
            try:
                items = decode(body)
            except Exception as error:  # protobuf's DecodeError, or a field of the wrong shape
                raise RefusedBody(400, f"undecodable {kind}: {type(error).__name__}: {error}") from None
        except RefusedBody as refused:
            # A refused request's body may be left unread: close rather than misread it.
            handler.close_connection = True
            self._answer(handler, refused.status, refused.reason.encode(), "text/plain")
            self._record(path, refused.status, refused.reason)
            return
        self._answer(handler, 200, empty_answer, PROTOBUF)
        self._record(path, 200, f"{len(items)} {kind}", kind, items)
        if self._on_receive is not None:
            self._on_receive(kind, items)


# --- A self-test --------------------------------------------------------------------------


def self_test() -> list[str]:
    """Posts a span with a parent and a link, a histogram, a sum and a log record, built
    with the opentelemetry-proto classes (the traces gzip-compressed, as an exporter may),
    plus requests that must be refused, and checks what the receiver kept. Answers the
    problems found (none: it decodes what the suite relies on)."""
    import gzip
    import urllib.error
    import urllib.request

    from opentelemetry.proto.common.v1 import common_pb2
    from opentelemetry.proto.logs.v1 import logs_pb2
    from opentelemetry.proto.metrics.v1 import metrics_pb2
    from opentelemetry.proto.resource.v1 import resource_pb2

    def kv(key, **value):
        return common_pb2.KeyValue(key=key, value=common_pb2.AnyValue(**value))

    trace_id, span_id, parent = bytes(range(1, 17)), bytes(range(17, 25)), bytes(range(25, 33))
    linked_trace, linked_span = bytes([0xAB] * 16), bytes([0xCD] * 8)
    traces = trace_service_pb2.ExportTraceServiceRequest(resource_spans=[trace_pb2.ResourceSpans(
        resource=resource_pb2.Resource(
            attributes=[kv("service.name", string_value="self-test")]),
        scope_spans=[trace_pb2.ScopeSpans(spans=[trace_pb2.Span(
            trace_id=trace_id, span_id=span_id, parent_span_id=parent, name="POST /x",
            kind=trace_pb2.Span.SPAN_KIND_SERVER,
            attributes=[kv("http.response.status_code", int_value=201), kv("ok", bool_value=True),
                        kv("list", array_value=common_pb2.ArrayValue(values=[common_pb2.AnyValue(string_value="a")]))],
            links=[trace_pb2.Span.Link(trace_id=linked_trace, span_id=linked_span)],
            status=trace_pb2.Status(code=trace_pb2.Status.STATUS_CODE_ERROR, message="boom"),
        )])],
    )])
    metrics = metrics_service_pb2.ExportMetricsServiceRequest(resource_metrics=[metrics_pb2.ResourceMetrics(
        scope_metrics=[metrics_pb2.ScopeMetrics(metrics=[
            metrics_pb2.Metric(name="http.server.request.duration", histogram=metrics_pb2.Histogram(data_points=[
                metrics_pb2.HistogramDataPoint(count=3, sum=0.25, attributes=[kv("http.route", string_value="/r/{id}")])])),
            metrics_pb2.Metric(name="requests", sum=metrics_pb2.Sum(data_points=[metrics_pb2.NumberDataPoint(as_int=7)])),
        ])],
    )])
    logs = logs_service_pb2.ExportLogsServiceRequest(resource_logs=[logs_pb2.ResourceLogs(
        scope_logs=[logs_pb2.ScopeLogs(log_records=[logs_pb2.LogRecord(
            body=common_pb2.AnyValue(string_value="hello"), severity_text="INFO", trace_id=trace_id)])],
    )])

    problems = []
    with Receiver() as receiver:
        def post(path, body, content_type=PROTOBUF, encoding=None):
            headers = {"Content-Type": content_type}
            if encoding:
                headers["Content-Encoding"] = encoding
            request = urllib.request.Request(receiver.url + path, data=body, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=10) as answer:
                    return answer.status, answer.read()
            except urllib.error.HTTPError as error:
                return error.code, error.read()

        for path, body, encoding, answer_type in (
                ("/v1/traces", gzip.compress(traces.SerializeToString()), "gzip", trace_service_pb2.ExportTraceServiceResponse),
                ("/v1/metrics", metrics.SerializeToString(), None, metrics_service_pb2.ExportMetricsServiceResponse),
                ("/v1/logs", logs.SerializeToString(), None, logs_service_pb2.ExportLogsServiceResponse)):
            status, raw = post(path, body, encoding=encoding)
            if status != 200:
                problems.append(f"{path} answered {status} {raw[:200]!r}")
            else:
                answer_type().ParseFromString(raw)
        for path, body, content_type, encoding, want in (
                ("/v1/traces", traces.SerializeToString(), "application/json", None, 415),
                ("/v1/traces", b"\xff\xff\xff", PROTOBUF, None, 400),
                ("/v1/traces", b"not gzip", PROTOBUF, "gzip", 400),
                ("/v1/other", b"", PROTOBUF, None, 404)):
            status, _ = post(path, body, content_type, encoding)
            if status != want:
                problems.append(f"{path} ({content_type}, {encoding or 'identity'}) answered {status}, not {want}")

        span = receiver.wait_for_span(lambda s: s.name == "POST /x", timeout=5)
        expected = Span(
            trace_id=trace_id.hex(), span_id=span_id.hex(), parent_span_id=parent.hex(), name="POST /x", kind="server",
            attributes=types.MappingProxyType({"http.response.status_code": 201, "ok": True, "list": ["a"]}),
            links=((linked_trace.hex(), linked_span.hex()),), link_attributes=(types.MappingProxyType({}),),
            events=(), status=("error", "boom"), resource=types.MappingProxyType({"service.name": "self-test"}),
            scope="", start_unix_nano=0, end_unix_nano=0)
        if span != expected:
            problems.append(f"the span came back as {span}, not {expected}")
        histogram = receiver.wait_for_point(lambda p: p.metric == "http.server.request.duration", timeout=5)
        if histogram is None or (histogram.kind, histogram.count, histogram.sum, dict(histogram.attributes)) != (
                "histogram", 3, 0.25, {"http.route": "/r/{id}"}):
            problems.append(f"the histogram point came back as {histogram}")
        total = receiver.wait_for_point(lambda p: p.metric == "requests", timeout=5)
        if total is None or (total.kind, total.value, total.count) != ("sum", 7, None):
            problems.append(f"the sum point came back as {total}")
        records = receiver.log_records()
        if [(r.body, r.severity, r.trace_id) for r in records] != [("hello", "INFO", trace_id.hex())]:
            problems.append(f"the log records came back as {records}")
        if receiver.wait_for_span(lambda s: s.name == "never", timeout=0.2) is not None:
            problems.append("wait_for_span found a span that was never sent")
    return problems


# --- By hand ------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="An OTLP/HTTP (protobuf) receiver that prints what it receives.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4318, help="0 for any free port (default 4318)")
    parser.add_argument("--self-test", action="store_true",
                        help="post known spans, points and log records to a receiver of its own and check them")
    args = parser.parse_args(argv)
    if args.self_test:
        problems = self_test()
        for problem in problems:
            print(f"otlp_receiver: self-test: {problem}", file=sys.stderr)
        print(f"otlp_receiver: self-test {'failed' if problems else 'passed'}", file=sys.stderr)
        return 1 if problems else 0

    def show(kind: str, items: list) -> None:
        for item in items:
            print(item.describe(), flush=True)

    receiver = Receiver(args.host, args.port, on_receive=show).start()
    print(f"otlp_receiver: listening on {receiver.url} (POST /v1/traces, /v1/metrics, /v1/logs); Ctrl-C stops",
          file=sys.stderr, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        receiver.stop()
        refused = [r for r in receiver.requests() if r[1] != 200]
        print(f"otlp_receiver: {len(receiver.spans())} spans, {len(receiver.data_points())} data points, "
              f"{len(receiver.log_records())} log records; {len(refused)} requests refused", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
