#!/usr/bin/env python3
"""fake_es.py - a stand-in for Elasticsearch's _bulk API, for the ELASTICSEARCH
sink's tests (Debian has no Elasticsearch).

  fake_es.py --port-file F [--port P] [--seed S] [--fail-requests X]
             [--fail-items X] [--poison FIELD=VALUE] [--state FILE]

It listens on 127.0.0.1 (port P, or a free one) and writes the port to F
(then prints it). POST /_bulk and POST /{index}/_bulk are checked line by
line as Elasticsearch does, and a malformed request is answered 400 with an
ES-shaped error (406 for a Content-Type other than application/x-ndjson or
application/json): the body must end with a newline; each action line is a
JSON object with exactly one of index, create, update, delete, whose value
is an object with an _index (or the index in the URL); index, create and
update are followed by a line holding a JSON object (update's {"doc": ...}).
Documents are kept in memory per index and _id; the answer is ES's
{"took", "errors", "items": [...]} with per-item status and result
(a delete of a missing document: 404 "not_found", not an error).

Faults, drawn from random.Random(seed) in the order requests arrive:
  --fail-requests X  that share of requests is answered 503 or 429; half of
                     the 503s are applied first (the answer is lost, as in a
                     timeout after the write)
  --fail-items X     that share of items is answered 429
                     es_rejected_execution_exception (not applied)
  --poison F=V       a document whose field F is the string or number V is
                     refused 400 mapper_parsing_exception, every time
--state FILE keeps the documents and counters across a restart, as a real
node keeps what it acknowledged: read from FILE at start when it exists,
written to it on SIGTERM (between two requests) before exiting.
For unit tests, POST /_fake/fail_next?status=N[&after=K] answers the
_bulk after the next K with N (without applying it), and POST /_fake/fail_next_items?count=N answers the next _bulk's first N
items 429.

To read back (ES-compatible): GET /{index}/_search?size=N (documents in
_id order, "hits.total.value" the count), GET /{index}/_count, GET
/_cat/count. Not ES: GET /_fake/stats, counters as JSON (requests,
failed_requests, applied_then_failed, failed_items, refused_items,
bad_requests, bulk_items, last_headers of the last _bulk).
"""
import argparse
import http.server
import json
import os
import random
import signal
import threading
import time
import urllib.parse

ACTIONS = ("index", "create", "update", "delete")


class BadRequest(Exception):
    def __init__(self, kind, reason, status=400):
        super().__init__(reason)
        self.kind, self.reason, self.status = kind, reason, status


def es_error(kind, reason, status):
    cause = {"type": kind, "reason": reason}
    return {"error": {"root_cause": [cause], "type": kind, "reason": reason}, "status": status}


def parse_bulk(body, url_index):
    """The (action, meta, source) triples of a bulk body, or BadRequest as ES words it."""
    if not body:
        raise BadRequest("parse_exception", "request body is required")
    if not body.endswith(b"\n"):
        raise BadRequest("illegal_argument_exception",
                         "The bulk request must be terminated by a newline [\\n]")
    lines = body.split(b"\n")[:-1]
    ops, i = [], 0
    while i < len(lines):
        line_no = i + 1
        if not lines[i].strip():
            i += 1
            continue
        try:
            action = json.loads(lines[i])
        except ValueError as e:
            raise BadRequest("x_content_parse_exception", "[%d:1] %s" % (line_no, e))
        if not isinstance(action, dict) or len(action) != 1:
            raise BadRequest("illegal_argument_exception",
                             "Malformed action/metadata line [%d], expected START_OBJECT or "
                             "END_OBJECT but found [%s]" % (line_no, type(action).__name__))
        (name, meta), = action.items()
        if name not in ACTIONS:
            raise BadRequest("illegal_argument_exception",
                             "Action/metadata line [%d] contains an unknown parameter [%s]"
                             % (line_no, name))
        if not isinstance(meta, dict):
            raise BadRequest("illegal_argument_exception",
                             "Malformed action/metadata line [%d], expected START_OBJECT but "
                             "found [%s]" % (line_no, type(meta).__name__))
        index = meta.get("_index", url_index)
        if not index:
            raise BadRequest("action_request_validation_exception",
                             "Validation Failed: 1: index is missing;")
        doc_id = meta.get("_id")
        if doc_id is not None and (not isinstance(doc_id, str) or len(doc_id.encode()) > 512):
            raise BadRequest("action_request_validation_exception",
                             "Validation Failed: 1: id is too long or not a string;")
        if name in ("update", "delete") and doc_id is None:
            raise BadRequest("action_request_validation_exception",
                             "Validation Failed: 1: id is missing;")
        source = None
        i += 1
        if name != "delete":
            if i >= len(lines):
                raise BadRequest("illegal_argument_exception",
                                 "The bulk request must be terminated by a newline [\\n]")
            try:
                source = json.loads(lines[i])
            except ValueError as e:
                raise BadRequest("x_content_parse_exception", "[%d:1] %s" % (i + 1, e))
            if not isinstance(source, dict):
                raise BadRequest("mapper_parsing_exception", "failed to parse, document is empty")
            if name == "update":
                source = source.get("doc")
                if not isinstance(source, dict):
                    raise BadRequest("action_request_validation_exception",
                                     "Validation Failed: 1: script or doc is missing;")
            i += 1
        ops.append((name, index, doc_id, source))
    if not ops:
        raise BadRequest("action_request_validation_exception",
                         "Validation Failed: 1: no requests added;")
    return ops


class FakeES:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.lock = threading.Lock()
        self.indices = {}  # index -> {_id: (version, source)}
        self.next_auto_id = 0
        self.fail_next = []
        self.fail_next_items = 0
        self.stats = {"requests": 0, "failed_requests": 0, "applied_then_failed": 0,
                      "failed_items": 0, "refused_items": 0, "bad_requests": 0,
                      "bulk_items": 0, "last_headers": {}}
        self.poison = None
        if args.poison:
            field, value = args.poison.split("=", 1)
            self.poison = (field, value)

    def save_and_exit(self, path):
        # the lock is never released: no request is acknowledged after the save
        self.lock.acquire()
        state = {"indices": self.indices, "next_auto_id": self.next_auto_id, "stats": self.stats}
        with open(path + ".tmp", "w") as f:
            json.dump(state, f)
        os.rename(path + ".tmp", path)
        os._exit(0)

    def load(self, path):
        with open(path) as f:
            state = json.load(f)
        self.indices = {index: {k: tuple(v) for k, v in docs.items()}
                        for index, docs in state["indices"].items()}
        self.next_auto_id = state["next_auto_id"]
        self.stats = state["stats"]

    def poisoned(self, source):
        if not self.poison or self.poison[0] not in source:
            return False
        return str(source[self.poison[0]]) == self.poison[1]

    def apply(self, name, index, doc_id, source, fail_item):
        """One item's answer (applied unless it fails)."""
        docs = self.indices.setdefault(index, {})
        if doc_id is None:
            doc_id = "auto-%d" % self.next_auto_id
            self.next_auto_id += 1
        head = {"_index": index, "_id": doc_id}
        if fail_item:
            self.stats["failed_items"] += 1
            return dict(head, status=429, error={
                "type": "es_rejected_execution_exception",
                "reason": "rejected execution of coordinating operation [fake queue full]"})
        if name != "delete" and self.poisoned(source):
            self.stats["refused_items"] += 1
            field, value = self.poison
            return dict(head, status=400, error={
                "type": "mapper_parsing_exception",
                "reason": "failed to parse field [%s] of type [long] in document with id '%s'. "
                          "Preview of field's value: '%s'" % (field, doc_id, value)})
        old = docs.get(doc_id)
        version = (old[0] if old else 0) + 1
        if name == "delete":
            if not old:
                return dict(head, _version=1, result="not_found", status=404)
            del docs[doc_id]
            return dict(head, _version=version, result="deleted", status=200)
        if name == "create" and old:
            return dict(head, status=409, error={
                "type": "version_conflict_engine_exception",
                "reason": "[%s]: version conflict, document already exists" % doc_id})
        if name == "update":
            if not old:
                return dict(head, status=404, error={
                    "type": "document_missing_exception", "reason": "[%s]: document missing" % doc_id})
            source = dict(old[1], **source)
        docs[doc_id] = (version, source)
        return dict(head, _version=version, result="updated" if old else "created",
                    status=200 if old else 201)

    def bulk(self, body, url_index, headers):
        """(status, answer) of one _bulk request."""
        with self.lock:
            self.stats["requests"] += 1
            self.stats["last_headers"] = headers
            ctype = headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype not in ("application/x-ndjson", "application/json"):
                self.stats["bad_requests"] += 1
                return 406, {"error": "Content-Type header [%s] is not supported" % ctype,
                             "status": 406}
            try:
                ops = parse_bulk(body, url_index)
            except BadRequest as e:
                self.stats["bad_requests"] += 1
                return e.status, es_error(e.kind, e.reason, e.status)
            applied_then_failed = False
            if self.fail_next:
                forced = self.fail_next.pop(0)
            elif self.rng.random() < self.args.fail_requests:
                forced = self.rng.choice((503, 503, 429))
                applied_then_failed = forced == 503 and self.rng.random() < 0.5
            else:
                forced = None
            if forced and not applied_then_failed:
                self.stats["failed_requests"] += 1
                return forced, es_error("unavailable" if forced == 503 else
                                        "es_rejected_execution_exception",
                                        "fake failure of the whole request", forced)
            items, errors = [], False
            fail_first = self.fail_next_items
            self.fail_next_items = 0
            for n, (name, index, doc_id, source) in enumerate(ops):
                fail_item = n < fail_first or self.rng.random() < self.args.fail_items
                item = self.apply(name, index, doc_id, source, fail_item)
                errors = errors or "error" in item
                items.append({name: item})
            self.stats["bulk_items"] += len(ops)
            if applied_then_failed:
                self.stats["failed_requests"] += 1
                self.stats["applied_then_failed"] += 1
                return forced, es_error("unavailable", "fake failure after the write", forced)
            return 200, {"took": 1, "errors": errors, "items": items}

    def search(self, index, size):
        with self.lock:
            docs = self.indices.get(index, {})
            hits = [{"_index": index, "_id": k, "_version": v[0], "_source": v[1]}
                    for k, v in sorted(docs.items())[:size]]
            return {"took": 1, "timed_out": False,
                    "hits": {"total": {"value": len(docs), "relation": "eq"}, "hits": hits}}


def serve(es, port):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # one write per answer, sent at once: headers and body in two small writes
        # meet the client's delayed ACK and cost 40 ms a request
        wbufsize = 1 << 16
        disable_nagle_algorithm = True

        def log_message(self, *a):
            pass

        def answer(self, status, obj, ctype="application/json"):
            data = obj.encode() if isinstance(obj, str) else json.dumps(obj).encode()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def body(self):
            n = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(n) if n else b""

        def do_POST(self):
            url = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            parts = [p for p in url.path.split("/") if p]
            body = self.body()
            if parts == ["_fake", "fail_next"]:
                with es.lock:
                    es.fail_next += [None] * int(query.get("after", "0"))
                    es.fail_next.append(int(query.get("status", "503")))
                return self.answer(200, {"acknowledged": True})
            if parts == ["_fake", "fail_next_items"]:
                with es.lock:
                    es.fail_next_items = int(query.get("count", "1"))
                return self.answer(200, {"acknowledged": True})
            if parts and parts[-1] == "_bulk" and len(parts) <= 2:
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, answer = es.bulk(body, parts[0] if len(parts) == 2 else None, headers)
                return self.answer(status, answer)
            self.answer(400, es_error("illegal_argument_exception",
                                      "no handler found for uri [%s] and method [POST]" % self.path,
                                      400))

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            parts = [p for p in url.path.split("/") if p]
            if not parts:
                return self.answer(200, {"name": "fake_es", "version": {"number": "8.0.0-fake"},
                                         "tagline": "You Know, for Search"})
            if parts == ["_fake", "stats"]:
                with es.lock:
                    return self.answer(200, es.stats)
            if parts == ["_cat", "count"]:
                with es.lock:
                    n = sum(len(d) for d in es.indices.values())
                return self.answer(200, "%d %s %d\n" % (time.time(), time.strftime("%H:%M:%S"), n),
                                   "text/plain")
            if len(parts) == 2 and parts[1] in ("_search", "_count"):
                with es.lock:
                    known = parts[0] in es.indices
                if not known:
                    return self.answer(404, es_error("index_not_found_exception",
                                                     "no such index [%s]" % parts[0], 404))
                result = es.search(parts[0], int(query.get("size", "10")))
                if parts[1] == "_count":
                    result = {"count": result["hits"]["total"]["value"]}
                return self.answer(200, result)
            self.answer(404, es_error("resource_not_found_exception", "unknown path", 404))

    class Server(http.server.ThreadingHTTPServer):
        allow_reuse_address = True
        daemon_threads = True

        def handle_error(self, request, client_address):
            pass  # a client killed mid-request (the crash tests) is no news

    server = Server(("127.0.0.1", port), Handler)
    return server


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--fail-requests", type=float, default=0.0)
    ap.add_argument("--fail-items", type=float, default=0.0)
    ap.add_argument("--poison", default="")
    ap.add_argument("--state", default="")
    args = ap.parse_args()
    es = FakeES(args)
    if args.state:
        if os.path.exists(args.state):
            es.load(args.state)
        signal.signal(signal.SIGTERM, lambda signum, frame: es.save_and_exit(args.state))
    server = serve(es, args.port)
    port = server.server_address[1]
    with open(args.port_file + ".tmp", "w") as f:
        f.write("%d\n" % port)
    os.rename(args.port_file + ".tmp", args.port_file)
    print(port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
