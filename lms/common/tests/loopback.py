"""Real stand-ins on loopback for the tests: a free port, an SMTP server."""

import socket

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def smtp_serve(settings, handler) -> Controller:
    """Start an aiosmtpd server with `handler` and send the project's mail to it (plain
    SMTP, 5 s timeout, near-instant retries). The caller stops the returned controller."""
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 0.01
    return controller
