"""Bad input raises kinmap.InputError (a ValueError) with the file, line, column and key of
the mistake, as the command line reports it (DESIGN §9)."""
import pytest

import kinmap

GOOD = """[model]
name = "a-b"
temperature_K = 500.0
tof_of = "HNC_g"

[sites]
s = 1.0

[pressures]
HNC_g = 0.1

[[step]]
equation = "HCN_g + *_s -> HCN_s"
kf = 1.0e3
kr = 1.0

[[step]]
equation = "HCN_s -> HNC_g + *_s"
kf = 10.0
kr = 0.1
"""


def test_input_error_is_a_value_error():
    assert issubclass(kinmap.InputError, ValueError)


def test_bad_model_text_names_line_and_key():
    text = GOOD.replace("kf = 10.0", "kf = -10.0")
    line = text.splitlines().index("kf = -10.0") + 1
    with pytest.raises(kinmap.InputError) as e:
        kinmap.Model.from_string(text, name="bad.toml")
    err = e.value
    assert err.file == "bad.toml"
    assert err.line == line
    assert err.key == "step[2].kf"
    assert err.column >= 1
    assert str(err).startswith("bad.toml:%d:%d: step[2].kf: " % (line, err.column))


def test_unknown_species_in_equation():
    text = GOOD.replace('equation = "HCN_s -> HNC_g + *_s"', 'equation = "HCN_s -> HNC_g + *_t"')
    line = text.splitlines().index('equation = "HCN_s -> HNC_g + *_t"') + 1
    with pytest.raises(kinmap.InputError) as e:
        kinmap.Model.from_string(text, name="sites.toml")
    assert (e.value.file, e.value.line) == ("sites.toml", line)
    assert e.value.key.startswith("step[2]")


def test_missing_file(tmp_path):
    with pytest.raises(kinmap.InputError) as e:
        kinmap.Model(tmp_path / "nope.toml")
    assert e.value.file.endswith("nope.toml")


def test_bad_keywords_are_located_at_the_call():
    model = kinmap.Model.from_string(GOOD)
    with pytest.raises(kinmap.InputError) as e:
        model.solve(p_HCN_g=0.1, p_N2_g=0.2)
    assert (e.value.file, e.value.line, e.value.column, e.value.key) == ("<python>", 1, 2, "p_N2_g")
    with pytest.raises(kinmap.InputError) as e:
        model.solve(p_HCN_g="lots")
    assert (e.value.column, e.value.key) == (1, "p_HCN_g") and "number" in e.value.message
    with pytest.raises(kinmap.InputError) as e:
        model.solve(p_HCN_g=-1.0)
    assert e.value.key == "p_HCN_g"
    with pytest.raises(kinmap.InputError) as e:
        model.solve()  # HCN_g has no pressure anywhere
    assert "HCN_g" in str(e.value)
    with pytest.raises(kinmap.InputError) as e:
        model.with_pressures(HNC_g=0.2, Q_g=1.0)
    assert (e.value.column, e.value.key) == (2, "Q_g")
    with pytest.raises(kinmap.InputError) as e:
        model.map()  # no [sweep]
    assert "sweep" in str(e.value)
    with pytest.raises(kinmap.InputError) as e:
        model.map(threads=0)
    assert e.value.key == "threads"


def test_good_model_solves():
    # HCN_g -> HCN_s -> HNC_g (isomerisation through the surface): the TOF is the net rate of
    # step 2, which at steady state equals step 1's.
    model = kinmap.Model.from_string(GOOD)
    r = model.solve(p_HCN_g=1.0)
    assert r.status == "OK"
    assert r.rates[0] == pytest.approx(r.rates[1], rel=1e-8)
    assert r.tof == pytest.approx(r.rates[1], rel=1e-12)
    # Closed form: θ from kf1·p·θ* − kr1·θ = kf2·θ − kr2·p_HNC·θ*, θ + θ* = 1, so
    # θ/θ* = (kf1·p + kr2·p_HNC)/(kr1 + kf2).
    a = 1.0e3 * 1.0 + 0.1 * 0.1
    b = 1.0 + 10.0
    theta_a = a / (a + b)
    assert r.coverage["HCN_s"] == pytest.approx(theta_a, rel=1e-7)
