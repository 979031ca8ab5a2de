"""gunicorn for the HTTP side of Open12348 (WSGI, sync workers). WebSockets go to uvicorn (deploy/systemd).

    gunicorn -c deploy/gunicorn.conf.py config.wsgi

Every value can be set from the environment, so one file serves every host:
GUNICORN_BIND (127.0.0.1:8000), GUNICORN_WORKERS (2 x cores + 1), GUNICORN_TIMEOUT (30 s),
GUNICORN_MAX_REQUESTS (2000; a worker is replaced after that many requests, with jitter).

Prometheus: with several workers each process counts its own requests. When
PROMETHEUS_MULTIPROC_DIR is set (systemd's RuntimeDirectory gives /run/open12348-web/prometheus),
every worker writes its counters there and /metrics adds them up. The directory is emptied when the
master starts (stale files from a previous run would be added in) and a dead worker's files are
marked so that its live gauges stop counting.
"""

import multiprocessing
import os
import shutil

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5  # nginx keeps upstream connections open (keepalive in deploy/nginx/open12348.conf)
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = max_requests // 10
# Logs to stdout/stderr: journald (or the container runtime) collects them; see docs/deployment.md.
accesslog = "-"
errorlog = "-"
access_log_format = (
    '{"time":"%(t)s","remote":"%({x-real-ip}i)s","method":"%(m)s","path":"%(U)s","status":%(s)s,'
    '"bytes":%(B)s,"duration_ms":%(M)s,"request_id":"%({x-request-id}i)s","agent":"%(a)s"}'
)
# The query string is left out of the access log on purpose: searches may carry names or ID numbers.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
