"""CPU per request in one process, each endpoint against the reference: a steadier share.

    .venv/bin/python bench/cpu_share.py [--blocks 5] [--requests 50] [--only courses]

wrk's req/s on a shared machine swing with whatever else runs; the CPU time this process
spends per request (`time.process_time`, Django's test client, no network) does not. It
leaves out what happens in PostgreSQL and Redis, so it is a complement to `make bench`,
not a replacement: shares here are upper bounds of what wrk can show. Uses the same
database and settings as `bench/run.py` (`BENCH_DATABASE_URL`, `BENCH_REDIS_URL`).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=5)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.bench_settings",
        DATABASE_URL=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lms_bench"
        ),
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
        CACHE_KEY_PREFIX=f"bench-cpu-{os.getpid()}",
    )
    import django

    django.setup()
    from django.test import Client

    from bench import scenario

    client = Client()
    reference = scenario.Endpoint("reference", "GET", scenario.REFERENCE)

    def cpu_ms(endpoint) -> float:
        extra = {"HTTP_AUTHORIZATION": f"Bearer {endpoint.token}"} if endpoint.token else {}
        send = getattr(client, endpoint.method.lower())
        body = () if endpoint.body is None else (endpoint.body_text(), "application/json")
        send(endpoint.path, *body, **extra)
        started = time.process_time()
        for _ in range(args.requests):
            send(endpoint.path, *body, **extra)
        return (time.process_time() - started) / args.requests * 1000

    print("| Endpoint | CPU ms/request | reference CPU ms | share |")
    print("|---|---:|---:|---:|")
    for endpoint in scenario.endpoints():
        if args.only.lower() not in endpoint.name.lower() or "login" in endpoint.name:
            continue
        pairs = [(cpu_ms(reference), cpu_ms(endpoint)) for _ in range(args.blocks)]
        ref = statistics.median(r for r, _ in pairs)
        own = statistics.median(m for _, m in pairs)
        share = statistics.median(r / m for r, m in pairs)
        print(f"| {endpoint.name} | {own:.2f} | {ref:.2f} | {share:.0%} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
