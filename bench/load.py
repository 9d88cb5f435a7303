"""A bounded load run with wrk against gunicorn on loopback (issue 9: agent queue, ticket page,
portal; 60 s at 50 connections each; zero errors wanted).

    python bench/load.py [--duration 60] [--connections 50] [--workers 2]
    DESTEK_DATA_DIR=… python bench/load.py --workspace bench --ticket N   # the 1M-ticket desk

It builds a throw-away data directory with the demo workspace (unless DESTEK_DATA_DIR is set),
starts ``destek web`` on a free loopback port, signs in as a demo agent, runs ``wrk`` once per
page and prints a Markdown table: requests/s, p50/p99 latency, non-2xx/3xx answers and socket
errors. wrk is the Debian package (scripts/system-deps.sh installs it). Everything stops by
itself: wrk's duration is fixed and the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DESTEK = [sys.executable, "-m", "destek"]
AGENT = ("ayse@demo.destek.test", "destek-demo")
BENCH_AGENT = "temsilci01@bench.test:bench-pass"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (loopback only)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"server did not answer at {url}")


def sign_in(base: str, agent: tuple[str, str]) -> str:
    """The agent's session cookie, through the real login form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"username": agent[0], "password": agent[1], "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(f"{base}/accounts/login/", data=form)
    request.add_header("Referer", f"{base}/accounts/login/")
    opener.open(request)
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise SystemExit(f"could not sign in as {agent[0]}")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def wrk(url: str, *, cookie: str, duration: int, connections: int) -> dict[str, str]:
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "30s",
        "--latency",
        url,
    ]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s*(50|99)%\s+(\S+)\s*$", out, re.M))
    return {
        "requests/s": re.search(r"Requests/sec:\s+(\S+)", out).group(1),
        "p50": latency.get("50", "?"),
        "p99": latency.get("99", "?"),
        "requests": re.search(r"(\d+) requests in", out).group(1),
        "non-2xx/3xx": (re.search(r"Non-2xx or 3xx responses: (\d+)", out) or [0, "0"])[1],
        "socket errors": (re.search(r"Socket errors: (.*)$", out, re.M) or [0, "none"])[1],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--workspace",
        help="an existing workspace (e.g. bench from bench/generate.py) instead of the demo",
    )
    parser.add_argument("--agent", default=BENCH_AGENT, help="EMAIL:PASSWORD with --workspace")
    parser.add_argument("--ticket", type=int, default=1, help="ticket number for the ticket page")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    scratch = None
    env = dict(os.environ)
    if "DESTEK_DATA_DIR" not in env:
        scratch = tempfile.mkdtemp(prefix="destek-load-")
        env["DESTEK_DATA_DIR"] = scratch
    port = free_port()
    env |= {"DESTEK_BIND": f"127.0.0.1:{port}", "DESTEK_WEB_WORKERS": str(args.workers)}
    subprocess.run([*DESTEK, "migrate", "--no-input", "-v", "0"], env=env, cwd=REPO, check=True)
    if not args.workspace:
        subprocess.run([*DESTEK, "demo", "--if-empty"], env=env, cwd=REPO, check=True)
    slug = args.workspace or "demo"
    agent = tuple(args.agent.split(":", 1)) if args.workspace else AGENT
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603
        [*DESTEK, "web", "--log-level", "warning", "--access-logfile", "/dev/null"],
        env=env,
        cwd=REPO,
        start_new_session=True,
    )
    try:
        wait_for(f"{base}/accounts/login/")
        cookie = sign_in(base, agent)
        pages = [
            ("agent queue", f"{base}/w/{slug}/tickets/", cookie),
            ("ticket page", f"{base}/w/{slug}/t/{args.ticket}/", cookie),
            ("portal home", f"{base}/s/{slug}/", ""),
        ]
        print(
            "| page | requests/s | p50 | p99 | requests | non-2xx/3xx | socket errors |\n"
            "|---|---|---|---|---|---|---|"
        )
        for name, url, page_cookie in pages:
            result = wrk(
                url, cookie=page_cookie, duration=args.duration, connections=args.connections
            )
            print(f"| {name} | " + " | ".join(result.values()) + " |", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
