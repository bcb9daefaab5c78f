"""``make run``: production behaviour (DEBUG off, whitenoise, gunicorn) over plain HTTP on loopback.

Only the HTTPS-only cookie flags differ from prod, because 127.0.0.1:8000 has no TLS.
"""

from .base import *  # noqa: F403
