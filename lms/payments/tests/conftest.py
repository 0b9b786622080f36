"""Stripe stand-ins: a loopback HTTP server for its API, and signed webhook deliveries."""

import hashlib
import hmac
import itertools
import json
import re
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from lms.courses.tests.factories import CourseFactory
from lms.users.tests.factories import InstructorFactory, StudentFactory

WEBHOOK_SECRET = "whsec_test_secret_for_tests_only"
WEBHOOK_URL = "/api/v1/payments/webhook/stripe/"


class _StripeAPIHandler(BaseHTTPRequestHandler):
    """Answers the two Stripe calls the app makes, and remembers what it was sent."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        form = {key: values[0] for key, values in parse_qs(body).items()}
        server = self.server
        server.requests.append({"path": self.path, "form": form, "headers": dict(self.headers)})
        if server.on_request is not None:
            server.on_request(self.path)
        if server.fail or self.path in server.fail_paths:
            return self._answer(500, {"error": {"type": "api_error", "message": "Stand-in down"}})
        expired = re.fullmatch(r"/v1/checkout/sessions/(cs_test_\w+)/expire", self.path)
        if expired:
            return self._answer(
                200, {"id": expired[1], "object": "checkout.session", "status": "expired"}
            )
        if self.path == "/v1/checkout/sessions":
            session_id = f"cs_test_{next(server.ids)}"
            return self._answer(
                200,
                {
                    "id": session_id,
                    "object": "checkout.session",
                    "url": f"https://checkout.stripe.test/c/pay/{session_id}",
                    "client_reference_id": form.get("client_reference_id"),
                    "metadata": {"payment_id": form.get("metadata[payment_id]")},
                    "payment_status": "unpaid",
                    "status": "open",
                },
            )
        if self.path == "/v1/refunds":
            refund_id = f"re_test_{next(server.ids)}"
            return self._answer(200, {"id": refund_id, "object": "refund", "status": "succeeded"})
        return self._answer(404, {"error": {"type": "invalid_request_error", "message": "?"}})

    def _answer(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # keep test output quiet
        pass


@pytest.fixture
def stripe_api(settings):
    """A Stripe API stand-in on 127.0.0.1, with the app configured for Stripe against it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StripeAPIHandler)
    server.requests, server.fail, server.ids = [], False, itertools.count(1)
    server.fail_paths = set()  # paths answered with a 500
    server.on_request = None  # a test's probe, run while the app waits for the answer
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.PAYMENT_PROVIDER = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_stand_in"
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{server.server_address[1]}"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    yield server
    server.shutdown()
    server.server_close()


def stripe_signature(payload: str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None):
    """A `Stripe-Signature` header for `payload`, built the way Stripe builds it."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


@pytest.fixture
def post_stripe_event(api_client, settings):
    """Deliver an event to the webhook, signed with the test secret unless told otherwise."""
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET

    def post(event: dict, *, client=None, **signing):
        payload = json.dumps(event)
        return (client or api_client).post(
            WEBHOOK_URL,
            data=payload,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=stripe_signature(payload, **signing),
        )

    return post


def session_event(payment, *, event_id="evt_1", event_type="checkout.session.completed", **over):
    """A Checkout Session event that matches `payment` unless fields are overridden."""
    session = {
        "id": payment.provider_reference,
        "object": "checkout.session",
        "client_reference_id": str(payment.pk),
        "metadata": {"payment_id": str(payment.pk)},
        "amount_total": int(payment.amount * 100),
        "currency": payment.currency.lower(),
        "payment_status": "paid",
        "payment_intent": "pi_test_1",
    }
    session.update(over)
    return {"id": event_id, "object": "event", "type": event_type, "data": {"object": session}}


def charge_refunded_event(payment, *, event_id="evt_refund", **over):
    """A full-refund `charge.refunded` event for `payment`'s PaymentIntent."""
    charge = {
        "id": "ch_test_1",
        "object": "charge",
        "payment_intent": payment.provider_payment_id,
        "metadata": {"payment_id": str(payment.pk)},
        "refunded": True,
    }
    charge.update(over)
    return {
        "id": event_id,
        "object": "event",
        "type": "charge.refunded",
        "data": {"object": charge},
    }


@pytest.fixture
def paid_course(db):
    return CourseFactory(
        price=Decimal("49.00"),
        currency="USD",
        title="Django REST APIs",
        instructor=InstructorFactory(),
    )


@pytest.fixture
def other_student(db):
    return StudentFactory()
