#!/usr/bin/python3
"""The module layering of DESIGN §1, checked on the sources (issue 14):

- each module includes only kinmap headers of itself and of the modules below it in
  core → mechanism → kinetics → ode → steady → sweep → parallel → io → driver (apps use all);
- raw MPI (`MPI_`, `<mpi.h>`) appears only in src/parallel and include/kinmap/parallel;
- HDF5 (`H5[A-Z]`, `<hdf5.h>`) appears only in src/io (not even in io's public headers);
  under src/ these are literal, comments included (the issue's `grep -rn "MPI_" src`); in
  the public headers, comments may name MPI calls (e.g. what an MpiError carries).
- toml++ only in src/mechanism, Boost.Odeint and SuiteSparse's KLU only in src/ode.

Usage: layering.py SOURCE_ROOT. Prints every violation as FILE:LINE: what; exits 1 if any.
"""
import pathlib
import re
import sys

ORDER = ["core", "mechanism", "kinetics", "ode", "steady", "sweep", "parallel", "io", "driver"]
root = pathlib.Path(sys.argv[1])
problems = []


def module_of(path):
    parts = path.relative_to(root).parts
    if parts[0] == "src" and parts[1] in ORDER:
        return parts[1]
    if parts[:2] == ("include", "kinmap") and parts[2] in ORDER:
        return parts[2]
    return None


files = sorted(p for d in ("src", "include") for p in (root / d).rglob("*")
               if p.suffix in (".hpp", ".cpp", ".in"))
if len(files) < 40:
    sys.exit("FAILED: only %d source files under %s: wrong root?" % (len(files), root))
checked_includes = 0
for path in files:
    module = module_of(path)
    rel = path.relative_to(root)
    text = path.read_text()
    for number, line in enumerate(text.splitlines(), 1):
        where = "%s:%d" % (rel, number)
        is_comment = line.strip().startswith("//")
        literal = rel.parts[0] == "src" or not is_comment
        m = re.match(r'\s*#\s*include\s+"kinmap/([a-z_]+)/', line)
        if m and module is not None:
            checked_includes += 1
            used = m.group(1)
            if used not in ORDER:
                problems.append("%s: includes unknown module '%s'" % (where, used))
            elif ORDER.index(used) > ORDER.index(module):
                problems.append("%s: module %s includes %s, which is above it" % (where, module, used))
        if literal and re.search(r"\bMPI_|#\s*include\s*<mpi\.h>", line) and module != "parallel":
            problems.append("%s: raw MPI outside parallel: %s" % (where, line.strip()))
        if literal and re.search(r"\bH5[A-Z]|#\s*include\s*<hdf5", line) and not str(rel).startswith("src/io/"):
            problems.append("%s: HDF5 outside src/io: %s" % (where, line.strip()))
        if re.search(r"#\s*include\s*<toml", line) and not str(rel).startswith("src/mechanism/"):
            problems.append("%s: toml++ outside src/mechanism: %s" % (where, line.strip()))
        if re.search(r"#\s*include\s*<boost/numeric/odeint", line) and not str(rel).startswith("src/ode/"):
            problems.append("%s: Boost.Odeint outside src/ode: %s" % (where, line.strip()))
        if re.search(r"#\s*include\s*<(klu|amd|colamd|btf)\.h>", line) and not str(rel).startswith("src/ode/"):
            problems.append("%s: KLU outside src/ode: %s" % (where, line.strip()))
if checked_includes < 50:
    sys.exit("FAILED: only %d kinmap includes seen: the include pattern is wrong" % checked_includes)
for p in problems:
    print(p)
if problems:
    sys.exit("FAILED: %d layering violations" % len(problems))
print("ok: %d files, %d kinmap includes, no layering violation" % (len(files), checked_includes))
