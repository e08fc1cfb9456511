"""Gunicorn's configuration for Lineage in production (and for `make serve`).

    gunicorn -c deploy/gunicorn.conf.py

Every value can be overridden from the environment (GUNICORN_*; see README.md,
"Production"); gunicorn's own GUNICORN_CMD_ARGS and FORWARDED_ALLOW_IPS work too.

Which worker class, and how many
--------------------------------
What a request costs here: rendering a page (Markdown is rendered at publish
time, but templates, infoboxes and navigation are not) is CPU-bound Python,
which holds the GIL; the SQL queries are short (a fixed number of indexed
queries, a few milliseconds in all) and a cache lookup in Redis is a fraction
of a millisecond.  Production runs behind nginx, which buffers requests and
responses, so a slow client never holds a worker.

- sync: one request per process.  CPU parallelism comes only from processes,
  and a CPU-bound app needs about one per core; a few more cover the moments a
  worker waits for the database.  No keep-alive, which nginx does not need
  towards its upstreams.  This is gunicorn's own advice for a CPU-bound app
  behind a buffering proxy, and what we run.
- gthread: threads share one GIL, so they add no rendering throughput; they
  overlap I/O waits, which are short here, and cost a database connection per
  thread (CONN_MAX_AGE keeps one per thread).  Worth it when the server faces
  clients directly without nginx (keep-alive, slow clients): set
  GUNICORN_THREADS=4, and gunicorn switches to gthread.
- gevent/eventlet: for long I/O waits (calling other services, streaming);
  they need psycopg patched for cooperative I/O, and would only add latency to
  CPU-bound rendering.

Default workers: 2 x cores + 1 (gunicorn's rule of thumb): one per core for
CPU, the rest to cover database and cache waits.  Each worker uses well under
150 MB; the app is loaded once in the master before forking (preload_app), so
the workers share its code pages.  PostgreSQL connections: servers x workers x
threads, kept open (DJANGO_CONN_MAX_AGE); keep that under max_connections.
"""

import multiprocessing
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


wsgi_app = "wiki.wsgi:application"
chdir = str(ROOT)
pythonpath = str(ROOT)
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

workers = env_int("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1)
threads = env_int("GUNICORN_THREADS", 1)
worker_class = os.environ.get(
    "GUNICORN_WORKER_CLASS", "gthread" if threads > 1 else "sync"
)

# A worker silent this long (a runaway request) is killed and replaced; every
# page answers in well under a second, so 30 s is only a safety net.
timeout = env_int("GUNICORN_TIMEOUT", 30)
# On a reload or a stop, requests in flight get this long to finish.
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# gthread only: idle keep-alive connections close after this (nginx's upstream
# keepalive_timeout is shorter, so nginx never reuses one gunicorn just closed).
keepalive = env_int("GUNICORN_KEEPALIVE", 5)
# Each worker is replaced after about this many requests, bounding slow
# memory growth; the jitter staggers the restarts so workers never all
# restart at once.  Not fewer: a cached page takes half a millisecond, so at
# 1,000 a worker was replaced every second under load, and each replacement
# (a fork, a new database connection, an empty per-process cache) was the
# slowest 1% of requests: p99 132-152 ms against 8 ms at 20,000, and a third
# fewer requests a second (wrk -c16, seed profile, 2 workers).  Workers stay
# near 70 MB between replacements.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 20000)
max_requests_jitter = env_int("GUNICORN_MAX_REQUESTS_JITTER", 2000)
# Load Django once, in the master: faster restarts, shared memory, and an
# import error stops the server at start instead of in every worker.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() in {"1", "true"}
# The workers' heartbeat files on a RAM disk: a slow disk cannot stall them.
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"
# Gunicorn 27's control socket defaults to one path per user
# (~/.gunicorn/gunicorn.ctl), which two servers on one machine would share.
control_socket_disable = "GUNICORN_CONTROL_SOCKET" not in os.environ
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]

# X-Forwarded-Proto is believed only from these addresses (gunicorn also reads
# FORWARDED_ALLOW_IPS); Django trusts the header through SECURE_PROXY_SSL_HEADER,
# so nginx must overwrite it (deploy/nginx.conf does).
forwarded_allow_ips = os.environ.get(
    "FORWARDED_ALLOW_IPS", os.environ.get("DJANGO_TRUSTED_PROXIES", "127.0.0.1,::1")
)

# One JSON line per request on stdout (wiki/access_log.py); errors, tracebacks
# and gunicorn's own messages on stderr.
logger_class = "wiki.access_log.JsonAccessLogger"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

proc_name = "lineage"

# Production unless told otherwise: DEBUG off (settings then require a secret
# key, DJANGO_SECRET_KEY or DJANGO_SECRET_KEY_FILE).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wiki.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")


def pre_fork(server, worker):
    # With preload_app, anything the master opened at start-up would be
    # shared by every worker it forks: never a database connection.
    from django.db import connections

    connections.close_all()
