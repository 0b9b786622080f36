"""Running wrk (the load generator) and reading its report: req/s, p50, p99, errors."""

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

WRK_MISSING = (
    "wrk (the load generator) is not installed: `apt-get install -y wrk` (Debian/Ubuntu) "
    "or `brew install wrk`, then rerun `make bench`."
)
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_LATENCY = re.compile(r"^\s*(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m)\s*$", re.MULTILINE)
_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
_REQUESTS = re.compile(r"^\s*(\d+) requests in", re.MULTILINE)


@dataclass
class WrkResult:
    rate: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def wrk_path() -> str | None:
    return shutil.which("wrk")


def lua_script(*, method: str, body: str | None, headers: dict[str, str]) -> str:
    """A wrk script sending `method` with `body` and `headers` on every request."""
    lines = [f"wrk.method = {_lua_string(method)}"]
    if body is not None:
        lines.append(f"wrk.body = {_lua_string(body)}")
    lines += [f"wrk.headers[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items()]
    return "\n".join(lines) + "\n"


def _lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def parse(output: str) -> WrkResult:
    """The numbers of a `wrk --latency` report; a report without them raises ValueError."""
    rate = _RATE.search(output)
    latencies = {pct: float(v) * _UNIT_MS[unit] for pct, v, unit in _LATENCY.findall(output)}
    requests = _REQUESTS.search(output)
    if rate is None or set(latencies) != {"50", "99"} or requests is None:
        raise ValueError(f"not a wrk --latency report:\n{output}")
    errors = sum(int(n) for n in _NON_2XX.findall(output))
    socket = _SOCKET_ERRORS.search(output)
    if socket:
        errors += sum(int(n) for n in socket.groups())
    return WrkResult(
        rate=float(rate.group(1)),
        p50_ms=latencies["50"],
        p99_ms=latencies["99"],
        requests=int(requests.group(1)),
        errors=errors,
    )


def run(*, url: str, script: Path, seconds: float, connections: int, threads: int) -> WrkResult:
    """One bounded wrk round against `url` (loopback only)."""
    command = [
        wrk_path() or "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(script),
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, check=True)
    return parse(done.stdout)
