"""Swagger UI and Redoc in a real browser, served as in production (debug off, collectstatic).

Marked `browser` (deselected by `make test`; `.ci/run` installs Debian's chromium and
chromium-driver and runs it). A server process with the demo data serves the collected
files through WhiteNoise; headless Chromium opens both pages, finds every operation of the
schema listed, and signs in through Swagger UI's "Authorize" to call `users/me/`.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings

from .loopback import free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
        reason="no /usr/bin/chromium and /usr/bin/chromedriver here "
        "(apt-get install chromium chromium-driver; .ci/run does)",
    ),
]

try:  # only this module needs selenium; `make test` never imports it
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:  # pragma: no cover - the dev requirements pin it
    pytestmark.append(pytest.mark.skip(reason="selenium is not installed (requirements-dev)"))

DEMO_EMAIL, DEMO_PASSWORD = "maria@example.com", "learn-demo-2026"
METHODS = {"get", "post", "put", "patch", "delete"}


def _production_env(tmp: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL", "CELERY_BROKER_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="off",
        DJANGO_SECRET_KEY="browser-check-only-secret-key-0123456789abcdefghijklmnop",
        SECURE_SSL_REDIRECT="off",
        DATABASE_URL=f"sqlite:///{tmp / 'browser.sqlite3'}",
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        EMAIL_URL="consolemail://",
    )
    return env


@pytest.fixture(scope="module")
def served_app(tmp_path_factory):
    """The app under gunicorn, debug off, with collected static files and the demo data."""
    tmp = tmp_path_factory.mktemp("browser")
    env = _production_env(tmp)
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    for command in (["migrate", "--noinput"], ["seed_demo"], ["collectstatic", "--noinput"]):
        subprocess.run([*manage, *command, "-v", "0"], env=env, check=True, capture_output=True)
    port = free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    server = subprocess.Popen(
        [gunicorn, "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp / "server.log").open("w"),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if requests.get(f"{base}/healthz", timeout=5).ok:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        yield base
    finally:
        server.kill()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1000",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def operations(served_app):
    schema = requests.get(f"{served_app}/api/v1/schema/?format=json", timeout=30).json()
    return {
        (method, path): operation["operationId"]
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


def _wait(driver, condition, timeout=60):
    return WebDriverWait(driver, timeout).until(condition)


def test_swagger_ui_lists_every_operation_and_authorises(served_app, browser, operations):
    browser.get(f"{served_app}/api/v1/docs/")
    _wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".opblock")) >= len(operations))
    listed = {
        (
            block.find_element(By.CSS_SELECTOR, ".opblock-summary-method").text.lower(),
            block.find_element(By.CSS_SELECTOR, ".opblock-summary-path").get_attribute("data-path"),
        )
        for block in browser.find_elements(By.CSS_SELECTOR, ".opblock")
    }
    assert listed == set(operations)

    token = requests.post(
        f"{served_app}/api/v1/users/login/",
        json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD},
        timeout=30,
    ).json()["access"]
    browser.find_element(By.CSS_SELECTOR, "button.authorize").click()
    field = _wait(
        browser, expected_conditions.element_to_be_clickable((By.CSS_SELECTOR, ".modal-ux input"))
    )
    field.send_keys(token)
    browser.find_element(By.CSS_SELECTOR, ".modal-ux .auth-btn-wrapper button.authorize").click()
    browser.find_element(By.CSS_SELECTOR, ".modal-ux button.btn-done").click()

    me = browser.find_element(By.ID, f"operations-users-{operations[('get', '/api/v1/users/me/')]}")
    me.find_element(By.CSS_SELECTOR, ".opblock-summary").click()
    _wait(
        browser,
        expected_conditions.element_to_be_clickable(
            (By.CSS_SELECTOR, f"#{me.get_attribute('id')} .try-out__btn")
        ),
    ).click()
    me.find_element(By.CSS_SELECTOR, ".execute").click()
    status = _wait(
        browser,
        expected_conditions.visibility_of_element_located(
            (
                By.CSS_SELECTOR,
                f"#{me.get_attribute('id')} .live-responses-table tbody .response-col_status",
            )
        ),
    )
    assert status.text.strip() == "200"
    body = me.find_element(By.CSS_SELECTOR, ".live-responses-table .microlight").text
    assert DEMO_EMAIL in body


def test_redoc_lists_every_operation(served_app, browser, operations):
    browser.get(f"{served_app}/api/v1/redoc/")
    selector = "[data-section-id^='operation/']"
    _wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, selector)) >= len(operations))
    listed = {
        element.get_attribute("data-section-id").removeprefix("operation/")
        for element in browser.find_elements(By.CSS_SELECTOR, selector)
    }
    assert listed == set(operations.values())
