"""Static files as make run serves them: stylesheets minified, hashed, compressed."""

import json
import re

from django.core.management import call_command
from django.test import override_settings

from testing.factories import ROOT

PRODUCTION = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "config.storage.MinifiedStaticFilesStorage"},
}


def test_collectstatic_writes_stylesheets_minified_under_their_hashed_names(tmp_path):
    with override_settings(STORAGES=PRODUCTION, STATIC_ROOT=str(tmp_path)):
        call_command("collectstatic", "--noinput", verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    source = (ROOT / "static" / "css" / "site.css").read_text()
    served = (tmp_path / manifest["css/site.css"]).read_text()
    assert len(served) < 0.9 * len(source)
    assert "/*" not in served and "\n  " not in served
    # Nothing is lost: every selector's class and every custom property is still there.
    for name in set(re.findall(r"\.[a-z][\w-]*|--[\w-]+", re.sub(r"/\*.*?\*/", "", source, flags=re.S))):
        assert name in served, name
    assert (tmp_path / (manifest["css/site.css"] + ".gz")).is_file()
    js = (tmp_path / manifest["js/autosave.js"]).read_text()
    assert js == (ROOT / "static" / "js" / "autosave.js").read_text()  # scripts are served as written
