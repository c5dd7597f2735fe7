"""Shared fixtures of the Python module's tests (run by ctest: tests/python/CMakeLists.txt sets
PYTHONPATH to the build's package and KINMAP_BINARY, KINMAP_DATA_DIR)."""
import os
import pathlib
import re
import subprocess

import pytest


def _env(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail("%s is not set: run these tests through ctest (tests/python/CMakeLists.txt)" % name)
    return value


@pytest.fixture(scope="session")
def kinmap_binary():
    return _env("KINMAP_BINARY")


@pytest.fixture(scope="session")
def models_dir():
    return pathlib.Path(_env("KINMAP_DATA_DIR")) / "models"


def shipped_models():
    """Every shipped model (the test ids), read from the source tree."""
    root = pathlib.Path(__file__).resolve().parents[2] / "data" / "models"
    models = sorted(p.stem for p in root.glob("*.toml"))
    assert len(models) >= 5, "expected the shipped models under %s" % root
    return models


def small_sweep(text, nx, ny):
    """The model text with its [sweep] axes cut to nx and ny points (same ranges)."""
    out, in_sweep, changed = [], False, 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith("["):
            in_sweep = stripped.startswith("[sweep]")
        if in_sweep and re.match(r"\s*[xy]\s*=", line):
            n = nx if line.lstrip().startswith("x") else ny
            line, count = re.subn(r"points\s*=\s*\d+", "points = %d" % n, line)
            changed += count
        out.append(line)
    assert changed >= 1, "no [sweep] axis found to shrink"
    return "".join(out)


def run_cli(binary, *args, check_rc=(0,)):
    proc = subprocess.run([binary, *args], capture_output=True, text=True, timeout=600)
    assert proc.returncode in check_rc, "kinmap %s: exit %d\n%s" % (" ".join(args), proc.returncode, proc.stderr)
    return proc
