"""One signed POST of an event to an endpoint, to the very address the guard checked."""

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import certifi
import urllib3

from .addresses import AddressRefused, addresses_allowed, url_parts

TIMEOUT_SECONDS = 5.0
EXCERPT_CHARS = 500
USER_AGENT = "LMS-Webhooks/1.0"


@dataclass(frozen=True)
class Outcome:
    """What one attempt gave: an HTTP status (and the body's start), or why there was none."""

    status_code: int | None = None
    excerpt: str = ""
    error: str = ""

    @property
    def acknowledged(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def signature_header(secret: str, body: bytes, timestamp: int) -> str:
    """`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` (what a receiver recomputes)."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event_body(payload: dict) -> bytes:
    """The exact bytes sent (and signed)."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def _pool(scheme: str, ip: str, port: int, host: str) -> urllib3.HTTPConnectionPool:
    # The connection goes to the address that was checked, not to a second lookup of the
    # name (DNS rebinding); TLS still verifies the certificate against the host name.
    timeout = urllib3.Timeout(total=TIMEOUT_SECONDS)
    if scheme == "https":
        return urllib3.HTTPSConnectionPool(
            ip,
            port,
            timeout=timeout,
            retries=False,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
            assert_hostname=host,
            server_hostname=host,
        )
    return urllib3.HTTPConnectionPool(ip, port, timeout=timeout, retries=False)


def event_post(*, url: str, secret: str, payload: dict) -> Outcome:
    """POST `payload` to `url` once: no redirects followed, 5 s at most, address re-checked."""
    try:
        scheme, host, port = url_parts(url)
        ip = str(addresses_allowed(host, port)[0])
    except AddressRefused as exc:
        return Outcome(error=str(exc)[:200])
    body = event_body(payload)
    parts = urlsplit(url)
    default_port = 443 if scheme == "https" else 80
    headers = {
        "Host": host if port == default_port else f"{host}:{port}",
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "LMS-Event-Id": payload["id"],
        "LMS-Signature": signature_header(secret, body, int(time.time())),
    }
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    pool = _pool(scheme, ip, port, host)
    try:
        response = pool.urlopen(
            "POST",
            target,
            body=body,
            headers=headers,
            redirect=False,
            retries=False,
            assert_same_host=False,
            preload_content=False,
        )
        try:
            excerpt = response.read(EXCERPT_CHARS * 4, decode_content=True)
        finally:
            response.release_conn()
    except urllib3.exceptions.TimeoutError:
        return Outcome(error=f"No answer within {TIMEOUT_SECONDS:g} s.")
    except urllib3.exceptions.HTTPError as exc:
        return Outcome(error=f"Connection failed: {type(exc).__name__}."[:200])
    finally:
        pool.close()
    text = excerpt.decode("utf-8", errors="replace")[:EXCERPT_CHARS]
    return Outcome(status_code=response.status, excerpt=text)
