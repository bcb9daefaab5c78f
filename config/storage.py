"""Static files as served by ``make run``: stylesheets minified, then hashed and compressed by whitenoise."""

from django.core.files.base import ContentFile
from rcssmin import cssmin
from whitenoise.storage import CompressedManifestStaticFilesStorage


class MinifiedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """``collectstatic`` writes each .css file minified (comments and spaces out), before whitenoise
    names it by its hash and writes its gzip and Brotli copies. The source in ``static/`` stays readable."""

    def post_process(self, paths, dry_run=False, **options):
        if not dry_run:
            for name in paths:
                if name.endswith(".css"):
                    with self.open(name) as source:
                        css = source.read().decode("utf-8")
                    self.delete(name)
                    self.save(name, ContentFile(cssmin(css).encode("utf-8")))
                    paths[name] = (self, name)  # hash and compress the minified copy, not the source
        yield from super().post_process(paths, dry_run, **options)
