"""``make run``: production behaviour (DEBUG off, whitenoise, gunicorn) over plain HTTP on loopback.

It is base.py as it is; prod.py adds only what needs HTTPS (HSTS, the redirect to
HTTPS, Secure and __Host- cookies), which 127.0.0.1:8000 does not have.
"""

from .base import *  # noqa: F403
