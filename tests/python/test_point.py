"""Model.solve equals `kinmap point --json` (DESIGN §9): the same object, bitwise in every number
(the JSON's shortest round-trip decimals read back to the same doubles), for every shipped model
at sample points of its sweep; wall_time_s, a timing, excepted."""
import json
import math
import struct

import numpy as np
import pytest

import kinmap
from conftest import run_cli, shipped_models


def sample_points(model):
    """Corners and the middle of the model's sweep: {axis name: value}."""
    x, y = model.axes
    one_d = len(y["values"]) == 1 and y["name"] in ("", "none")
    points = []
    for i, j in ((0, 0), (len(x["values"]) // 2, len(y["values"]) // 2), (-1, -1)):
        point = {x["name"]: float(x["values"][i])}
        if not one_d:
            point[y["name"]] = float(y["values"][j])
        points.append(point)
    return points


def bits(value):
    return struct.pack("<d", value)


@pytest.mark.parametrize("name", shipped_models())
def test_solve_equals_point_json(name, models_dir, kinmap_binary):
    path = models_dir / (name + ".toml")
    model = kinmap.Model(path)
    statuses = set()
    for point in sample_points(model):
        sets = []
        for axis, value in point.items():
            sets += ["--set", "%s=%r" % (axis, value)]  # repr: the double's round-trip decimal
        cli = json.loads(run_cli(kinmap_binary, "point", str(path), *sets, "--json", check_rc=(0, 1)).stdout)
        result = model.solve(**point)
        mine = result.to_dict()
        assert list(mine) == list(cli), "keys or their order differ"
        cli.pop("wall_time_s")
        mine.pop("wall_time_s")
        assert mine == cli, "%s at %s" % (name, point)
        statuses.add(result.status)
        # The attributes are the same numbers: bitwise TOF, coverages, rates.
        if cli["tof"] is not None:
            assert bits(result.tof) == bits(cli["tof"])
        for species, theta in cli["coverage"].items():
            assert (result.coverage[species] is None and theta is None) or bits(result.coverage[species]) == bits(theta)
        assert isinstance(result.rates, np.ndarray) and result.rates.dtype == np.float64
        expected = np.array([math.nan if v is None else v for v in cli["rates"]])
        assert result.rates.tobytes() == expected.tobytes()
        assert result.conditions == cli["conditions"]
        assert result.states is None
    assert "OK" in statuses, "no sample point of %s converged: the comparison says little" % name


def test_solve_follows_the_conditions(models_dir):
    # The reaction order in O2 (from the converged Jacobian) against an independent central
    # difference of ln TOF in ln p_O2 from two more solves: |error| ~ h^2 with h = 1e-3.
    model = kinmap.Model(models_dir / "co_oxidation_pt100.toml")
    p, h = 0.1, 1e-3
    mid = model.solve(p_O2_g=p, p_CO_g=0.01)
    up = model.solve(p_O2_g=p * (1 + h), p_CO_g=0.01)
    down = model.solve(p_O2_g=p * (1 - h), p_CO_g=0.01)
    assert {mid.status, up.status, down.status} == {"OK"}
    order = (math.log(up.tof) - math.log(down.tof)) / (math.log1p(h) - math.log1p(-h))
    assert mid.orders["O2_g"] == pytest.approx(order, abs=1e-4)
    assert abs(order) > 0.1  # the TOF does depend on p_O2 here
    # Coverages of the one site type add up to its total (1); DRCs sum to 1 (§2).
    assert math.isclose(sum(mid.coverage.values()), 1.0, rel_tol=0, abs_tol=1e-12)
    assert set(mid.coverage) == set(model.species)
    assert len(mid.rates) == len(model.steps) == len(mid.drc)
    assert math.isclose(float(np.sum(mid.drc)), 1.0, abs_tol=1e-6)


def test_with_energies_equals_the_energy_axis(models_dir):
    # with_energies(O_s=G) gives the point that --set G_O_s=G gives on the original model.
    model = kinmap.Model(models_dir / "co_oxidation_pt111.toml")
    assert "O_s" in model.species
    g = 1.25
    changed = model.with_energies(O_s=g).solve(T_K=600.0, p_CO_g=0.01)
    via_axis = model.solve(T_K=600.0, p_CO_g=0.01, G_O_s=g)
    a, b = changed.to_dict(), via_axis.to_dict()
    for d in (a, b):
        d.pop("wall_time_s")
    assert a == b
    assert changed.tof != model.solve(T_K=600.0, p_CO_g=0.01).tof
    assert "with_energies(O_s=1.25)" in model.with_energies(O_s=g).text


def test_with_pressures_equals_set(models_dir, kinmap_binary):
    path = models_dir / "co_oxidation_pt100.toml"
    model = kinmap.Model(path)
    assert "CO2_g" in model.gases
    mine = model.with_pressures(CO2_g=0.5).solve(p_O2_g=0.1, p_CO_g=0.01).to_dict()
    cli = json.loads(run_cli(kinmap_binary, "point", str(path), "--set", "p_O2_g=0.1", "--set", "p_CO_g=0.01",
                             "--set", "p_CO2_g=0.5", "--json", check_rc=(0, 1)).stdout)
    mine.pop("wall_time_s")
    cli.pop("wall_time_s")
    assert mine == cli
    assert mine["conditions"]["p_CO2_g"] == 0.5


def test_model_names(models_dir):
    model = kinmap.Model(models_dir / "co_oxidation_pt100.toml")
    assert model.species[-1].startswith("*_") or "*_s" in model.species
    assert model.sites == ["s"]
    assert set(model.gases) == {"CO_g", "O2_g", "CO2_g"}
    assert all("->" in s for s in model.steps)
    x, y = model.axes
    assert (x["name"], x["units"], len(x["values"])) == ("p_O2_g", "bar", 41)
    assert (y["name"], y["units"], len(y["values"])) == ("p_CO_g", "bar", 41)
    assert x["values"][0] == 1e-4 and x["values"][-1] == 10.0


def test_solve_takes_keywords_only(models_dir):
    model = kinmap.Model(models_dir / "co_oxidation_pt100.toml")
    with pytest.raises(TypeError):
        model.solve(0.1, p_O2_g=0.1, p_CO_g=0.01)
    with pytest.raises(kinmap.InputError) as e:
        model.solve(p_O2_g=0.1, p_CO_g=0.01, all_states="yes")
    assert e.value.key == "all_states"


def test_all_states_equal_the_cli(models_dir, kinmap_binary):
    # A bistable point of CO/Pt(100): every steady state, as `kinmap point --all-states --json`.
    path = models_dir / "co_oxidation_pt100.toml"
    got = kinmap.Model(path).solve(p_O2_g=0.1, p_CO_g=0.01, all_states=True)
    out = run_cli(kinmap_binary, "point", str(path), "--set", "p_O2_g=0.1", "--set", "p_CO_g=0.01",
                  "--all-states", "--json")
    want = json.loads(out.stdout)["states"]
    assert got.states is not None and len(got.states) == len(want) >= 1
    for g, w in zip(got.states, want):
        assert g["tof"] == w["tof"] and g["stable"] == w["stable"] and g["clean"] == w["clean"]
        assert g["coverage"] == w["coverage"]
    assert kinmap.Model(path).solve(p_O2_g=0.1, p_CO_g=0.01).states is None
