"""The benchmark harness's pieces that need no wrk: reference views and the report parser."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import clear_url_caches

from bench import wrk

WRK_REPORT = """Running 3s test @ http://127.0.0.1:8123/bench/reference/
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     6.10ms    2.00ms  40.00ms   90.00%
    Req/Sec     2.70k   100.00     2.90k    70.00%
  Latency Distribution
     50%  812.00us
     75%    7.00ms
     90%    9.00ms
     99%    1.20s
  8100 requests in 3.00s, 2.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   2700.50
Transfer/sec:    682.00KB
"""


def test_wrk_report_is_read_in_milliseconds():
    result = wrk.parse(WRK_REPORT)

    assert result.rate == 2700.50
    assert result.p50_ms == pytest.approx(0.812)
    assert result.p99_ms == pytest.approx(1200.0)
    assert result.requests == 8100
    assert result.errors == 7


def test_a_report_without_numbers_is_refused():
    with pytest.raises(ValueError, match="not a wrk"):
        wrk.parse("unable to connect to 127.0.0.1:9 Connection refused")


def test_lua_script_quotes_the_body():
    script = wrk.lua_script(method="PUT", body='{"a": "b\\\\"}', headers={"X": "y"})

    assert 'wrk.method = "PUT"' in script
    assert 'wrk.body = "{\\"a\\": \\"b\\\\\\\\\\"}"' in script
    assert 'wrk.headers["X"] = "y"' in script


@pytest.fixture
def bench_urls(settings):
    settings.ROOT_URLCONF = "config.bench_urls"
    clear_url_caches()
    yield
    clear_url_caches()


@pytest.mark.django_db
def test_reference_view_is_constant_json_without_queries(bench_urls, api_client):
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get("/bench/reference/")

    assert response.status_code == 200
    assert response.json() == {"id": 1, "title": "Reference", "items": [1, 2, 3], "ok": True}
    assert len(queries) == 0


@pytest.mark.django_db
def test_authenticated_reference_needs_a_token(bench_urls, api_client, student):
    assert api_client.get("/bench/reference-auth/").status_code == 401
    api_client.force_authenticate(student)
    assert api_client.get("/bench/reference-auth/").status_code == 200


@pytest.mark.django_db
def test_the_api_never_serves_the_reference(api_client):
    assert api_client.get("/bench/reference/").status_code == 404
