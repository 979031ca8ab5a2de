"""The 12348 hotline: call-event ingestion through the API, and knowledge base search on 10,000 articles.

    .venv/bin/python bench/bench_hotline.py [--calls 3000] [--batch 100] [--concurrency 4]
                                            [--articles 10000] [--postgres] [--quick]

Ingestion. A fresh database (var/bench/hotline.sqlite3, or with --postgres the database
`bench_hotline` on BENCH_POSTGRES_URL's server) gets one hotline, three seats, a working-day shift
and a telephony client. A stream of `--calls` calls is generated (ringing, answered, ended, and
for most an IVR rating; one in ten missed, which opens a callback), one event in five is sent
twice, and the stream is shuffled within a window of 50 events, so events arrive out of order
and more than once. uvicorn (config.asgi, bench/bench_settings.py) serves it; `--concurrency`
threads, each on a kept-alive connection, POST the first quarter of the stream one event per
request (a telephony system's webhook) and the rest in batches of `--batch` events, with the
bearer token. It prints events per second (duplicates included) for each mode, requests per
second, the same clients' GET /healthz requests per second as the baseline, and checks the result:
one work order per call, each distinct event stored once, the callbacks the missed calls owe.
The issue's target is 500 events per second sustained on this machine.

Search. A child process loads `--articles` articles (the 42 seed articles, recombined: each
question with a case number, each answer followed by sentences of other answers, so the words and
their frequencies are real Chinese legal text) with `article_import`, timing the index build, then
times `article_search` for two-character words, phrases and a single character, against SELECT 1
through Django, interleaved over rounds. It prints median and p95 ms and the ratio to SELECT 1.
Nothing passes or fails on time: read the ratios and the medians.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _common import (
    PYTHON,
    ROOT,
    django_env,
    free_port,
    fresh_sqlite,
    manage,
    median,
    percentile,
    postgres_drop,
    postgres_recreate,
    sqlite_url,
)

SETTINGS = "bench_settings"
QUERIES = ("工伤", "欠薪", "离婚", "赡养", "交通事故", "冷静期", "保护令", "拖欠工资怎么办", "劳动合同", "婚")


# --- the child processes (Django configured for the bench database) ---------------------------------

def _django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def child_setup() -> None:
    """One hotline with seats, a shift, a supervisor and a telephony client; prints the token."""
    _django()
    from open12348.accounts.models import Membership, User
    from open12348.hotline.models import Hotline, Seat, Shift
    from open12348.hotline.services.telephony import telephony_client_issue
    from open12348.network.models import Institution, Region

    province = Region.objects.create(code="41", name="河南省", level="province", path="41/", depth=1)
    city = Region.objects.create(code="4104", name="平顶山市", level="city", parent=province, path="41/4104/", depth=2)
    hotline = Hotline.objects.create(name="平顶山市12348公共法律服务热线", region=city)
    for n in (1, 2, 3):
        Seat.objects.create(hotline=hotline, code=f"0{n}", name=f"{n}号席位", kind="lawyer")
    Shift.objects.create(hotline=hotline, code="day", name="白班", starts=dt.time(8, 30), ends=dt.time(17, 30))
    centre = Institution.objects.create(kind="legal_aid_centre", name="平顶山市法律援助中心", region=city)
    lead = User.objects.create(username="bench_lead", real_name="王静")
    Membership.objects.create(user=lead, institution=centre, role="hotline_supervisor")
    for n in (1, 2, 3):
        User.objects.create(username=f"duty{n}", real_name=f"值班律师{n}")
    _client, token = telephony_client_issue(actor=None, hotline=hotline, name="bench CTI")
    print(json.dumps({"token": token}))


def child_check(expected: str) -> None:
    """What the database holds after the stream: work orders, events, callbacks."""
    _django()
    from open12348.hotline.models import CallbackTask, CallEvent, WorkOrder

    want = json.loads(expected)
    got = {"work_orders": WorkOrder.objects.count(), "events": CallEvent.objects.count(),
           "missed": WorkOrder.objects.filter(status="missed").count(),
           "callbacks": CallbackTask.objects.filter(kind="missed", status="open").count()}
    print(json.dumps({"got": got, "want": want}))


def _articles(count: int, rng: random.Random) -> list[dict]:
    from open12348.hotline.knowledge_seed import ARTICLES

    sentences = [s + "。" for a in ARTICLES for s in a["answer"].split("。") if s]
    items = []
    for n in range(count):
        base = ARTICLES[n % len(ARTICLES)]
        extra = "".join(rng.sample(sentences, 2))
        items.append({"question": f"{base['question']}（案例{n + 1}）", "topic": base["topic"],
                      "answer": base["answer"] + extra, "legal_basis": base["legal_basis"]})
    return items


def child_search(count: int, rounds: int) -> None:
    """Load the articles, then time the searches against SELECT 1 (ms, interleaved rounds)."""
    _django()
    from django.db import connection

    from open12348.accounts.models import User
    from open12348.hotline.models import ArticleTerm
    from open12348.hotline.selectors_knowledge import article_search
    from open12348.hotline.services.knowledge import article_import

    lead = User.objects.get(username="bench_lead")
    started = time.perf_counter()
    article_import(actor=lead, items=_articles(count, random.Random(12348)))
    load_seconds = time.perf_counter() - started
    terms = ArticleTerm.objects.count()

    def select1():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    timings: dict[str, list[float]] = {"SELECT 1": []}
    hits: dict[str, int] = {}
    for _round in range(rounds):
        for label, run in [("SELECT 1", select1)] + [(q, lambda q=q: article_search(query=q)) for q in QUERIES]:
            started = time.perf_counter()
            result = run()
            timings.setdefault(label, []).append((time.perf_counter() - started) * 1000)
            if label != "SELECT 1":
                hits[label] = len(result)
    print(json.dumps({"load_seconds": load_seconds, "terms": terms, "timings": timings, "hits": hits}))


# --- the stream of events -------------------------------------------------------------------------------

def event_stream(calls: int, seed: int) -> tuple[list[dict], dict]:
    """Events of `calls` calls on the last working days, with duplicates, shuffled in a window."""
    rng = random.Random(seed)
    tz = dt.timezone(dt.timedelta(hours=8))
    today = dt.datetime.now(tz).date()
    events: list[dict] = []
    missed = 0
    for n in range(calls):
        day = today - dt.timedelta(days=1 + n % 20)
        rang = dt.datetime.combine(day, dt.time(9), tzinfo=tz) + dt.timedelta(seconds=rng.randrange(8 * 3600))
        call = f"BENCH-{seed}-{n:06d}"
        caller = f"13{rng.randint(0, 999999999):09d}"
        seat = f"0{1 + n % 3}"

        def add(kind, at, call=call, caller=caller, seat=seat, **extra):
            events.append({"call_id": call, "event_id": f"{kind}-1", "type": kind, "at": at.isoformat(),
                           "caller": caller, "seat": seat, **extra})

        add("ringing", rang)
        if n % 10 == 9:
            missed += 1
            add("ended", rang + dt.timedelta(seconds=30))
            continue
        answered = rang + dt.timedelta(seconds=rng.randint(1, 12))
        add("answered", answered, agent=f"duty{1 + n % 3}")
        ended = answered + dt.timedelta(seconds=rng.randint(60, 900))
        add("ended", ended, recording_url=f"https://cti.example/rec/{call}.mp3")
        if rng.random() < 0.7:
            add("rated", ended + dt.timedelta(seconds=15), rating=rng.choice("1112"))
    unique = len(events)
    stream = events + [dict(e) for e in rng.sample(events, unique // 5)]
    stream.sort(key=lambda e: (e["call_id"], rng.random()))  # duplicates next to their call
    window = 50
    shuffled = []
    for start in range(0, len(stream), window):
        chunk = stream[start:start + window]
        rng.shuffle(chunk)
        shuffled.extend(chunk)
    return shuffled, {"work_orders": calls, "events": unique, "missed": missed, "callbacks": missed}


# --- the HTTP side ---------------------------------------------------------------------------------------------

class Client:
    """One kept-alive HTTP connection per thread, like a telephony system's sender."""

    local = threading.local()

    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token

    def connection(self) -> http.client.HTTPConnection:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        return conn

    def request(self, method: str, path: str, body: bytes | None = None) -> int:
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        for attempt in (1, 2):
            try:
                conn = self.connection()
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                return response.status
            except (http.client.HTTPException, OSError):
                self.local.conn = None
                if attempt == 2:
                    raise
        return 0


def timed(client: Client, jobs: list[tuple[str, str, bytes | None]], concurrency: int) -> tuple[float, dict]:
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def run(job):
        status = client.request(*job)
        with lock:
            statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(run, jobs))
    return time.perf_counter() - started, statuses


def wait_up(client: Client, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"uvicorn exited with {server.returncode}")
        try:
            if client.request("GET", "/healthz") == 200:
                return
        except OSError:
            client.local.conn = None
        time.sleep(0.2)
    raise SystemExit("uvicorn did not answer /healthz in time")


def ingest(url: str, *, calls: int, batch: int, concurrency: int, settings: str = SETTINGS) -> dict:
    # Persistent connections leak under ASGI (a thread per request keeps its own): on PostgreSQL a
    # long stream then runs out of connections ("too many clients"). Django's advice: 0 under ASGI.
    env = django_env(database_url=url, settings=settings, DB_CONN_MAX_AGE="0")
    manage("migrate", "--noinput", "-v", "0", env=env)
    token = json.loads(subprocess.run([PYTHON, __file__, "--child", "setup"], env=env, cwd=ROOT, check=True,  # noqa: S603
                                      capture_output=True, text=True).stdout.strip().splitlines()[-1])["token"]
    stream, expected = event_stream(calls, seed=12348)
    split = len(stream) // 4
    singles = [("POST", "/api/v1/hotline/telephony/events", json.dumps(e).encode()) for e in stream[:split]]
    batches = [("POST", "/api/v1/hotline/telephony/events",
                json.dumps({"events": stream[i:i + batch]}).encode()) for i in range(split, len(stream), batch)]
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [PYTHON, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1", "--port", str(port),
         "--lifespan", "off", "--log-level", "warning", "--no-access-log"],
        cwd=ROOT, env=env, start_new_session=True)
    client = Client(port, token)
    try:
        wait_up(client, server)
        timed(client, [("GET", "/healthz", None)] * 50, concurrency)  # warm-up
        health_seconds, health_status = timed(client, [("GET", "/healthz", None)] * 600, concurrency)
        single_seconds, single_status = timed(client, singles, concurrency)
        batch_seconds, batch_status = timed(client, batches, concurrency)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    check = json.loads(subprocess.run([PYTHON, __file__, "--child", "check", json.dumps(expected)], env=env,  # noqa: S603
                                      cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()
                       .splitlines()[-1])
    return {"health_rps": 600 / health_seconds, "health_status": health_status,
            "single_eps": len(singles) / single_seconds, "single_status": single_status, "singles": len(singles),
            "batch_eps": (len(stream) - split) / batch_seconds, "batch_rps": len(batches) / batch_seconds,
            "batch_status": batch_status, "batched": len(stream) - split,
            "overall_eps": len(stream) / (single_seconds + batch_seconds), "sent": len(stream), "check": check}


def search(url: str, *, articles: int, rounds: int) -> dict:
    env = django_env(database_url=url, settings=SETTINGS)
    out = subprocess.run([PYTHON, __file__, "--child", "search", str(articles), str(rounds)], env=env, cwd=ROOT,  # noqa: S603
                         check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    return json.loads(out)


def report(name: str, result: dict, found: dict, *, concurrency: int, batch: int) -> None:
    print(f"\n== hotline event ingestion through the API ({name}), {concurrency} clients ==")
    print(f"  GET /healthz (baseline)            {result['health_rps']:8.0f} requests/s   {result['health_status']}")
    print(f"  one event per request              {result['single_eps']:8.0f} events/s     "
          f"({result['single_eps'] / result['health_rps']:.2f} × the baseline's requests)  {result['single_status']}")
    print(f"  batches of {batch:<4} events           {result['batch_eps']:8.0f} events/s     "
          f"({result['batch_rps']:.0f} requests/s; the issue's target: ≥ 500 events/s)  {result['batch_status']}")
    print(f"  whole stream ({result['sent']:,} events, 1 in 6 a duplicate, out of order, both modes)"
          f"  {result['overall_eps']:.0f} events/s")
    got, want = result["check"]["got"], result["check"]["want"]
    verdict = "OK" if got == want else "MISMATCH"
    print(f"  check: {verdict}: work orders {got['work_orders']}/{want['work_orders']}, distinct events "
          f"{got['events']}/{want['events']}, missed calls {got['missed']}, open callbacks {got['callbacks']}")
    timings = found["timings"]
    base = median(timings["SELECT 1"])
    print(f"\n== knowledge base search on {found.get('articles', 0):,} articles ({name}) ==")
    print(f"  index built in {found['load_seconds']:.1f} s: {found['terms']:,} term rows")
    print(f"  {'query':16} {'median ms':>10} {'p95 ms':>8} {'× SELECT 1':>11} {'hits':>5}")
    for label, values in timings.items():
        mid = median(values)
        hits = found["hits"].get(label, "")
        print(f"  {label:{16 - sum(1 for c in label if ord(c) > 0x2e80)}} {mid:10.2f} "
              f"{percentile(values, 0.95):8.2f} {mid / base:10.0f}x {hits:>5}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--postgres", action="store_true", help="on PostgreSQL (database bench_hotline)")
    parser.add_argument("--settings", default=SETTINGS, help="settings module of the server (default: bench_settings)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 600 calls, 2,000 articles, 5 rounds")
    parser.add_argument("--child", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        {"setup": lambda: child_setup(), "check": lambda: child_check(args.child[1]),
         "search": lambda: child_search(int(args.child[1]), int(args.child[2]))}[args.child[0]]()
        return
    if args.quick:
        args.calls, args.articles, args.rounds = 600, 2000, 5
    if args.postgres:
        url, name = postgres_recreate("bench_hotline"), "PostgreSQL"
    else:
        url, name = sqlite_url(fresh_sqlite("hotline.sqlite3")), "SQLite"
    try:
        result = ingest(url, calls=args.calls, batch=args.batch, concurrency=args.concurrency, settings=args.settings)
        found = search(url, articles=args.articles, rounds=args.rounds)
        found["articles"] = args.articles
        report(name, result, found, concurrency=args.concurrency, batch=args.batch)
    finally:
        if args.postgres:
            postgres_drop("bench_hotline")
    Path(ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)


if __name__ == "__main__":
    sys.exit(main())
