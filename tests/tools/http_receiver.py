#!/usr/bin/env python3
"""http_receiver.py - a webhook receiver for the HTTP sink's tests: it records
every POST (path, Idempotency-Key, Content-Type, the other headers, body,
the status it answered) and fails some.

  http_receiver.py --port-file F [--port P] [--seed S] [--fail X] [--log L]

It listens on 127.0.0.1 (port P, or a free one), writes the port to F (then
prints it). A POST is answered 200 {"ok": true}, or, for a share X of them
drawn from random.Random(S) in arrival order, 503 with Retry-After: 1 or
429; half of those 503s are recorded as received first (the answer is
lost, as in a timeout after the receiver took the body), so the sender
sends the same Idempotency-Key again. A key already received is answered
200 again and recorded with "repeat": true.

--log L appends each received request (those answered 2xx and the
received-then-failed ones) to L as one JSON line: {"key", "content_type",
"path", "headers", "body", "repeat", "status"}.

SIGTERM stops it between two requests (never halfway through a log line);
started again with the same --log, it knows the keys logged there as
received, as a receiver that honours Idempotency-Key remembers them.

For unit tests: POST /_fake/fail_next?status=N[&retry_after=S][&after=K]
answers the POST after the next K with N (not recorded as received); GET /_fake/requests lists every
request seen, the failed ones too, as a JSON array of those objects.
"""
import argparse
import http.server
import json
import os
import random
import signal
import threading
import urllib.parse


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--fail", type=float, default=0.0)
    ap.add_argument("--log", default="")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    lock = threading.Lock()
    seen, received_keys, fail_next = [], set(), []
    if args.log and os.path.exists(args.log):
        with open(args.log) as f:
            received_keys.update(json.loads(line)["key"] for line in f)

    def stop(signum, frame):
        lock.acquire()  # never released: nothing is received after this
        os._exit(0)
    signal.signal(signal.SIGTERM, stop)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # one write per answer, sent at once: headers and body in two small writes
        # meet the client's delayed ACK and cost 40 ms a request
        wbufsize = 1 << 16
        disable_nagle_algorithm = True

        def log_message(self, *a):
            pass

        def answer(self, status, obj, extra=()):
            data = json.dumps(obj).encode()
            self.send_response(status)
            for name, value in extra:
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            url = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n) if n else b""
            if url.path == "/_fake/fail_next":
                with lock:
                    fail_next.extend([None] * int(query.get("after", "0")))
                    fail_next.append((int(query.get("status", "503")), query.get("retry_after")))
                return self.answer(200, {"ok": True})
            key = self.headers.get("Idempotency-Key")
            record = {"key": key, "content_type": self.headers.get("Content-Type"),
                      "path": url.path, "body": body.decode("utf-8", "replace"),
                      "headers": {k.lower(): v for k, v in self.headers.items()}}
            with lock:
                status, retry_after, received = 200, None, True
                forced = fail_next.pop(0) if fail_next else None
                if forced:
                    (status, retry_after), received = forced, False
                elif rng.random() < args.fail:
                    status = rng.choice((503, 503, 429))
                    retry_after = "1"
                    received = status == 503 and rng.random() < 0.5
                record["status"] = status
                record["repeat"] = key in received_keys
                seen.append(record)
                if received:
                    received_keys.add(key)
                    if args.log:
                        with open(args.log, "a") as f:
                            f.write(json.dumps(record) + "\n")
            extra = [("Retry-After", retry_after)] if retry_after else []
            if status == 200:
                return self.answer(200, {"ok": True})
            self.answer(status, {"error": "fake failure %d" % status}, extra)

        def do_GET(self):
            if self.path == "/_fake/requests":
                with lock:
                    return self.answer(200, seen)
            self.answer(404, {"error": "unknown path"})

    class Server(http.server.ThreadingHTTPServer):
        allow_reuse_address = True
        daemon_threads = True

        def handle_error(self, request, client_address):
            pass  # a client killed mid-request (the crash tests) is no news

    server = Server(("127.0.0.1", args.port), Handler)
    with open(args.port_file + ".tmp", "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(args.port_file + ".tmp", args.port_file)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
