"""A stand-in for the WhatsApp Cloud API: http.server in a thread, no network.

`answers` is the queue of (status, JSON body) it gives, one per request; when
empty it answers 200 with a message id. Every request is kept in `requests`
as (path, headers, JSON body).
"""

import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class CloudApiStub:
    def __init__(self):
        self.answers: list[tuple[int, dict]] = []
        self.requests: list[tuple[str, dict, dict]] = []
        self.url = ""


@contextmanager
def cloud_api():
    stub = CloudApiStub()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            stub.requests.append((self.path, dict(self.headers), body))
            status, answer = (
                stub.answers.pop(0)
                if stub.answers
                else (200, {"messages": [{"id": "wamid.TEST"}]})
            )
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    stub.url = f"http://127.0.0.1:{server.server_address[1]}/v21.0"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
