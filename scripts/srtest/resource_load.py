"""scripts/srtest/resource_load.py: connection-exhaustion load for scripts/resource-test.
Python standard library only (asyncio for the held connections, blocking sockets for the
measurements, run in a separate process so that the load's event loop cannot slow them down).

Subcommands (each prints its findings, writes JSON with --json-out, and exits 0 when every
property it judges holds, 1 otherwise, 2 on a usage error):

  hold    Open slow-header ("slowloris": a request line, then one header byte every
          --trickle seconds), slow-body (a complete head with Content-Length: 1000000 to
          --body-path, then one body byte every --trickle seconds) and idle (connected,
          nothing sent) connections; while they are held, measure GET /health and a transfer
          (POST --transfer-path with a fresh Idempotency-Key), each on a new connection,
          every --interval seconds for --hold seconds. Then stop reopening and watch for
          --observe seconds which connections the server closes, and when.
          Judged: every connection opened; the load was held; every /health answered 200
          and every transfer 201 within --latency-limit; every slow-header and idle
          connection closed by the server within --header-timeout (+ --timeout-slack) of
          opening, none left open longer. What happens to slow bodies is reported, and
          judged only when --body-timeout is given.

  cap     Against a server started with a connection cap (--cap): fill it with --cap holder
          connections (--holder idle or body), open --excess more connections each sending
          GET /health, and watch them for --wait seconds. Then close the holders, watch the
          excess connections for --after seconds more, and measure fresh /health requests
          (sequential, and --burst concurrent ones within the cap).
          Judged: every excess connection answered cleanly (an HTTP answer, or a close or
          refusal) within --clean-within seconds; none left without an answer for --wait
          seconds (hung); after the holders leave, every fresh /health answers 200 within
          --latency-limit.

  setup   Log in as --username (password from $SR_RESOURCE_PASSWORD), make an organization,
          a ledger, a USD asset, accounts @alice and @bob, fund @alice with 1,000,000.00 and
          make one transfer; print {"token", "transfer_path"} as JSON.

  trickle Hold --slow-bodies slow-body connections for --duration seconds or until SIGTERM,
          then say how many the server closed (scripts/resource-test sends the server
          SIGTERM meanwhile, to see whether slow clients hold up its shutdown).

  probe   (internal) the measuring loop of `hold`, printing JSON.

The server's pid (--server-pid) is optional; with it the number of sockets the server holds
is read from /proc/PID/fd while the load runs.
"""

import argparse
import asyncio
import concurrent.futures
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import uuid

from srtest.verdicts import Verdicts

KINDS = ("headers", "bodies", "idle")


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(fraction * (len(ordered) - 1)))))
    return ordered[index]


def summary(values):
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "min": round(min(values), 3),
        "p50": round(percentile(values, 0.50), 3),
        "p95": round(percentile(values, 0.95), 3),
        "p99": round(percentile(values, 0.99), 3),
        "max": round(max(values), 3),
    }


def fmt(stats, unit="s"):
    if not stats or stats.get("n", 0) == 0:
        return "none"
    return (f"n={stats['n']} min={stats['min']}{unit} p50={stats['p50']}{unit} "
            f"p95={stats['p95']}{unit} p99={stats['p99']}{unit} max={stats['max']}{unit}")


def server_sockets(pid):
    """How many sockets the server process holds (listening socket included), or None."""
    if not pid:
        return None
    try:
        count = 0
        for name in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{name}").startswith("socket:"):
                    count += 1
            except OSError:
                pass
        return count
    except OSError:
        return None


def server_rss_kib(pid):
    if not pid:
        return None
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


# --- Measuring: blocking HTTP on new connections ------------------------------------------

def timed_request(host, port, method, path, body=None, headers=None, timeout=5.0, connect_times=None):
    """(seconds, status or None, error or None), on a new connection that is closed after.
    The TCP connect's own duration is appended to connect_times when given."""
    started = time.monotonic()
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.connect()
        if connect_times is not None:
            connect_times.append(time.monotonic() - started)
        connection.request(method, path, body=body, headers=dict(headers or {}, Connection="close"))
        response = connection.getresponse()
        response.read()
        return time.monotonic() - started, response.status, None
    except (OSError, http.client.HTTPException) as error:
        return time.monotonic() - started, None, f"{type(error).__name__}: {error}"
    finally:
        connection.close()


def listen_counters():
    """The kernel's TcpExt ListenOverflows and ListenDrops (system-wide), or None."""
    try:
        with open("/proc/net/netstat") as handle:
            lines = handle.read().splitlines()
        for names, values in zip(lines[::2], lines[1::2]):
            if names.startswith("TcpExt:"):
                table = dict(zip(names.split()[1:], values.split()[1:]))
                return int(table["ListenOverflows"]), int(table["ListenDrops"])
    except (OSError, KeyError, ValueError):
        return None
    return None


def transfer_body(source, destination, value):
    leg = lambda alias: {"accountAlias": alias, "amount": {"asset": "USD", "value": value}}  # noqa: E731
    return json.dumps({"send": {"asset": "USD", "value": value,
                                "source": {"from": [leg(source)]},
                                "distribute": {"to": [leg(destination)]}}})


def run_probe(args):
    """The measuring loop: every interval, /health then a transfer, each on a new connection."""
    results = {"health": [], "transfer": []}
    deadline = time.monotonic() + args.duration
    body = transfer_body(args.source, args.destination, args.value) if args.transfer_path else None
    next_tick = time.monotonic()
    while time.monotonic() < deadline:
        connect = []
        took, status, error = timed_request(args.host, args.port, "GET", "/health", timeout=args.timeout, connect_times=connect)
        results["health"].append({"t": time.time(), "seconds": took, "connect": connect[0] if connect else None,
                                  "status": status, "error": error})
        if args.transfer_path:
            headers = {"Authorization": f"Bearer {args.token}", "Content-Type": "application/json",
                       "Idempotency-Key": f"resource-test-{uuid.uuid4()}"}
            connect = []
            took, status, error = timed_request(args.host, args.port, "POST", args.transfer_path,
                                                body=body, headers=headers, timeout=args.timeout, connect_times=connect)
            results["transfer"].append({"t": time.time(), "seconds": took, "connect": connect[0] if connect else None,
                                        "status": status, "error": error})
        next_tick += args.interval
        pause = next_tick - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        else:
            next_tick = time.monotonic()
    json.dump(results, sys.stdout)
    return 0


def judge_requests(verdicts, name, rows, want_status, limit):
    seconds = [row["seconds"] for row in rows]
    stats = summary(seconds)
    bad = [row for row in rows if row["status"] != want_status]
    slow = [row for row in rows if row["seconds"] >= limit]
    detail = f"{fmt(stats)}"
    connects = [row["connect"] for row in rows if row.get("connect") is not None]
    if connects:
        detail += f"; of which TCP connect max {max(connects):.3f} s"
    if not rows:
        verdicts.add(name, False, "no measurement was made")
        return stats
    problems = []
    if bad:
        kinds = {}
        for row in bad:
            key = row["error"] or f"HTTP {row['status']}"
            kinds[key] = kinds.get(key, 0) + 1
        problems.append(f"{len(bad)} of {len(rows)} not {want_status}: "
                        + "; ".join(f"{count}x {key}" for key, count in sorted(kinds.items(), key=lambda kv: -kv[1])))
    if slow:
        split = ", ".join(f"{row['seconds']:.3f} s" + (f" (TCP connect {row['connect']:.3f} s)" if row.get("connect") is not None else "")
                          for row in slow[:5])
        problems.append(f"{len(slow)} of {len(rows)} took {limit} s or more: {split}")
    verdicts.add(name, not problems, detail + ("" if not problems else " -- " + "; ".join(problems)))
    return stats


# --- Holding connections (asyncio) ---------------------------------------------------------

class Session:
    """One connection's life: opened, and how and when it ended."""

    __slots__ = ("kind", "opened", "closed", "how", "received", "sent")

    def __init__(self, kind):
        self.kind = kind
        self.opened = None
        self.closed = None
        self.how = None          # "eof", "reset", "send-error", "client" (we closed it)
        self.received = b""
        self.sent = 0


class Hold:
    def __init__(self, args):
        self.args = args
        self.sessions = []
        self.open_now = {kind: 0 for kind in KINDS}
        self.open_errors = {kind: [] for kind in KINDS}
        self.replenish = args.replenish
        self.stopping = False
        self.first_opened = 0    # connections opened (first time, not reopened)
        self.first_failed = 0
        self.connect_gate = asyncio.Semaphore(args.connect_concurrency)
        host = args.host_header or f"{args.host}:{args.port}"
        self.initial = {
            "headers": f"GET /health HTTP/1.1\r\nHost: {host}\r\nUser-Agent: resource-test-slowloris\r\n".encode(),
            "bodies": (f"POST {args.body_path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: resource-test-slowbody\r\n"
                       f"Content-Type: application/json\r\nContent-Length: {args.body_length}\r\n\r\n").encode(),
            "idle": b"",
        }
        # Header bytes trickled forever: an endless run of valid header lines.
        self.header_trickle = b"X-Slow-%d: a\r\n"

    async def connect(self, kind):
        session = Session(kind)
        async with self.connect_gate:
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(self.args.host, self.args.port), timeout=self.args.connect_timeout)
            except (OSError, asyncio.TimeoutError) as error:
                self.open_errors[kind].append(f"{type(error).__name__}: {error}")
                return None, None, None
        session.opened = time.monotonic()
        self.sessions.append(session)
        self.open_now[kind] += 1
        return session, reader, writer

    async def run_one(self, kind, first_delay):
        await asyncio.sleep(first_delay)
        first = True
        while not self.stopping:
            session, reader, writer = await self.connect(kind)
            if first:
                first = False
                if session is None:
                    self.first_failed += 1
                else:
                    self.first_opened += 1
            if session is None:
                if self.replenish and not self.stopping:
                    await asyncio.sleep(0.5)
                    continue
                return
            try:
                await self.drive(session, reader, writer)
            finally:
                self.open_now[kind] -= 1
                if session.closed is None:
                    session.closed = time.monotonic()
                    session.how = "client"
                writer.transport.abort()
            if not self.replenish:
                return

    async def drive(self, session, reader, writer):
        kind = session.kind
        if self.initial[kind]:
            writer.write(self.initial[kind])
            session.sent += len(self.initial[kind])
        trickle = self.args.trickle
        # Spread the trickled bytes of different connections over the interval.
        wait = random.uniform(0.2, trickle)
        line_number = 0
        pending = b""
        while not self.stopping:
            try:
                data = await asyncio.wait_for(reader.read(4096), timeout=wait)
            except asyncio.TimeoutError:
                wait = trickle
                if kind == "idle":
                    continue
                if kind == "headers":
                    if not pending:
                        pending = self.header_trickle % line_number
                        line_number += 1
                    byte, pending = pending[:1], pending[1:]
                else:
                    byte = b" "
                try:
                    writer.write(byte)
                    session.sent += 1
                    await writer.drain()
                except (OSError, ConnectionError):
                    session.closed, session.how = time.monotonic(), "send-error"
                    return
                continue
            except (ConnectionResetError, OSError):
                session.closed, session.how = time.monotonic(), "reset"
                return
            if not data:
                session.closed, session.how = time.monotonic(), "eof"
                return
            if len(session.received) < 512:
                session.received += data[: 512 - len(session.received)]

    def held(self):
        return dict(self.open_now)


async def hold_main(args):
    hold = Hold(args)
    verdicts = Verdicts()
    wanted = {"headers": args.slow_headers, "bodies": args.slow_bodies, "idle": args.idle}
    total = sum(wanted.values())
    baseline_sockets = server_sockets(args.server_pid)
    print(f"opening {total} connections to {args.host}:{args.port}: {args.slow_headers} slow-header, "
          f"{args.slow_bodies} slow-body ({args.body_path}, Content-Length {args.body_length}), {args.idle} idle; "
          f"a byte every {args.trickle} s; reopen when closed during the hold: {'yes' if args.replenish else 'no'}",
          flush=True)
    started = time.monotonic()
    tasks = []
    for kind, count in wanted.items():
        for _ in range(count):
            tasks.append(asyncio.create_task(hold.run_one(kind, 0)))
    # Wait until every connection has been opened once (or failed).
    while hold.first_opened + hold.first_failed < total and time.monotonic() - started < args.open_deadline:
        await asyncio.sleep(0.05)
    open_seconds = time.monotonic() - started
    print(f"opened {hold.first_opened} of {total} in {open_seconds:.1f} s "
          f"(server holds {server_sockets(args.server_pid)} sockets, {baseline_sockets} before)", flush=True)
    examples = sorted({error for errors in hold.open_errors.values() for error in errors})[:3]
    verdicts.add("connections opened", hold.first_failed == 0 and hold.first_opened == total,
                 f"{hold.first_opened} of {total} in {open_seconds:.1f} s"
                 + (f"; {hold.first_failed} failed: {examples}" if hold.first_failed else ""))
    overflows_before = listen_counters()

    # Measure while held.
    probe_command = [sys.executable, "-m", "srtest.resource_load", "probe", "--host", args.host, "--port", str(args.port),
                     "--duration", str(args.hold), "--interval", str(args.interval), "--timeout", str(args.request_timeout)]
    if args.transfer_path:
        probe_command += ["--transfer-path", args.transfer_path, "--token", args.token,
                          "--source", args.source, "--destination", args.destination, "--value", args.value]
    probe = await asyncio.create_subprocess_exec(*probe_command, stdout=asyncio.subprocess.PIPE)
    probe_output = asyncio.create_task(probe.stdout.read())
    samples = []
    hold_started = time.monotonic()
    while probe.returncode is None and not probe_output.done():
        samples.append({"t": time.monotonic() - hold_started, "held": hold.held(),
                        "server_sockets": server_sockets(args.server_pid), "rss_kib": server_rss_kib(args.server_pid)})
        await asyncio.sleep(0.5)
    raw = await probe_output
    await probe.wait()
    try:
        measured = json.loads(raw)
    except ValueError:
        measured = {"health": [], "transfer": []}
        print(f"the probe process failed (exit {probe.returncode})", flush=True)
    hold_seconds = time.monotonic() - hold_started

    held_totals = [sum(sample["held"].values()) for sample in samples]
    socket_counts = [sample["server_sockets"] for sample in samples if sample["server_sockets"] is not None]
    print(f"held for {hold_seconds:.1f} s: connections open (client side) min {min(held_totals, default=0)}, "
          f"mean {statistics.mean(held_totals) if held_totals else 0:.0f}, max {max(held_totals, default=0)} of {total}; "
          + (f"server sockets min {min(socket_counts)} max {max(socket_counts)}" if socket_counts else "server sockets not read"),
          flush=True)
    for kind in KINDS:
        series = [sample["held"][kind] for sample in samples]
        if wanted[kind]:
            print(f"  {kind:8s} held min {min(series, default=0)} mean {statistics.mean(series) if series else 0:.0f} "
                  f"of {wanted[kind]}", flush=True)
    mean_held = statistics.mean(held_totals) if held_totals else 0
    overflows_after = listen_counters()
    if overflows_before and overflows_after:
        print(f"kernel listen-queue overflows during the hold (system-wide TcpExt ListenOverflows/ListenDrops): "
              f"{overflows_after[0] - overflows_before[0]}/{overflows_after[1] - overflows_before[1]}", flush=True)
    verdicts.add("load held during the measurement", total == 0 or mean_held >= args.held_fraction * total,
                 f"mean {mean_held:.0f} of {total} connections open (need {args.held_fraction:.0%}), min {min(held_totals, default=0)}")

    health_stats = judge_requests(verdicts, f"GET /health under load < {args.latency_limit} s", measured["health"], 200, args.latency_limit)
    transfer_stats = None
    if args.transfer_path:
        transfer_stats = judge_requests(verdicts, f"POST transfer under load < {args.latency_limit} s", measured["transfer"], 201, args.latency_limit)

    # Stop reopening; watch what the server closes: until every slow-header and idle
    # connection is gone (and, when --body-timeout is judged, every slow body), at most
    # --observe seconds.
    hold.replenish = False
    observe_started = time.monotonic()
    print(f"watching for up to {args.observe} s what the server closes (no reopening now)", flush=True)
    while time.monotonic() - observe_started < args.observe:
        still = hold.held()
        headers_and_idle_gone = still["headers"] == 0 and still["idle"] == 0
        bodies_settled = args.body_timeout is None or still["bodies"] == 0
        if headers_and_idle_gone and bodies_settled:
            break
        await asyncio.sleep(0.25)
    end = time.monotonic()
    end_sockets = server_sockets(args.server_pid)
    hold.stopping = True
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)

    report = {"kinds": {}, "open_seconds": round(open_seconds, 2), "hold_seconds": round(hold_seconds, 2),
              "health": health_stats, "transfer": transfer_stats, "server_sockets_before": baseline_sockets,
              "server_sockets_max": max(socket_counts) if socket_counts else None,
              "server_sockets_after_observe": end_sockets,
              "held_total_min": min(held_totals, default=0), "held_total_mean": round(mean_held),
              "listen_overflows_during_hold": (overflows_after[0] - overflows_before[0]) if overflows_before and overflows_after else None,
              "rss_kib_max_during_hold": max((s["rss_kib"] for s in samples if s["rss_kib"]), default=None)}
    print(f"server sockets after watching: {end_sockets} (before the load: {baseline_sockets})", flush=True)
    for kind in KINDS:
        sessions = [s for s in hold.sessions if s.kind == kind]
        if not sessions:
            continue
        by_server = [s for s in sessions if s.how in ("eof", "reset", "send-error")]
        lifetimes = [s.closed - s.opened for s in by_server]
        # Sessions still open when we stopped: how long they had lived.
        unclosed = [s for s in sessions if s.how == "client"]
        unclosed_ages = [end - s.opened for s in unclosed]
        answers = {}
        for s in by_server:
            first = s.received.split(b"\r\n", 1)[0].decode("latin-1") if s.received else "nothing"
            key = f"{s.how} after {first}"
            answers[key] = answers.get(key, 0) + 1
        report["kinds"][kind] = {"sessions": len(sessions), "closed_by_server": len(by_server),
                                 "lifetime": summary(lifetimes), "left_open": len(unclosed),
                                 "left_open_age": summary(unclosed_ages), "answers": answers,
                                 "bytes_sent": summary([s.sent for s in sessions])}
        print(f"  {kind:8s} {len(sessions)} sessions, {len(by_server)} closed by the server "
              f"(lifetime {fmt(summary(lifetimes))}; {', '.join(f'{v}x {k}' for k, v in answers.items()) or '-'}), "
              f"{len(unclosed)} still open when we stopped (age {fmt(summary(unclosed_ages))})", flush=True)

    limit = args.header_timeout + args.timeout_slack
    for kind, label in (("headers", "slow-header"), ("idle", "idle")):
        info = report["kinds"].get(kind)
        if not info:
            continue
        sessions = [s for s in hold.sessions if s.kind == kind]
        too_long = [s for s in sessions if s.how == "client" and end - s.opened > limit]
        late = [s for s in sessions if s.how in ("eof", "reset", "send-error") and s.closed - s.opened > limit]
        early = [s for s in sessions if s.how in ("eof", "reset", "send-error") and s.closed - s.opened < args.header_timeout - 1]
        ok = not too_long and not late and info["closed_by_server"] > 0
        detail = (f"{info['closed_by_server']} of {info['sessions']} closed by the server, lifetime {fmt(info['lifetime'])}"
                  f" (header timeout {args.header_timeout} s, allowed up to {limit} s)")
        if too_long:
            detail += f"; {len(too_long)} still open after {limit} s"
        if late:
            detail += f"; {len(late)} closed later than {limit} s"
        if early:
            detail += f"; {len(early)} closed before {args.header_timeout - 1} s"
        verdicts.add(f"{label} connections closed by the header timeout", ok, detail)

    info = report["kinds"].get("bodies")
    if info:
        detail = (f"{info['closed_by_server']} of {info['sessions']} closed by the server (lifetime {fmt(info['lifetime'])}); "
                  f"{info['left_open']} still open after {fmt(info['left_open_age'])} while sending a byte every {args.trickle} s")
        if args.body_timeout is None:
            verdicts.note("slow-body connections", detail + " (not judged: no --body-timeout)")
        else:
            sessions = [s for s in hold.sessions if s.kind == "bodies"]
            too_long = [s for s in sessions if (s.closed if s.how != "client" else end) - s.opened > args.body_timeout]
            verdicts.add(f"slow-body connections closed within {args.body_timeout} s", not too_long,
                         detail + (f"; {len(too_long)} lived longer" if too_long else ""))

    report["verdicts"] = verdicts.rows
    if args.json_out:
        with open(args.json_out, "w") as handle:
            json.dump(report, handle, indent=2)
    return 0 if verdicts.ok else 1


# --- The connection cap ------------------------------------------------------------------

async def excess_request(host, port, wait_seconds, released_at, after_seconds, host_header):
    """One connection beyond the cap: connect, send GET /health, see what comes back."""
    record = {"connect": None, "outcome": None, "seconds": None, "first_line": None}
    started = time.monotonic()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout=wait_seconds + after_seconds)
    except asyncio.TimeoutError:
        record.update(connect="timeout", outcome="no answer", seconds=time.monotonic() - started)
        return record
    except OSError as error:
        record.update(connect=f"{type(error).__name__}", outcome="refused", seconds=time.monotonic() - started)
        return record
    record["connect"] = round(time.monotonic() - started, 3)
    writer.write(f"GET /health HTTP/1.1\r\nHost: {host_header}\r\nConnection: close\r\n\r\n".encode())
    received = b""
    try:
        while True:
            remaining = started + wait_seconds + after_seconds - time.monotonic()
            if released_at["t"] is not None:
                remaining = min(remaining, released_at["t"] + after_seconds - time.monotonic())
            if remaining <= 0:
                record.update(outcome="no answer", seconds=time.monotonic() - started)
                break
            try:
                data = await asyncio.wait_for(reader.read(4096), timeout=min(remaining, 0.25))
            except asyncio.TimeoutError:
                if received:
                    # An answer began; the whole of it is not needed.
                    record.update(outcome="answer", seconds=time.monotonic() - started)
                    break
                continue
            if not data:
                record.update(outcome="answer" if received else "closed", seconds=time.monotonic() - started)
                break
            received += data
            if b"\r\n\r\n" in received:
                record.update(outcome="answer", seconds=time.monotonic() - started)
                break
    except (ConnectionResetError, OSError):
        record.update(outcome="answer" if received else "reset", seconds=time.monotonic() - started)
    finally:
        writer.transport.abort()
    if received:
        record["first_line"] = received.split(b"\r\n", 1)[0].decode("latin-1")
        head, _, body = received.partition(b"\r\n\r\n")
        record["body"] = body[:300].decode("utf-8", "replace")
    record["released_before_answer"] = released_at["t"] is not None and record["outcome"] != "refused" \
        and started + record["seconds"] > released_at["t"]
    return record


async def cap_main(args):
    verdicts = Verdicts()
    host_header = args.host_header or f"{args.host}:{args.port}"
    hold_args = argparse.Namespace(**vars(args))
    hold_args.replenish = False
    holder = Hold(hold_args)
    baseline = server_sockets(args.server_pid)
    print(f"cap {args.cap}: opening {args.cap} {args.holder} holder connections, then {args.excess} more "
          f"each sending GET /health; watching them {args.wait} s", flush=True)
    kind = {"idle": "idle", "body": "bodies", "headers": "headers"}[args.holder]
    tasks = [asyncio.create_task(holder.run_one(kind, 0)) for _ in range(args.cap)]
    started = time.monotonic()
    while len(holder.sessions) + sum(len(e) for e in holder.open_errors.values()) < args.cap \
            and time.monotonic() - started < args.open_deadline:
        await asyncio.sleep(0.05)
    # Let the server accept them all (its socket count shows it when the pid is known).
    settle = time.monotonic()
    while time.monotonic() - settle < 2.0:
        count = server_sockets(args.server_pid)
        if count is not None and baseline is not None and count - baseline >= args.cap:
            break
        await asyncio.sleep(0.1)
    accepted = server_sockets(args.server_pid)
    print(f"holders open: {len(holder.sessions)} of {args.cap}; server sockets {accepted} (before: {baseline})", flush=True)

    released = {"t": None}
    excess_started = time.monotonic()
    excess = [asyncio.create_task(excess_request(args.host, args.port, args.wait, released, args.after, host_header))
              for _ in range(args.excess)]
    # Watch the excess connections for `wait` seconds, then release the holders.
    done, pending = await asyncio.wait(excess, timeout=args.wait)
    during = server_sockets(args.server_pid)
    released["t"] = time.monotonic()
    holder.stopping = True
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    print(f"released the holders {released['t'] - excess_started:.1f} s after the excess connections were opened "
          f"({len(done)} of {args.excess} had an outcome by then; server sockets {during})", flush=True)
    results = await asyncio.gather(*excess)

    outcomes = {}
    for record in results:
        key = record["outcome"] + (f" ({record['first_line']})" if record.get("first_line") else "")
        outcomes[key] = outcomes.get(key, 0) + 1
    before_release = [r for r in results if not r["released_before_answer"] and r["outcome"] != "no answer"]
    clean = [r for r in before_release if r["seconds"] <= args.clean_within]
    hung = [r for r in results if r["released_before_answer"] or r["outcome"] == "no answer"]
    seconds = [r["seconds"] for r in before_release]
    print(f"excess connections: {', '.join(f'{v}x {k}' for k, v in outcomes.items())}", flush=True)
    connects = [r["connect"] for r in results if isinstance(r["connect"], float)]
    if connects:
        print(f"  TCP connect of the excess connections: {fmt(summary(connects))} (the kernel completes a handshake "
              f"into the listen backlog whether or not the server accepts; past the backlog it drops the SYN)", flush=True)
    bodies = {r.get("body") for r in results if r.get("body")}
    for body in sorted(bodies)[:2]:
        print(f"  an answer's body: {body}", flush=True)
    verdicts.add(f"excess connections answered cleanly within {args.clean_within} s",
                 len(clean) == len(results),
                 f"{len(clean)} of {len(results)} (an HTTP answer, a close or a refusal) while the {args.holder} holders held the cap"
                 + (f"; answered at {fmt(summary(seconds))}" if seconds else ""))
    hung_after = [r["seconds"] - (released["t"] - excess_started) for r in hung if r["outcome"] != "no answer"]
    verdicts.add(f"no excess connection hung for {args.wait} s", not hung,
                 "every excess connection had an outcome while the holders were held" if not hung
                 else f"{len(hung)} of {len(results)} had no answer for {args.wait} s, until the holders were released"
                      + (f"; then {len(hung_after)} were served {fmt(summary(hung_after))} after the release" if hung_after else "")
                      + (f"; {len(hung) - len(hung_after)} never answered" if len(hung) > len(hung_after) else ""))

    # Serving resumes within the cap.
    await asyncio.sleep(0.2)
    loop = asyncio.get_running_loop()
    loop.set_default_executor(concurrent.futures.ThreadPoolExecutor(max_workers=max(args.burst, 4)))
    sequential = []
    for _ in range(args.recovery_requests):
        sequential.append(await loop.run_in_executor(None, timed_request, args.host, args.port, "GET", "/health", None, None, 5.0))
    judge_requests(verdicts, f"GET /health after the holders left < {args.latency_limit} s",
                   [{"seconds": s, "status": st, "error": e} for s, st, e in sequential], 200, args.latency_limit)
    burst = min(args.burst, max(1, args.cap - 5))
    burst_rows = await asyncio.gather(*[
        loop.run_in_executor(None, timed_request, args.host, args.port, "GET", "/health", None, None, 5.0)
        for _ in range(burst)])
    judge_requests(verdicts, f"{burst} concurrent GET /health within the cap < {args.latency_limit} s",
                   [{"seconds": s, "status": st, "error": e} for s, st, e in burst_rows], 200, args.latency_limit)

    report = {"cap": args.cap, "holder": args.holder, "excess": results, "outcomes": outcomes,
              "server_sockets_before": baseline, "server_sockets_with_holders": accepted,
              "server_sockets_during_excess": during, "verdicts": verdicts.rows}
    if args.json_out:
        with open(args.json_out, "w") as handle:
            json.dump(report, handle, indent=2)
    return 0 if verdicts.ok else 1


# --- Slow bodies kept up (for a shutdown test) -------------------------------------------

async def trickle_main(args):
    """Hold --slow-bodies slow-body connections for --duration seconds (or until SIGTERM)."""
    import signal
    hold_args = argparse.Namespace(**vars(args))
    hold_args.replenish = False
    hold = Hold(hold_args)
    tasks = [asyncio.create_task(hold.run_one("bodies", 0)) for _ in range(args.slow_bodies)]
    done = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, done.set)
    started = time.monotonic()
    while hold.first_opened + hold.first_failed < args.slow_bodies and time.monotonic() - started < args.open_deadline:
        await asyncio.sleep(0.05)
    print(f"trickle: {hold.first_opened} slow-body connections open", flush=True)
    try:
        await asyncio.wait_for(done.wait(), timeout=args.duration)
    except asyncio.TimeoutError:
        pass
    end = time.monotonic()
    closed = [s for s in hold.sessions if s.how in ("eof", "reset", "send-error")]
    hold.stopping = True
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    report = {"opened": hold.first_opened, "closed_by_server": len(closed),
              "closed_at": sorted(round(s.closed - started, 2) for s in closed), "seconds": round(end - started, 2)}
    print(f"trickle: {len(closed)} of {hold.first_opened} closed by the server in {end - started:.1f} s", flush=True)
    if args.json_out:
        with open(args.json_out, "w") as handle:
            json.dump(report, handle, indent=2)
    return 0


# --- Setting up a ledger to move money in -------------------------------------------------

def api(host, port, method, path, body=None, token=None, headers=None):
    connection = http.client.HTTPConnection(host, port, timeout=30)
    all_headers = {"Content-Type": "application/json"}
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    all_headers.update(headers or {})
    try:
        connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=all_headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
    finally:
        connection.close()
    try:
        return response.status, json.loads(text) if text else None
    except ValueError:
        return response.status, text


def run_setup(args):
    """Log in, make an organization, ledger, USD asset, @alice and @bob; fund @alice."""
    def need(step, status, answer, want):
        if status != want:
            print(f"setup: {step} answered {status}, not {want}: {answer}", file=sys.stderr)
            sys.exit(1)
        return answer

    status, answer = api(args.host, args.port, "POST", "/v1/auth/login",
                         {"username": args.username, "password": os.environ["SR_RESOURCE_PASSWORD"]})
    token = need("login", status, answer, 200)["access_token"]
    if need("login", status, answer, 200).get("restricted"):
        print(f"setup: the login is restricted ({answer['restricted']})", file=sys.stderr)
        return 1
    org = need("organization", *api(args.host, args.port, "POST", "/v1/organizations",
                                    {"legalName": "Resource Test", "legalDocument": "1"}, token), 201)["id"]
    ledger = need("ledger", *api(args.host, args.port, "POST", f"/v1/organizations/{org}/ledgers", {"name": "Load"}, token), 201)["id"]
    base = f"/v1/organizations/{org}/ledgers/{ledger}"
    need("asset", *api(args.host, args.port, "POST", f"{base}/assets", {"name": "US Dollar", "type": "currency", "code": "USD"}, token), 201)
    for alias in ("@alice", "@bob"):
        need(f"account {alias}", *api(args.host, args.port, "POST", f"{base}/accounts",
                                      {"assetCode": "USD", "type": "deposit", "alias": alias}, token), 201)
    need("funding", *api(args.host, args.port, "POST", f"{base}/transactions/inflow",
                         {"send": {"asset": "USD", "value": "1000000.00",
                                   "distribute": {"to": [{"accountAlias": "@alice", "remaining": "remaining"}]}}},
                         token, {"Idempotency-Key": f"resource-test-fund-{uuid.uuid4()}"}), 201)
    path = f"{base}/transactions/json"
    took, status, error = timed_request(args.host, args.port, "POST", path, transfer_body("@alice", "@bob", "0.01"),
                                        {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                                         "Idempotency-Key": f"resource-test-{uuid.uuid4()}"})
    if status != 201:
        print(f"setup: a first transfer answered {status or error}", file=sys.stderr)
        return 1
    json.dump({"token": token, "transfer_path": path}, sys.stdout)
    return 0


# --- Figures ------------------------------------------------------------------------------

def run_figures(args):
    """One line per figure, from the JSON that `hold` and `cap` wrote into a directory."""
    def stats(s):
        if not s or not s.get("n"):
            return "none"
        return f"max {s['max']} s, p99 {s['p99']} s, p95 {s['p95']} s, p50 {s['p50']} s (n={s['n']})"
    try:
        with open(os.path.join(args.directory, "phase1.json")) as handle:
            p1 = json.load(handle)
        print(f"phase 1 /health latency under load: {stats(p1['health'])}")
        print(f"phase 1 transfer latency under load: {stats(p1['transfer'])}")
        print(f"phase 1 connections: opened in {p1['open_seconds']} s; held {p1['held_total_mean']} on average "
              f"(min {p1['held_total_min']}) for {p1['hold_seconds']} s; server sockets max {p1['server_sockets_max']}; "
              f"kernel listen-queue overflows {p1.get('listen_overflows_during_hold')}")
        for kind, info in p1["kinds"].items():
            life = info["lifetime"]
            print(f"phase 1 {kind}: {info['sessions']} sessions, {info['closed_by_server']} closed by the server"
                  + (f" after {life['min']}-{life['max']} s (p50 {life['p50']} s)" if life.get("n") else "")
                  + (f", {info['left_open']} still open after {info['left_open_age']['max']} s" if info["left_open"] else ""))
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"phase 1 figures unavailable ({error})")
    for holder in ("idle", "body"):
        try:
            with open(os.path.join(args.directory, f"phase2-{holder}.json")) as handle:
                p2 = json.load(handle)
            outcomes = ", ".join(f"{v}x {k}" for k, v in p2["outcomes"].items())
            seconds = sorted(r["seconds"] for r in p2["excess"] if r["seconds"] is not None)
            print(f"phase 2 cap {p2['cap']} held by {holder} connections: excess connections {outcomes}"
                  + (f", {seconds[0]:.2f}-{seconds[-1]:.2f} s after sending" if seconds else ""))
        except (OSError, ValueError, KeyError, TypeError) as error:
            print(f"phase 2 ({holder}) figures unavailable ({error})")
    return 0


# --- Command line ------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p):
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, required=True)
        p.add_argument("--host-header", help="Host header to send (default HOST:PORT)")
        p.add_argument("--server-pid", type=int, help="the server's pid, to count its sockets")
        p.add_argument("--json-out")
        p.add_argument("--latency-limit", type=float, default=1.0)
        p.add_argument("--trickle", type=float, default=2.0, help="seconds between trickled bytes")
        p.add_argument("--body-path", default="/v1/auth/login")
        p.add_argument("--body-length", type=int, default=1_000_000)
        p.add_argument("--connect-timeout", type=float, default=10.0)
        p.add_argument("--connect-concurrency", type=int, default=100)
        p.add_argument("--open-deadline", type=float, default=60.0)

    hold = sub.add_parser("hold")
    common(hold)
    hold.add_argument("--slow-headers", type=int, default=250)
    hold.add_argument("--slow-bodies", type=int, default=250)
    hold.add_argument("--idle", type=int, default=2000)
    hold.add_argument("--hold", type=float, default=10.0, help="seconds of measurement while held")
    hold.add_argument("--interval", type=float, default=0.5)
    hold.add_argument("--request-timeout", type=float, default=5.0)
    hold.add_argument("--replenish", action="store_true", help="reopen connections the server closes during the hold")
    hold.add_argument("--held-fraction", type=float, default=0.9)
    hold.add_argument("--observe", type=float, default=10.0)
    hold.add_argument("--header-timeout", type=float, required=True, help="the server's header timeout (s)")
    hold.add_argument("--timeout-slack", type=float, default=2.0)
    hold.add_argument("--body-timeout", type=float, help="require slow bodies closed within this many seconds")
    hold.add_argument("--transfer-path")
    hold.add_argument("--token")
    hold.add_argument("--source", default="@alice")
    hold.add_argument("--destination", default="@bob")
    hold.add_argument("--value", default="0.01")

    cap = sub.add_parser("cap")
    common(cap)
    cap.add_argument("--cap", type=int, required=True)
    cap.add_argument("--holder", choices=("idle", "body", "headers"), default="body")
    cap.add_argument("--excess", type=int, default=20)
    cap.add_argument("--wait", type=float, default=10.0)
    cap.add_argument("--after", type=float, default=5.0)
    cap.add_argument("--clean-within", type=float, default=2.0)
    cap.add_argument("--recovery-requests", type=int, default=10)
    cap.add_argument("--burst", type=int, default=50)

    trickle = sub.add_parser("trickle")
    common(trickle)
    trickle.add_argument("--slow-bodies", type=int, default=20)
    trickle.add_argument("--duration", type=float, default=60.0)

    probe = sub.add_parser("probe")
    probe.add_argument("--host", default="127.0.0.1")
    probe.add_argument("--port", type=int, required=True)
    probe.add_argument("--duration", type=float, required=True)
    probe.add_argument("--interval", type=float, default=0.5)
    probe.add_argument("--timeout", type=float, default=5.0)
    probe.add_argument("--transfer-path")
    probe.add_argument("--token")
    probe.add_argument("--source", default="@alice")
    probe.add_argument("--destination", default="@bob")
    probe.add_argument("--value", default="0.01")

    setup = sub.add_parser("setup", help="log in (password from $SR_RESOURCE_PASSWORD), make a funded ledger; prints JSON")
    setup.add_argument("--host", default="127.0.0.1")
    setup.add_argument("--port", type=int, required=True)
    setup.add_argument("--username", default="admin")

    figures = sub.add_parser("figures", help="print the figures from the JSON in a directory")
    figures.add_argument("directory")
    failed = sub.add_parser("failed", help="print the properties that failed in a JSON report, '; '-separated")
    failed.add_argument("file")

    args = parser.parse_args()
    if args.command == "figures":
        return run_figures(args)
    if args.command == "failed":
        try:
            with open(args.file) as handle:
                rows = json.load(handle)["verdicts"]
        except (OSError, ValueError, KeyError):
            print("(no report)")
            return 0
        print("; ".join(row["property"] for row in rows if row["ok"] is False) or "(none)")
        return 0
    if args.command == "setup":
        return run_setup(args)
    if args.command == "probe":
        return run_probe(args)
    if args.command == "trickle":
        return asyncio.run(trickle_main(args))
    if args.command == "hold":
        if args.transfer_path and not args.token:
            parser.error("--transfer-path needs --token")
        return asyncio.run(hold_main(args))
    return asyncio.run(cap_main(args))


if __name__ == "__main__":
    sys.exit(main())
