"""gunicorn for `make run` (behind its nginx front, config/serve.py), `make bench` and the scale-out test.

One worker process per core (``WEB_CONCURRENCY`` overrides): the views are
synchronous and short, so a process per core keeps every core busy; threads
would only contend for the GIL. Values come from the environment through
config.env like every other setting.
"""

import os

from config import env

bind = env.env_str("BIND", f"127.0.0.1:{env.env_int('PORT', 8000)}")
workers = env.env_int("WEB_CONCURRENCY", os.cpu_count() or 1)
# Sync workers: one request per connection, so the kernel hands each new
# connection to an idle worker. With gthread and keep-alive, a worker accepts
# connections while it is busy and keeps them: measured here (wrk, 8 to 32
# connections, 2 workers), one worker held every connection in about a quarter
# of the runs and throughput halved (module page 455 -> 220 req/s). Sync workers
# gave 440-470 req/s every run. Keep-alive to browsers belongs to the proxy.
worker_class = env.env_str("WORKER_CLASS", "sync")
threads = env.env_int("THREADS", 1)
keepalive = env.env_int("KEEPALIVE", 5)  # used only by WORKER_CLASS=gthread
# Load the application once in the master; workers fork with it imported.
preload_app = True
accesslog = env.env_str("ACCESS_LOG", "-") or None
timeout = 30
graceful_timeout = 10
# gunicorn 25+ opens a control socket at one fixed path per user; several servers
# on one host (the scale-out test, `make bench` next to `make run`) would share it.
control_socket_disable = True
