"""Model.map equals the HDF5 file of `kinmap run` (DESIGN §9): the same variables, dimensions,
coordinates, dtypes and attributes as kinmap.open_map of the run's file, and bitwise the same
values in every variable but the run diagnostics, at 1 and 3 threads, for every shipped model
on a small grid (its own ranges, fewer points)."""
import threading
import _thread
import time

import numpy as np
import pytest

import kinmap
from conftest import run_cli, shipped_models, small_sweep

# Run diagnostics: how the map was computed, not what it is (documented in Model.map).
DIAGNOSTIC_VARIABLES = {"wall_time_s"}
DIAGNOSTIC_ATTRS = {"n_ranks", "schedule", "created_utc"}


def assert_same_dataset(mine, ref):
    assert list(mine.data_vars) == list(ref.data_vars)
    assert list(mine.coords) == list(ref.coords)
    assert dict(mine.sizes) == dict(ref.sizes)
    for name in list(ref.coords) + list(ref.data_vars):
        a, b = mine[name], ref[name]
        assert a.dims == b.dims, name
        assert a.dtype == b.dtype, name
        assert a.attrs.keys() == b.attrs.keys(), name
        for key in b.attrs:
            np.testing.assert_array_equal(np.asarray(a.attrs[key]), np.asarray(b.attrs[key]), err_msg=name + "." + key)
        if name in DIAGNOSTIC_VARIABLES:
            continue
        if a.dtype.kind in "fiub":
            assert a.values.tobytes() == b.values.tobytes(), "%s differs" % name  # bitwise, NaN included
        else:
            assert list(a.values) == list(b.values), name
    assert mine.attrs.keys() == ref.attrs.keys()
    for key in ref.attrs:
        if key not in DIAGNOSTIC_ATTRS:
            np.testing.assert_array_equal(np.asarray(mine.attrs[key]), np.asarray(ref.attrs[key]), err_msg=key)
    assert mine.attrs["n_ranks"] == 1 and mine.attrs["schedule"] == "threads"


@pytest.mark.parametrize("name", shipped_models())
def test_map_equals_run_file(name, models_dir, kinmap_binary, tmp_path):
    text = small_sweep((models_dir / (name + ".toml")).read_text(), 5, 4)
    model_path = tmp_path / (name + ".toml")
    model_path.write_text(text)
    out = tmp_path / "run.h5"
    run_cli(kinmap_binary, "run", str(model_path), "-o", str(out), "--max-failed-fraction", "1")
    ref = kinmap.open_map(out)
    model = kinmap.Model.from_string(text, name=str(model_path))
    one = model.map(threads=1)
    three = model.map(threads=3)
    for mine in (one, three):
        assert_same_dataset(mine, ref)
    assert int((ref["status"].values == 0).sum()) > 0, "no OK point: the comparison says little"
    assert np.isfinite(one["tof"].values).any()
    assert list(one["species"].values) == model.species
    assert list(one["step"].values) == model.steps
    ref.close()


def test_map_all_states_equals_run_file(models_dir, kinmap_binary, tmp_path):
    # CO/Pt(100) is bistable over a band: the every-state variables of `kinmap run --all-states`.
    name = "co_oxidation_pt100"
    text = small_sweep((models_dir / (name + ".toml")).read_text(), 6, 5)
    model_path = tmp_path / (name + ".toml")
    model_path.write_text(text)
    out = tmp_path / "states.h5"
    run_cli(kinmap_binary, "run", str(model_path), "-o", str(out), "--all-states")
    ref = kinmap.open_map(out)
    model = kinmap.Model.from_string(text, name=str(model_path))
    for threads in (1, 3):
        assert_same_dataset(model.map(threads=threads, all_states=True), ref)
    assert "states_tof" in ref and int(ref["n_stable"].values.max()) >= 2, "no bistable point: the comparison says little"
    assert "states_tof" not in model.map(threads=1)
    ref.close()


def test_map_progress_bar(models_dir, capsys):
    text = small_sweep((models_dir / "co_oxidation_pt100.toml").read_text(), 6, 5)
    kinmap.Model.from_string(text).map(threads=2, progress=True)
    err = capsys.readouterr().err
    assert "30/30 points" in err and err.endswith("\n")
    kinmap.Model.from_string(text).map(threads=2)
    assert capsys.readouterr().err == ""


def test_ctrl_c_stops_the_workers(models_dir):
    # A map far longer than the wait (syngas on Rh(111): ~ms per point, 400x400 points): an
    # interrupt (what Ctrl-C delivers) must end it with KeyboardInterrupt within a second.
    text = small_sweep((models_dir / "syngas_rh111.toml").read_text(), 400, 400)
    model = kinmap.Model.from_string(text)
    timer = threading.Timer(0.5, _thread.interrupt_main)
    started = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        model.map(threads=2)
    elapsed = time.monotonic() - started
    timer.join()
    assert elapsed < 5.0, "the interrupt took %.1f s to stop the map" % elapsed
