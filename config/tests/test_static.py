"""Static files as make run serves them: stylesheets and scripts minified, hashed, compressed."""

import json
import re
import subprocess

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


def test_collectstatic_writes_scripts_minified_and_still_valid_modules(tmp_path):
    """Every script is served smaller, and Node still parses it as the ES module the page loads."""
    with override_settings(STORAGES=PRODUCTION, STATIC_ROOT=str(tmp_path)):
        call_command("collectstatic", "--noinput", verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for script in sorted((ROOT / "static" / "js").glob("*.js")):
        served = (tmp_path / manifest[f"js/{script.name}"]).read_text()
        assert len(served) < len(script.read_text()), script.name
        module = tmp_path / f"{script.stem}.mjs"
        module.write_text(served)
        checked = subprocess.run(["node", "--check", str(module)], capture_output=True, text=True)
        assert checked.returncode == 0, f"{script.name}: {checked.stderr}"


def test_each_files_address_is_worked_out_once_and_is_the_manifests(tmp_path):
    from config.storage import MinifiedStaticFilesStorage

    with override_settings(STORAGES=PRODUCTION, STATIC_ROOT=str(tmp_path)):
        call_command("collectstatic", "--noinput", verbosity=0)
        manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
        storage = MinifiedStaticFilesStorage()
        asked = []
        real = storage.stored_name
        storage.stored_name = lambda name: asked.append(name) or real(name)
        first = storage.url("css/site.css")
        assert storage.url("css/site.css") == first == f"/static/{manifest['css/site.css']}"
        assert storage.url("js/forms.js") == f"/static/{manifest['js/forms.js']}"
    assert asked == ["css/site.css", "js/forms.js"]
