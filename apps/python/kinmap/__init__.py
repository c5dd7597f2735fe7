"""kinmap from Python: microkinetic points and maps over the same C++ library as the ``kinmap``
command line (DESIGN §9).

    >>> import kinmap
    >>> model = kinmap.Model("data/models/co_oxidation_pt100.toml")
    >>> point = model.solve(p_O2_g=0.1, p_CO_g=0.01)
    >>> point.status, point.tof, point.coverage["O_s"]
    >>> ds = model.map(threads=2, progress=True)      # an xarray.Dataset, as open_map(run file)

Errors in the input raise :class:`InputError` (a ``ValueError``) with ``file``, ``line``,
``column`` and ``key``; a keyword argument is located at file ``"<python>"``, line 1, the column
its position among the call's keywords (1-based), the keyword as the key. A point the solver
cannot converge is not an error: its ``status`` says why, as everywhere in kinmap.
"""

import math
import os
import warnings

import numpy as np

from . import _kinmap

__all__ = ["__version__", "Model", "PointResult", "InputError", "open_map"]

#: The library version string (the ``kinmap_version`` of map files).
__version__ = _kinmap.__version__

InputError = _kinmap.InputError
InputError.__module__ = "kinmap"


def _input_error(key, message, column=1):
    """An InputError located at the Python call, as the library's own are."""
    error = InputError("<python>:1:%d: %s: %s" % (column, key, message))
    error.file, error.line, error.column, error.key, error.message = "<python>", 1, column, key, message
    return error




def _array(values):
    return np.array([math.nan if v is None else v for v in values], dtype=np.float64)


class PointResult:
    """One solved point: the fields of ``kinmap point --json`` (DESIGN §2) as attributes.

    ``status`` (str, ``"OK"`` when converged), ``tof`` (1/s per site), ``coverage`` (dict
    species → θ), ``rates`` and ``drc`` (NumPy arrays, one entry per step in file order),
    ``trc`` (dict species → value), ``orders`` (dict gas → value), ``ea_app_eV``, ``residual``,
    ``stable``, ``ode_steps``, ``newton_iterations``, ``wall_time_s``, ``conditions`` (dict axis
    name → value) and ``states`` (list, or None when every steady state was not asked for);
    fields of optional model features (e.g. ``descriptor_sensitivity``) when the model has them.
    A value that does not exist is None (NaN inside the arrays), as null is in the JSON.
    """

    def __init__(self, fields):
        self._fields = fields
        for key, value in fields.items():
            # "states" is a list of dicts (DESIGN §8), kept as it is; other lists are arrays.
            setattr(self, key, _array(value) if isinstance(value, list) and key != "states" else value)
        if "states" not in fields:
            self.states = None

    def to_dict(self):
        """Exactly the ``point --json`` object: a dict in its key order, None where it has null."""
        def copy(v):
            if isinstance(v, dict):
                return {k: copy(x) for k, x in v.items()}
            if isinstance(v, list):
                return [copy(x) for x in v]
            return v
        return copy(self._fields)

    def __repr__(self):
        return "PointResult(status=%r, tof=%r)" % (self.status, self.tof)


class Model:
    """A validated kinmap model (DESIGN §3), read from a TOML file; immutable.

    ``Model(path)`` reads a file, :meth:`Model.from_string` parses TOML text. Both raise
    :class:`InputError` naming the file, line, column and key of a mistake; the model's warnings
    are issued as Python warnings (``UserWarning``).
    """

    def __init__(self, path):
        self._core = _kinmap._Model.from_file(os.fspath(path))
        self._warn()

    @classmethod
    def from_string(cls, toml_text, name="<string>"):
        """A model from TOML text; ``name`` is the file name its error messages use."""
        return cls._wrap(_kinmap._Model.from_string(toml_text, name), warn=True)

    @classmethod
    def _wrap(cls, core, warn=False):
        model = cls.__new__(cls)
        model._core = core
        if warn:
            model._warn()
        return model

    def _warn(self):
        for text in self._core.warnings:
            warnings.warn(text, stacklevel=3)

    @property
    def species(self):
        """The surface species incl. free sites (``*_s``), the map file's ``species``: list of names."""
        return list(self._core.species)

    @property
    def steps(self):
        """The steps as their equations, in file order: list of str."""
        return list(self._core.steps)

    @property
    def gases(self):
        """The gases, in order of appearance: list of names."""
        return list(self._core.gases)

    @property
    def sites(self):
        """The site types of ``[sites]``: list of names (e.g. ``["s"]``)."""
        return list(self._core.sites)

    @property
    def axes(self):
        """The ``[sweep]`` axes x and y as dicts ``{"name", "units", "values"}`` (values a NumPy
        array); y of a 1-D sweep is the single-point axis the map file has. InputError without
        a ``[sweep]``."""
        return self._core.axes()

    @property
    def text(self):
        """The model's TOML source (for a derived model, with a comment saying what changed)."""
        return self._core.text

    def solve(self, *, all_states=False, **conditions):
        """Solve one point from the clean surface, as ``kinmap point --json``; returns a PointResult.

        Keywords are axis names as for ``--set``: ``p_O2_g=0.1`` (bar), ``T_K=500``,
        ``G_O_s=1.2`` (eV), a descriptor ``E_O=1.2``; other conditions come from the model.
        ``all_states=True`` also fills ``PointResult.states`` (DESIGN §8), as ``point --all-states``.
        """
        if not isinstance(all_states, bool):
            raise _input_error("all_states", "expected True or False, got %r" % (all_states,))
        return PointResult(self._core.solve(all_states, **conditions))

    def with_energies(self, **G_eV):
        """A new Model with species free energies replaced, in eV (``O_s=1.5``): each species then
        has that G at every temperature, as a ``[species] G_eV`` entry or the ``G_<species>``
        axis gives it (its E_eV, ``[scaling]`` row or BEP relation no longer applies)."""
        return Model._wrap(self._core.with_energies(**G_eV))

    def with_pressures(self, **p_bar):
        """A new Model with fixed partial pressures (``[pressures]``) replaced, in bar
        (``CO2_g=0.1``); a swept gas still takes its sweep's values."""
        return Model._wrap(self._core.with_pressures(**p_bar))

    def map(self, threads=None, progress=False, all_states=False):
        """The model's ``[sweep]`` grid in-process; returns an ``xarray.Dataset``.

        The points are solved on ``threads`` threads of this process (None: every core; no MPI)
        with the GIL released; the result equals ``open_map`` of the file ``kinmap run`` writes
        for the same model, bitwise in every result variable whatever the thread count. The run
        diagnostics differ: ``wall_time_s`` (timing), ``rank`` (0 for every point), root attrs
        ``n_ranks`` (1), ``schedule`` (``"threads"``) and ``created_utc``. ``progress=True``
        draws a text bar on stderr. Ctrl-C stops the workers after their current point and
        raises KeyboardInterrupt. ``all_states=True`` adds every steady state (DESIGN §8) as
        ``kinmap run --all-states`` does: the ``state`` dimension and ``n_states``, ``n_stable``,
        ``states_tof``, ``states_coverage``, ``states_stable``, ``clean_state`` (the run file's
        ``/fold`` group is not part of the Dataset, as it is not of ``open_map``'s).
        """
        if not isinstance(all_states, bool):
            raise _input_error("all_states", "expected True or False, got %r" % (all_states,))
        if threads is None:
            threads = 0  # the library's choice: every hardware thread
        elif isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
            raise _input_error("threads", "expected a positive integer or None, got %r" % (threads,))
        parts = self._core.map_parts(threads, bool(progress), bool(all_states))
        return _dataset(parts)

    def __repr__(self):
        return "kinmap.Model(%r: %d species, %d steps)" % (self._core.path, len(self.species), len(self.steps))


def _dataset(parts):
    """The xarray Dataset of a map from the compiled part's arrays and attributes (which the
    run's own map layout gives), as open_map gives it for the run's file."""
    import xarray
    coords = {}
    for name, values, attrs in parts["coords"]:
        if not isinstance(values, np.ndarray):
            values = np.array(values, dtype=object)
        coords[name] = xarray.Variable((name,), values, attrs)
    data_vars = {name: xarray.Variable(dims, values, attrs) for name, dims, values, attrs in parts["variables"]}
    return xarray.Dataset(data_vars, coords=coords, attrs=parts["attrs"])


def open_map(path):
    """A kinmap map file as an ``xarray.Dataset``: ``xarray.open_dataset(path, engine="h5netcdf")``
    with the ``species``, ``step``, ``gas`` (and ``descriptor``) labels decoded to str."""
    import xarray
    ds = xarray.open_dataset(path, engine="h5netcdf")
    labels = {}
    for name in ("species", "step", "gas", "descriptor"):
        if name in ds.coords and ds[name].dtype.kind in "OS":
            values = [v.decode() if isinstance(v, bytes) else str(v) for v in ds[name].values]
            labels[name] = np.array(values, dtype=object)
    return ds.assign_coords(labels) if labels else ds
