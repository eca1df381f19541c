"""`pip install .` gives a working newsevents: a wheel built from the tree (after `make
install`, which puts the web front-end files in newsevents/web/assets/node_modules) holds the
data files, the templates, the front-end files the web app serves, the licence and the entry
points; installed on its own, it imports, finds its assets by the web app's own look-up and
runs its command. No network: the build uses the venv's setuptools (requirements.lock)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from newsevents.web.app import VENDOR_FILES
from tests.conftest import ROOT

NODE_MODULES = ROOT / "newsevents" / "web" / "assets" / "node_modules"

CHECK_INSTALLED = """
import sys
from pathlib import Path
from fastapi.testclient import TestClient
import newsevents
from newsevents.web.app import DEFAULT_ASSETS, create_app, missing_assets
home = Path(newsevents.__file__).parent
assert str(home).startswith(sys.argv[1]), home
assert DEFAULT_ASSETS.is_relative_to(home) and missing_assets() == [], missing_assets()
with newsevents.Store(sys.argv[2]) as store:
    pass
app = create_app(sys.argv[2])
with TestClient(app) as client:
    for path in ("/vendor/d3.min.js", "/vendor/countries-110m.json", "/static/app.css", "/"):
        assert client.get(path).status_code == 200, path
app.state.store.close()
print("ok", len(newsevents.Codebook.load().under("04")))
"""


def _source_tree(target: Path) -> Path:
    """What a fresh clone holds after `make install`: the package (front-end files included),
    pyproject.toml, README.md and LICENSE."""
    target.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, target / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "newsevents", target / "newsevents", ignore=ignore)
    return target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    import setuptools

    if int(setuptools.__version__.split(".")[0]) < 77:
        pytest.fail(f"setuptools {setuptools.__version__} is too old to build: run make install")
    missing = [name for name, rel in VENDOR_FILES.items() if not (NODE_MODULES / rel).is_file()]
    assert not missing, f"run make install first: {missing} not in {NODE_MODULES}"
    base = tmp_path_factory.mktemp("packaging")
    source = _source_tree(base / "src")
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
    result = subprocess.run(
        [*build, "-w", str(base / "dist"), str(source)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    (found,) = (base / "dist").glob("newsevents-*.whl")
    return found


def test_the_wheel_holds_data_templates_assets_licence_and_entry_points(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    package = ROOT / "newsevents"
    for folder in ("data", "web/templates", "web/static"):
        for path in (package / folder).iterdir():
            if path.is_file():
                assert f"newsevents/{folder}/{path.name}" in names
    for relative in VENDOR_FILES.values():
        assert f"newsevents/web/assets/node_modules/{relative}" in names
    vendored = {n.split("/")[4] for n in names if n.startswith("newsevents/web/assets/node_")}
    assert vendored == {"d3", "topojson-client", "world-atlas", "swagger-ui-dist"}
    assert not any(n.endswith(".map") for n in names)  # the files served, not all of npm
    for package_name in vendored:
        assert f"newsevents/web/assets/node_modules/{package_name}/LICENSE" in names
    dist_info = f"newsevents-{_version()}.dist-info"
    assert f"{dist_info}/licenses/LICENSE" in names
    entry_points = zipfile.ZipFile(wheel).read(f"{dist_info}/entry_points.txt").decode()
    assert "newsevents = newsevents.cli:cli" in entry_points
    assert "[spacy_factories]" in entry_points
    assert wheel.stat().st_size < 5_000_000


def test_the_installed_wheel_works_on_its_own(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    install = [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target"]
    result = subprocess.run([*install, str(target), str(wheel)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    env = dict(os.environ, PYTHONPATH=str(target))
    store = str(tmp_path / "empty.duckdb")
    checked = subprocess.run(
        [sys.executable, "-c", CHECK_INSTALLED, str(target), store],
        cwd=tmp_path,  # not the repository, whose newsevents/ would be imported instead
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.split()[0] == "ok" and int(checked.stdout.split()[1]) > 5
    command = subprocess.run(
        [str(target / "bin" / "newsevents"), "--version"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert command.returncode == 0, command.stderr
    assert command.stdout.strip() == f"newsevents, version {_version()}"


def _version() -> str:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
