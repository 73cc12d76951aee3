#!/usr/bin/env python3
"""ndjson_server.py - a streaming NDJSON endpoint for tests/e2e/url_stream.sh,
shaped like Twitter's filtered stream: one long chunked GET response, one
JSON event per line, blank keep-alive lines once everything is sent.

  ndjson_server.py --port-file F --events N --drops A,B [--reject-first]
                   [--bad-after K] --log L

It serves events 0..N-1 as {"id": i, "user": "u<i % 7>", "v": i}. The
response to a request with Last-Event-ID: k resumes at event k+1. At each
event id in --drops, the connection is cut in the middle of that event's
line (once per id). --reject-first answers the first request 503 with
Retry-After: 1. --bad-after K sends one malformed line after event K. Each
request's Last-Event-ID and Authorization headers are appended to the log,
one line each: "<last-event-id or -> <authorization or ->".
"""
import argparse
import http.server
import json
import os
import socket
import socketserver
import threading
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--events", type=int, required=True)
    ap.add_argument("--drops", default="")
    ap.add_argument("--reject-first", action="store_true")
    ap.add_argument("--bad-after", type=int, default=-1)
    ap.add_argument("--log", required=True)
    args = ap.parse_args()
    drops = {int(x) for x in args.drops.split(",") if x}
    lock = threading.Lock()
    state = {"requests": 0}

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def chunk(self, data):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

        def do_GET(self):
            last = self.headers.get("Last-Event-ID")
            with lock:
                state["requests"] += 1
                first = state["requests"] == 1
                with open(args.log, "a") as f:
                    f.write("%s %s\n" % (last or "-", self.headers.get("Authorization") or "-"))
            if first and args.reject_first:
                self.send_response(503)
                self.send_header("Retry-After", "1")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ndjson")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            start = int(last) + 1 if last is not None else 0
            batch = []
            for i in range(start, args.events):
                line = json.dumps({"id": i, "user": "u%d" % (i % 7), "v": i}).encode() + b"\n"
                with lock:
                    drop = i in drops
                    drops.discard(i)
                if drop:
                    self.chunk(b"".join(batch) + line[: len(line) // 2])
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                batch.append(line)
                if i == args.bad_after:
                    batch.append(b'{"id": "broken", "user": \n')
                if len(batch) >= 200:
                    self.chunk(b"".join(batch))
                    batch = []
            if batch:
                self.chunk(b"".join(batch))
            # All sent: keep-alives until the client goes away.
            try:
                while True:
                    self.chunk(b"\r\n")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True
        allow_reuse_address = True

    srv = Server(("127.0.0.1", 0), Handler)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    main()
