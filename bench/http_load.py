"""Bounded HTTP load against a local server: throughput and latency percentiles.

Usage (with `make run` or gunicorn serving on 127.0.0.1:8000):
    .venv/bin/python bench/http_load.py --path /api/v1/courses/ --requests 2000 --concurrency 8
    .venv/bin/python bench/http_load.py --path /api/v1/enrollments/ --login maria@example.com

Only loopback targets are accepted; every run stops after --requests requests
or --seconds seconds, whichever comes first.
"""

import argparse
import json
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def login(base: str, email: str, password: str) -> str:
    body = json.dumps({"email": email, "password": password}).encode()
    request = urllib.request.Request(
        f"{base}/api/v1/users/login/", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["access"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--path", default="/api/v1/courses/")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--login", help="email of a user to authenticate as")
    parser.add_argument("--password", default="learn-demo-2026")
    args = parser.parse_args()

    if urlparse(args.base).hostname not in LOOPBACK:
        parser.error("only loopback targets are allowed")
    headers = {}
    if args.login:
        headers["Authorization"] = f"Bearer {login(args.base, args.login, args.password)}"

    deadline = time.monotonic() + args.seconds
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def one(_: int) -> None:
        nonlocal errors
        if time.monotonic() > deadline:
            return
        started = time.perf_counter()
        try:
            request = urllib.request.Request(args.base + args.path, headers=headers)
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
            ok = True
        except (urllib.error.URLError, TimeoutError):
            ok = False
        elapsed = time.perf_counter() - started
        with lock:
            if ok:
                latencies.append(elapsed)
            else:
                errors += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        list(pool.map(one, range(args.requests)))
    wall = time.perf_counter() - started

    if not latencies:
        print(f"no successful requests ({errors} errors)")
        return 1
    latencies.sort()
    pct = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000  # noqa: E731
    print(f"{args.path}: {len(latencies)} ok, {errors} errors in {wall:.1f}s")
    print(f"throughput {len(latencies) / wall:.0f} req/s at concurrency {args.concurrency}")
    print(
        f"latency ms: p50 {pct(0.50):.1f}  p95 {pct(0.95):.1f}  p99 {pct(0.99):.1f}  "
        f"mean {statistics.fmean(latencies) * 1000:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
