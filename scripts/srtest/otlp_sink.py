"""scripts/srtest/otlp_sink.py: an OTLP/HTTP endpoint that takes every export and keeps
nothing, for benchmarks (scripts/bench-pairs --otlp-sink): it reads each body and answers
200 with an empty body (an empty Export*ServiceResponse in protobuf), so the server under
test pays for exporting its spans and metrics while the sink costs as little CPU as a
collector can. Standard library only. Prints its URL on the first line of stdout, and on
SIGTERM the number of exports and bytes it took on stderr.

    python3 -m srtest.otlp_sink [--port 0]
"""

from __future__ import annotations

import argparse
import http.server
import signal
import sys
import threading


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0 for any free port (default)")
    args = parser.parse_args(argv)
    totals = {"exports": 0, "bytes": 0}
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            remaining = length
            while remaining > 0:
                chunk = self.rfile.read(min(remaining, 1 << 16))
                if not chunk:
                    break
                remaining -= len(chunk)
            with lock:
                totals["exports"] += 1
                totals["bytes"] += length
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.serve_forever()
    print(f"otlp_sink: {totals['exports']} exports, {totals['bytes']} bytes", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
