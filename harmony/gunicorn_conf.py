"""Gunicorn settings for the web process (``make serve``), all from the environment.

``BIND`` (default ``127.0.0.1:$PORT``, ``PORT`` default 8000), ``WEB_CONCURRENCY`` (worker
processes, default 2 * cores + 1, at most 8), ``GUNICORN_THREADS`` (default 1),
``GUNICORN_TIMEOUT`` (seconds a request may take before its worker is restarted, default 60),
``GUNICORN_MAX_REQUESTS`` (recycle a worker after this many requests, default 2000; 0 = never),
``GUNICORN_CONTROL_SOCKET`` (``1``: open gunicorn's ``gunicornc`` control socket; off by default, systemd
signals the master instead, and the socket's default place is not writable under a hardened unit).
Parsed with the settings module's strict helpers, so ``WEB_CONCURRENCY=many`` fails at start.
"""

from __future__ import annotations

import multiprocessing

from harmony.env import env_bool, env_int, env_str

port = env_int("PORT", 8000)
bind = [env_str("BIND", f"127.0.0.1:{port}")]
workers = env_int("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8))
threads = env_int("GUNICORN_THREADS", 1)
timeout = env_int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5
max_requests = env_int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# Django loads once in the master and is shared copy-on-write by the workers; connections are
# opened per worker after the fork (Django opens them lazily), so preloading is safe.
preload_app = True
accesslog = "-"
errorlog = "-"
loglevel = env_str("LOG_LEVEL", "info").lower()
wsgi_app = "harmony.wsgi:application"
control_socket_disable = not env_bool("GUNICORN_CONTROL_SOCKET", False)
