"""A real HTTP receiver on loopback, and endpoints that point at it."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from lms.webhooks.models import WebhookEndpoint


class _Receiver(BaseHTTPRequestHandler):
    """Records each POST; answers with the next scripted status (200 when the script is empty)."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        server = self.server
        with server.lock:
            server.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
            status = server.script.pop(0) if server.script else 200
        self.send_response(status)
        if status in (301, 302, 307, 308):
            self.send_header("Location", "/elsewhere")
        payload = json.dumps({"ok": status < 300}).encode()
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver(settings):
    """`receiver.url`, `.received` (what came in) and `.script` (statuses to answer with)."""
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    server.received, server.script, server.lock = [], [], threading.Lock()
    server.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/lms"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def endpoint(receiver, db):
    return WebhookEndpoint.objects.create(
        url=receiver.url, events=["*"], secret="whsec_test_secret_0123456789"
    )
