#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
from pathlib import Path


def _developer_checkout() -> bool:
    """No secret key in the environment or a .env file: a developer's own checkout."""
    return "DJANGO_SECRET_KEY" not in os.environ and not (Path(__file__).parent / ".env").exists()


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if _developer_checkout():
        # Commands run in a fresh clone (makemigrations, shell, runserver) work without
        # configuration. Servers never get here: config.wsgi still refuses to start
        # without a secret key unless debug is set on explicitly.
        os.environ.setdefault("DJANGO_DEBUG", "on")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
