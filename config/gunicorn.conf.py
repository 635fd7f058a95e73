"""gunicorn's settings for production (Dockerfile, docker-compose.yml, benchmarks/load.py).

Sizing (issue 17, docs/performance.md): a Leerbrug request is mostly Python
(building the access layer's querysets, rendering) and waits only briefly on
PostgreSQL and Redis. With the GIL, threads only overlap those waits, and two busy
threads in one process slow each other down; so sync workers, one per core plus one,
so that no core idles while a worker waits for the database: 3 on 2 cores (a fourth
brought no more throughput, even for the library search, which spends half its
time in PostgreSQL: the cores were already full; docs/performance.md). For N
cores: ``WEB_CONCURRENCY`` = N + 1; with the database on another host (longer waits)
up to 2N, or ``GUNICORN_THREADS=2``. Each process holds its own copy of the
application (~120 MB) and one database connection per thread (``CONN_MAX_AGE``):
processes × threads × instances, plus Celery, must stay below PostgreSQL's
``max_connections`` (100 by default).

Override with ``WEB_CONCURRENCY`` (processes) and ``GUNICORN_THREADS``.
"""

import os

_cores = os.process_cpu_count() or 1

workers = int(os.environ.get("WEB_CONCURRENCY", _cores + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
worker_class = "gthread" if threads > 1 else "sync"
# Load the application once, before forking: workers start faster and share memory.
preload_app = True
# Keep connections from the reverse proxy open between requests (threaded workers).
keepalive = 5
# Recycle a worker now and then, so a slow leak cannot grow forever.
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
