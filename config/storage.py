"""Static files as `make run` serves them: stylesheets and scripts minified, then hashed and compressed (whitenoise)."""

from django.core.files.base import ContentFile
from rcssmin import cssmin
from rjsmin import jsmin
from whitenoise.storage import CompressedManifestStaticFilesStorage

MINIFIERS = {".css": cssmin, ".js": jsmin}


def minified(name: str, text: str) -> str:
    """``text`` of the static file ``name`` as it is served: comments and spaces out of .css and .js files."""
    minify = next((function for suffix, function in MINIFIERS.items() if name.endswith(suffix)), None)
    return minify(text) if minify else text


class MinifiedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """``collectstatic`` writes each .css and .js file minified (comments and spaces out; rJSmin keeps
    every token and line break JavaScript needs), before whitenoise names it by its hash and writes its
    gzip and Brotli copies. The source in ``static/`` stays readable."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        """The file's address, worked out once per name (``{% static %}`` asks five times a page): the
        manifest is read when the process starts and does not change while it runs."""
        if force:
            return super().url(name, force)
        if (url := self._urls.get(name)) is None:
            url = self._urls[name] = super().url(name)
        return url

    def post_process(self, paths, dry_run=False, **options):
        if not dry_run:
            for name in paths:
                if name.endswith(tuple(MINIFIERS)):
                    with self.open(name) as source:
                        text = source.read().decode("utf-8")
                    self.delete(name)
                    self.save(name, ContentFile(minified(name, text).encode("utf-8")))
                    paths[name] = (self, name)  # hash and compress the minified copy, not the source
        yield from super().post_process(paths, dry_run, **options)
