"""Settings for `make bench`: exactly `make run`'s (config.settings.local), plus the bare view's route."""

from config import env
from config.settings.local import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# The snapshot of the module page that bench.views.bare returns (written by bench.run).
BENCH_PAGE_FILE = env.env_str("BENCH_PAGE_FILE")
