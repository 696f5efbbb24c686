"""The suite works offline: JupyterLab, as `make lab` installs it, asks no website for news or updates."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = (Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas" / "@jupyterlab"
          / "apputils-extension" / "notification.json")


def test_lab_overrides_turn_off_news_and_update_checks():
    overrides = json.loads((ROOT / "scripts" / "jupyterlab-overrides.json").read_text())
    settings = overrides["@jupyterlab/apputils-extension:notification"]
    assert settings == {"fetchNews": "false", "checkForUpdates": False}
    # The keys must be real settings of the installed JupyterLab, with these values allowed.
    schema = json.loads(SCHEMA.read_text())["properties"]
    assert {"const": "false", "title": "Never"} in schema["fetchNews"]["oneOf"]
    assert schema["checkForUpdates"]["type"] == "boolean"


def test_make_installs_the_overrides_where_jupyterlab_reads_them():
    makefile = (ROOT / "Makefile").read_text()
    assert "LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json" in makefile
    assert "cp scripts/jupyterlab-overrides.json $(LAB_OVERRIDES)" in makefile
    installed = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    if installed.exists():  # in the project's .venv (where make test runs), it is the same file
        assert json.loads(installed.read_text()) == json.loads(
            (ROOT / "scripts" / "jupyterlab-overrides.json").read_text())
