"""Search warm-up benchmark: the first search a freshly started gunicorn worker answers, with
the warm-up (AI_SEARCH_WARM_UP, gunicorn.conf.py) off and on, and a warm search for scale.

    .venv/bin/python bench/search_warmup.py                  # 200 demo products, 3 runs
    .venv/bin/python bench/search_warmup.py --products 540 --runs 5
    .venv/bin/python bench/search_warmup.py --data /tmp/warmup-data   # reuse a prepared store

The store is the demo store (`seed_demo --products N`) in a scratch folder (SQLite, the
in-process vector index), embedded with the real multilingual encoder (`reindex_search`):
the same data as `make run` at a smaller size. Each run starts `gunicorn -c gunicorn.conf.py
--workers 1` on a free port three times:

- off: warm-up off; the worker answers one other page (the sign-in page: it is up, the
  URLs and templates are loaded), then the first search, timed;
- on, at once: warm-up on; the same, the search sent as soon as the worker answers (it
  waits for the rest of the warm-up in progress, never loads anything twice);
- on, after: warm-up on; the search sent once the worker logged "Search warm-up done".

Then, on the last server of each run, a few other searches (new query texts, so the encoder
runs for each): the warm figure. Times are wall-clock seconds of the HTTP request, measured
by this script on the same machine; the modes alternate within a run so that the machine's
load weighs on each alike. One unrecorded start before the runs brings the files into the
OS page cache, so the first recorded run does not pay for the disk alone.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
FIRST_QUERY = ("diamond ring", "en")
WARM_QUERIES = [
    ("gold necklace", "en"),
    ("bague saphir", "fr"),
    ("perlenohrringe", "de"),
    ("玫瑰金手链", "zh-hans"),
    ("pendientes de plata", "es"),
]
READY_PATH = "/en/account/login/"
DONE_LINE = re.compile(r"Search warm-up done in ([0-9.]+) s \((.*)\)")


def environment(data: Path, warm_up: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SHOP_VAR_DIR=str(data),
        # No collectstatic in the scratch folder: serve static files unhashed.
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        AI_SEARCH_WARM_UP="true" if warm_up else "false",
        LOG_LEVEL="INFO",
    )
    env.pop("DATABASE_URL", None)
    return env


def prepare(data: Path, products: int) -> float:
    """The demo store with its search index, in `data`; returns the seconds it took."""
    began = time.perf_counter()
    env = environment(data, warm_up=False)
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["seed_demo", "--products", str(products), "--jobs", "1"],
        ["reindex_search"],
    ):
        subprocess.run(
            [PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    return time.perf_counter() - began


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, timeout: float = 300) -> tuple[float, int]:
    began = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            answer.read()
            status = answer.status
    except urllib.error.HTTPError as error:
        status = error.code
    return time.perf_counter() - began, status


def search_url(base: str, query: str, language: str) -> str:
    return f"{base}/{language}/search/?{urllib.parse.urlencode({'q': query})}"


class Server:
    """gunicorn with one worker on a free port, started by this script and stopped by pid."""

    def __init__(self, data: Path, warm_up: bool, log: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.began = time.perf_counter()
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "shop.wsgi",
                "-c",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--timeout",
                "300",
            ],
            cwd=ROOT,
            env=environment(data, warm_up),
            stdout=subprocess.DEVNULL,
            stderr=log.open("w"),
            start_new_session=True,  # its own process group: stopped as a whole below
        )

    def wait_ready(self, timeout: float = 300) -> float:
        """Seconds from start until the worker answered a page that is not search."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log.read_text()[-3000:]}")
            try:
                get(self.base + READY_PATH, timeout=timeout)
                return time.perf_counter() - self.began
            except (ConnectionError, urllib.error.URLError):
                time.sleep(0.05)
        raise RuntimeError("gunicorn did not answer in time")

    def wait_warm(self, timeout: float = 300) -> tuple[float, str]:
        """(warm-up seconds, per step) once the worker logged that it is done."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = DONE_LINE.search(self.log.read_text())
            if found:
                return float(found.group(1)), found.group(2)
            time.sleep(0.05)
        raise RuntimeError(f"no warm-up line in the log:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def one(data: Path, mode: str, logs: Path, run: int, warm: bool = False) -> dict:
    server = Server(data, warm_up=mode != "off", log=logs / f"run{run}-{mode}.log")
    try:
        row: dict = {"run": run, "mode": mode, "ready_s": round(server.wait_ready(), 2)}
        if mode == "on, after":
            row["warm_up_s"], row["warm_up_steps"] = server.wait_warm()
        seconds, status = get(search_url(server.base, *FIRST_QUERY))
        assert status == 200, status
        row["first_search_s"] = round(seconds, 3)
        if mode == "on, at once":
            row["warm_up_s"], row["warm_up_steps"] = server.wait_warm()
        if warm:
            times = []
            for query, language in WARM_QUERIES:
                seconds, status = get(search_url(server.base, query, language))
                assert status == 200, status
                times.append(seconds)
            row["warm_search_s"] = [round(value, 3) for value in times]
        return row
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=200, help="demo store size")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", default="", help="a folder to prepare (or reuse) the store in")
    args = parser.parse_args()

    data = Path(args.data or tempfile.mkdtemp(prefix="bench-warmup-"))
    data.mkdir(parents=True, exist_ok=True)
    if not (data / "db.sqlite3").exists():
        print(f"Preparing {args.products} demo products in {data} ...", file=sys.stderr)
        print(f"  ready in {prepare(data, args.products):.0f} s", file=sys.stderr)
    logs = data / "logs"
    logs.mkdir(exist_ok=True)

    # One unrecorded start first: the model file, the database and Python's own files are then
    # in the OS page cache for every recorded run alike.
    one(data, "off", logs, 0)
    started = datetime.now(UTC)
    rows = []
    for run in range(1, args.runs + 1):
        for mode in ("off", "on, at once", "on, after"):
            row = one(data, mode, logs, run, warm=mode == "on, after")
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
    finished = datetime.now(UTC)

    def median(mode: str, key: str) -> float:
        return statistics.median(row[key] for row in rows if row["mode"] == mode)

    warm = statistics.median(value for row in rows for value in row.get("warm_search_s", []))
    cold = median("off", "first_search_s")
    load = os.getloadavg()
    print(
        f"\nSearch warm-up, {started:%Y-%m-%d %H:%M}-{finished:%H:%M} UTC, {os.cpu_count()} cores, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} at the end; "
        f"{args.products} demo products, {args.runs} runs\n"
    )
    print("| run | warm-up | worker up s | first search s | warm-up s (log) |")
    print("| ---: | --- | ---: | ---: | ---: |")
    for row in rows:
        print(
            f"| {row['run']} | {row['mode']} | {row['ready_s']:.1f} | "
            f"{row['first_search_s']:.2f} | {row.get('warm_up_s', '')} |"
        )
    print(
        f"\nMedians: first search off {cold:.2f} s; on, at once "
        f"{median('on, at once', 'first_search_s'):.2f} s; on, after "
        f"{median('on, after', 'first_search_s'):.2f} s; warm {warm:.3f} s "
        f"({len(WARM_QUERIES) * args.runs} searches). Ratio first search off / on-after: "
        f"{cold / median('on, after', 'first_search_s'):.0f}x."
    )
    print(json.dumps({"rows": rows}, ensure_ascii=False))


if __name__ == "__main__":
    main()
