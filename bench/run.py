"""Side-by-side benchmark: each endpoint against a constant-JSON reference, alternating rounds.

    .venv/bin/python bench/run.py [--seconds 3] [--rounds 3] [--only catalog] [--label demo]

Starts gunicorn (2 sync workers, config.bench_settings) on a free loopback port over
PostgreSQL and Redis, seeds the demo data (idempotent), counts each endpoint's queries with
the test client, then runs wrk: reference, endpoint, reference, endpoint... The table (req/s,
% of the reference in the same rounds, p50/p99, queries) is printed and written to
bench/results/<date>-<commit>[-<label>].md. Bounded: rounds x seconds per endpoint.
"""

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import wrk  # noqa: E402

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3, help="length of one wrk round")
    parser.add_argument("--rounds", type=int, default=3, help="reference/endpoint pairs each")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (keep CPU for us)")
    parser.add_argument("--only", default="", help="endpoints whose name contains this")
    parser.add_argument("--label", default="", help="suffix of the results file (demo, scale)")
    parser.add_argument("--no-seed", action="store_true", help="skip migrate + seed_demo")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lms_bench"
        ),
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    args = parser.parse_args()
    for url in (args.database_url, args.redis_url):
        if urlparse(url).hostname not in LOOPBACK:
            parser.error(f"only loopback services are allowed: {url}")
    return args


def _environment(args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.bench_settings",
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        # A fresh prefix per run: nothing cached by an earlier run (or data set) is served.
        CACHE_KEY_PREFIX=f"bench-{os.getpid()}-{int(time.time())}",
        JWT_ACCESS_MINUTES="240",
        CELERY_BROKER_URL="",
        EMAIL_URL="consolemail://",
    )
    env.pop("DJANGO_DEBUG", None)
    return env


def _database_create(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _gunicorn(env: dict[str, str], port: int) -> subprocess.Popen:
    command = [
        str(GUNICORN), "config.wsgi", "--workers", "2", "--worker-class", "sync",
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 30 s")


def _drain(base: str) -> None:
    """Wait until the workers have answered what the last round left queued (slow logins)."""
    with urllib.request.urlopen(f"{base}/healthz", timeout=60):
        pass


def _round_pair(endpoint, scripts, base, args):
    connections = endpoint.connections or args.connections
    seconds = max(args.seconds, endpoint.seconds)
    _drain(base)
    reference = wrk.run(
        url=base + "/bench/reference/", script=scripts["reference"], seconds=seconds,
        connections=connections, threads=args.threads,
    )  # fmt: skip
    _drain(base)
    measured = wrk.run(
        url=base + endpoint.path, script=scripts[endpoint.name], seconds=seconds,
        connections=connections, threads=args.threads,
    )  # fmt: skip
    return reference, measured


def _row(endpoint, pairs) -> dict:
    ratios = [m.rate / r.rate for r, m in pairs if r.rate]
    return {
        "name": endpoint.name,
        "reference": statistics.median(r.rate for r, _ in pairs),
        "rate": statistics.median(m.rate for _, m in pairs),
        "share": statistics.median(ratios) if ratios else 0.0,
        "p50": statistics.median(m.p50_ms for _, m in pairs),
        "p99": statistics.median(m.p99_ms for _, m in pairs),
        "queries": endpoint.queries,
        "errors": sum(m.errors for _, m in pairs),
        "notes": endpoint.notes,
    }


def _table(rows: list[dict]) -> str:
    lines = [
        "| Endpoint | req/s | reference req/s | % of reference | p50 ms | p99 ms | queries "
        "| errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['name']} | {row['rate']:.0f} | {row['reference']:.0f} | "
            f"{row['share'] * 100:.1f}% | {row['p50']:.1f} | {row['p99']:.1f} | "
            f"{row['queries']} | {row['errors']} |"
        )
    return "\n".join(lines)


def _commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")


def _report(rows, args, commit, load_before, load_after, sizes) -> str:
    now = datetime.now(UTC)
    notes = [f"- {row['name']}: {note}" for row in rows for note in row["notes"]]
    return "\n".join(
        [
            f"# Benchmark {now:%Y-%m-%d %H:%M} UTC, commit {commit}"
            + (f" ({args.label})" if args.label else ""),
            "",
            f"- Machine: {os.cpu_count()} cores, {platform.platform()}; load average before "
            f"{load_before:.2f}, after {load_after:.2f} (other work on the machine adds noise: "
            "compare the % column, measured against the reference in the same rounds).",
            "- Server: gunicorn 2 sync workers, config.bench_settings, PostgreSQL + Redis "
            "on loopback.",
            f"- Load: wrk -t{args.threads} -c{args.connections}, {args.rounds} alternating rounds "
            f"of {args.seconds:g} s (reference, endpoint); medians over the rounds.",
            f"- Data: {sizes}.",
            "- Queries: the second of two identical requests through the test client.",
            "",
            _table(rows),
            "",
            *(["Notes:", *notes, ""] if notes else []),
        ]
    )


def _sizes() -> str:
    from django.db import connection

    tables = {
        "users": "users_user",
        "courses": "courses_course",
        "enrollments": "enrollments_enrollment",
        "progress rows": "enrollments_lessonprogress",
        "submissions": "quizzes_quizsubmission",
    }
    with connection.cursor() as cursor:
        parts = []
        for label, table in tables.items():
            # The planner's estimate: exact counts of big tables would take seconds.
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table])
            estimate = cursor.fetchone()[0]
            if estimate < 100_000:
                cursor.execute(f"SELECT count(*) FROM {table}")
                estimate = cursor.fetchone()[0]
            parts.append(f"{estimate:,} {label}")
    return ", ".join(parts)


def main() -> int:
    if wrk.wrk_path() is None:
        print(wrk.WRK_MISSING, file=sys.stderr)
        return 2
    args = _arguments()
    env = _environment(args)
    _database_create(args.database_url)
    manage = [str(PYTHON), "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    if not args.no_seed:
        subprocess.run(
            [*manage, "seed_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )

    os.environ.update(env)
    import django

    django.setup()
    from bench import scenario

    chosen = [e for e in scenario.endpoints() if args.only.lower() in e.name.lower()]
    for endpoint in chosen:
        scenario.count_queries(endpoint)
    sizes = _sizes()
    from django.db import connections

    connections.close_all()

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    load_before = os.getloadavg()[0]
    server = _gunicorn(env, port)
    rows = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            scripts = {"reference": Path(folder) / "reference.lua"}
            scripts["reference"].write_text(wrk.lua_script(method="GET", body=None, headers={}))
            for index, endpoint in enumerate(chosen):
                script = Path(folder) / f"endpoint-{index}.lua"
                script.write_text(
                    wrk.lua_script(
                        method=endpoint.method,
                        body=endpoint.body_text(),
                        headers=endpoint.headers(),
                    )
                )
                scripts[endpoint.name] = script
            for endpoint in chosen:
                if endpoint.notes:  # not a 2xx answer: measuring it would measure an error
                    continue
                pairs = [_round_pair(endpoint, scripts, base, args) for _ in range(args.rounds)]
                rows.append(_row(endpoint, pairs))
                print(_table(rows[-1:]).splitlines()[-1], flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    load_after = os.getloadavg()[0]

    commit = _commit()
    report = _report(rows, args, commit, load_before, load_after, sizes)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    suffix = f"-{args.label}" if args.label else ""
    path = results / f"{datetime.now(UTC):%Y-%m-%d}-{commit}{suffix}.md"
    path.write_text(report + "\n")
    print()
    print(report)
    print(f"written to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
