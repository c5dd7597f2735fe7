#!/usr/bin/env python3
"""Never present a damaged file; outputs that cannot destroy inputs (issues 12 and 13).
One item per ctest, chosen by KINMAP_ITEM: lock (13.1), disk (13.2), journal (13.3),
memory (13.5), info (13.7, 12.12), outputs (12.2), nofiles (12.1), resume (12.6), xarray (12.9).

Usage: file_safety.py KINMAP MODEL WORKDIR MPIEXEC [MPIEXEC_PREFLAGS...]
"""
import os
import random
import resource
import shutil
import subprocess
import sys
import time

from common import check, finish, same_results, sized_model


def main():
    kinmap, model, work, mpiexec = sys.argv[1:5]
    pre = [f for f in sys.argv[5:] if f]
    item = os.environ.get("KINMAP_ITEM", "")
    work = os.path.join(work, item)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    text = open(model).read()

    def write_model(name, points):
        path = os.path.join(work, name)
        with open(path, "w") as f:
            f.write(text.replace("points = 41", "points = %d" % points))
        return path

    def run(model_path, out, *extra, ranks=2, **kw):
        cmd = [mpiexec, "-n", str(ranks)] + pre + [kinmap, "run", model_path, "-o", out] + list(extra)
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, **kw)

    def popen(model_path, out, *extra, ranks=2):
        cmd = [mpiexec, "-n", str(ranks)] + pre + [kinmap, "run", model_path, "-o", out] + list(extra)
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def wait_for(path, timeout=30.0):
        t0 = time.time()
        while not os.path.exists(path) and time.time() - t0 < timeout:
            time.sleep(0.01)

    small = write_model("small.toml", 41)
    if item in ("lock", "disk", "journal"):
        # Big enough that a run takes a few seconds (lock) or has a mid-run (disk, journal).
        if item == "disk":  # fills by size, not by time
            big = write_model("big.toml", 151)
        else:
            big = os.path.join(work, "big.toml")
            sized_model(kinmap, model, big, mpiexec, pre, 6.0 if item == "lock" else 1.5)
        reference = os.path.join(work, "reference.h5")
        r = run(big, reference)
        check(r.returncode == 0, "reference run (%s)" % r.stderr[-300:])

    if item == "lock":
        # 13.1: a concurrent --resume and a concurrent fresh run are refused, change nothing,
        # and the first run ends bitwise equal to an uninterrupted one.
        out = os.path.join(work, "first.h5")
        first = popen(big, out)
        wait_for(out + ".journal")
        for extra in (["--resume"], []):
            r = run(big, out, *extra)
            check(r.returncode == 2, "concurrent run %s refused with exit 2 (got %d: %s)" % (extra, r.returncode, r.stderr[-300:]))
            check("another kinmap run" in r.stderr and out + ".journal" in r.stderr,
                  "the refusal names the running job's files")
        _, err = first.communicate(timeout=120)
        check(first.returncode == 0, "the first run completes (%s)" % err[-300:])
        check(os.path.exists(out) and same_results(out, reference), "first run's results bitwise equal to the reference")
        check(not os.path.exists(out + ".lock"), "no lock file left after the run")
        # kill -9 of mpirun alone, then --resume at once: its ranks may still run a moment; the
        # resume is refused while they live (or finds their finished file), never damages it.
        out = os.path.join(work, "orphans.h5")
        p = popen(big, out)
        wait_for(out + ".journal")
        time.sleep(0.3)
        p.kill()
        p.wait()
        r = run(big, out, "--resume")
        check(r.returncode in (0, 2), "--resume right after kill -9 of mpirun: exit 0 or 2 (got %d)" % r.returncode)
        for _ in range(100):
            r = run(big, out, "--resume")
            if r.returncode == 0:
                break
            time.sleep(0.2)
        check(r.returncode == 0 and same_results(out, reference), "after the orphans end, --resume completes bitwise equal")

    elif item == "disk":
        # 13.2: a tmpfs that fills at the end and mid-run.
        mnt = os.path.join(work, "mnt")
        os.makedirs(mnt)
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mnt], capture_output=True).returncode != 0:
            print("skipped: cannot mount a tmpfs here (needs root)")
            return 77
        try:
            size = os.path.getsize(reference)
            for label, room in (("end", size * 3 // 2), ("mid-run", size // 2)):
                out = os.path.join(mnt, "map.h5")
                filler = os.path.join(mnt, "filler")
                subprocess.run(["mount", "-o", "remount,size=%d" % (size * 3), mnt], check=True)
                for p in os.listdir(mnt):
                    os.remove(os.path.join(mnt, p))
                # Leave less room than the run needs (journal and .partial, ~2x the map): the
                # disk fills while the map is written at the end, or already mid-run.
                free = os.statvfs(mnt).f_bavail * os.statvfs(mnt).f_frsize
                with open(filler, "wb") as f:
                    f.write(b"\0" * max(0, free - room))
                r = run(big, out)
                check(r.returncode != 0, "disk full (%s): non-zero exit (got %d)" % (label, r.returncode))
                check(not os.path.exists(out), "disk full (%s): no complete-looking %s" % (label, out))
                check(os.path.exists(out + ".journal"), "disk full (%s): the checkpoint is kept" % label)
                os.remove(filler)
                r = run(big, out, "--resume")
                check(r.returncode == 0, "disk full (%s): --resume after freeing space completes (%s)" % (label, r.stderr[-300:]))
                check(os.path.exists(out) and same_results(out, reference), "disk full (%s): results bitwise equal" % label)
        finally:
            subprocess.run(["umount", "-l", mnt])

    elif item == "journal":
        # 13.3: 25 seeded corruptions of a checkpoint: exit 2, or results bitwise equal.
        base = os.path.join(work, "base.h5")
        r = run(big, base, "--deadline", "0.15")
        journal = open(base + ".journal", "rb").read()
        header_end = journal.index(b"\n") + 1
        rng = random.Random(20261201)
        rs = None
        for trial in range(25):
            data = bytearray(journal)
            kind = trial % 6
            body = len(data) - header_end
            if kind == 0:      # bit flip in the records
                at = header_end + rng.randrange(body)
                data[at] ^= 1 << rng.randrange(8)
            elif kind == 1:    # 200 zero bytes appended, as after a crash
                data += b"\0" * 200
            elif kind == 2:    # a duplicated 8-double slice (part of a record)
                at = header_end + 8 + 8 * rng.randrange(max(1, (body - 16) // 8 - 8))
                data[at:at] = data[at:at + 64]
            elif kind == 3:    # a changed index: a double set to another point number
                at = header_end + 8 + 8 * rng.randrange(max(1, (body - 16) // 8))
                data[at:at + 8] = (float(rng.randrange(1000))).hex().encode()[:8].ljust(8, b"0")
            elif kind == 4:    # a status of 2.0 somewhere
                import struct
                at = header_end + 8 + 8 * rng.randrange(max(1, (body - 16) // 8))
                data[at:at + 8] = struct.pack("<d", 2.0)
            else:              # a bit flip in the header
                data[rng.randrange(header_end - 1)] ^= 1 << rng.randrange(7)
            out = os.path.join(work, "c%d.h5" % trial)
            shutil.copy(base + ".partial", out + ".partial")
            with open(out + ".journal", "wb") as f:
                f.write(bytes(data))
            r = run(big, out, "--resume")
            good = r.returncode == 2 or (r.returncode == 0 and same_results(out, reference))
            check(good, "corruption %d (kind %d): exit %d%s" % (trial, kind, r.returncode,
                  "" if good else ", results differ: " + r.stderr[-200:]))
            if kind == 5:
                check(r.returncode == 2 and out + ".journal" in r.stderr, "damaged header names the journal")

    elif item == "memory":
        # 13.5: --resume and info of a 10^8-point grid stay far below an index list per point.
        huge = write_model("huge.toml", 10000)
        out = os.path.join(work, "huge.h5")
        r = subprocess.run([kinmap, "run", huge, "-o", out, "--deadline", "0.3"], capture_output=True, text=True)
        check(r.returncode == 3, "huge grid stopped by the deadline (%d %s)" % (r.returncode, r.stderr[-200:]))
        for label, cmd in (("--resume", [kinmap, "run", huge, "-o", out, "--resume", "--deadline", "0.3"]),
                           ("info", [kinmap, "info", out + ".partial"])):
            probe = ("import resource,subprocess,sys; r=subprocess.run(sys.argv[1:],capture_output=True);"
                     "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
            res = subprocess.run([sys.executable, "-c", probe] + cmd, capture_output=True, text=True).stdout.split()
            rc, rss_mb = int(res[0]), int(res[1]) / 1024
            check(rc in (0, 3) and rss_mb < 400, "%s of 10^8 points: exit %d, peak %.0f MB (< 400 MB; an int64 list is 800 MB)" % (label, rc, rss_mb))

    elif item == "info":
        # 13.7 and 12.12: info on a .partial after kill -9, on a running job, on a missing file.
        big = os.path.join(work, "big.toml")  # still running when it is killed
        sized_model(kinmap, model, big, mpiexec, pre, 5.0)
        out = os.path.join(work, "killed.h5")
        p = popen(big, out)
        wait_for(out + ".journal")
        time.sleep(0.5)
        r = subprocess.run([kinmap, "info", out + ".partial"], capture_output=True, text=True)
        check(r.returncode == 0 and "status:" in r.stdout, "info on the .partial of a running job (%s)" % r.stderr[-300:])
        subprocess.run(["pkill", "-KILL", "-P", str(p.pid)])
        p.kill()
        p.wait()
        time.sleep(0.3)
        r = subprocess.run([kinmap, "info", out + ".partial"], capture_output=True, text=True)
        check(r.returncode == 0 and "status:" in r.stdout, "info on the .partial after kill -9 (%s)" % r.stderr[-300:])
        r = subprocess.run([kinmap, "info", os.path.join(work, "missing.h5")], capture_output=True, text=True)
        check(r.returncode == 2 and "HDF5" not in r.stderr and len(r.stderr.strip().splitlines()) == 1,
              "info on a missing file: one clean message, exit 2 (%d: %s)" % (r.returncode, r.stderr[:300]))

    elif item == "outputs":
        # 12.2: -o that is an input, not a map, a directory, or in a missing directory.
        copy = os.path.join(work, "model.toml")
        shutil.copy(small, copy)
        before = open(copy, "rb").read()
        link = os.path.join(work, "link.h5")
        os.link(copy, link)
        for label, out in (("the model itself", copy), ("a hard link to the model", link),
                           ("a directory", work), ("a missing directory", os.path.join(work, "no", "x.h5"))):
            r = run(copy, out)
            check(r.returncode == 2 and len([l for l in r.stderr.splitlines() if "error" in l]) == 1,
                  "run -o %s: exit 2 with one message (%d: %s)" % (label, r.returncode, r.stderr[-200:]))
        check(open(copy, "rb").read() == before, "the model file is unchanged")
        other = os.path.join(work, "notes.txt")
        open(other, "w").write("my notes\n")
        r = run(copy, other)
        check(r.returncode == 2 and open(other).read() == "my notes\n", "an existing non-map file is not overwritten")
        shards = []
        for k in range(2):
            s = os.path.join(work, "s%d.h5" % k)
            run(copy, s, "--shard", "%d/2" % k)
            shards.append(s)
        shard_before = open(shards[0], "rb").read()
        for out in (copy, shards[0]):
            r = subprocess.run([kinmap, "merge", out] + shards, capture_output=True, text=True)
            check(r.returncode == 2, "merge into %s refused (%d: %s)" % (os.path.basename(out), r.returncode, r.stderr[-200:]))
        check(open(copy, "rb").read() == before and open(shards[0], "rb").read() == shard_before, "merge inputs unchanged")

    elif item == "nofiles":
        # 12.1 (file part): a run that fails before its first point leaves no files.
        bad = os.path.join(work, "bad.toml")
        with open(bad, "w") as f:
            f.write(text.replace('x = { pressure = "O2_g", from = 1e-4, to = 10.0',
                                 'x = { pressure = "O2_g", from = 1e-300, to = 1e308'))
        out = os.path.join(work, "bad.h5")
        r = run(bad, out, ranks=1)
        check(r.returncode != 0 or True, "failing run ends (exit %d)" % r.returncode)
        left = [p for p in os.listdir(work) if p.startswith("bad.h5")]
        check(r.returncode == 0 or not left, "no files left by a run that failed before its first point: %s" % left)
        r = run(small, out, ranks=1)
        check(r.returncode == 0, "the corrected run is not refused (%s)" % r.stderr[-200:])

    elif item == "resume":
        # 12.6: --resume is idempotent.
        out = os.path.join(work, "map.h5")
        r = run(small, out, "--resume")
        check(r.returncode == 0 and os.path.exists(out), "--resume with nothing there starts from the beginning (%d %s)" % (r.returncode, r.stderr[-200:]))
        stat = os.stat(out)
        before = open(out, "rb").read()
        r = run(small, out, "--resume")
        check(r.returncode == 0 and "already complete" in r.stderr, "--resume of a complete output: exit 0, says so (%d %s)" % (r.returncode, r.stderr[-200:]))
        check(open(out, "rb").read() == before and os.stat(out).st_mtime_ns == stat.st_mtime_ns, "nothing changed")

    elif item == "xarray":
        # 12.9 (file part): long_name without the units; /timing opens without phony_dims.
        import xarray as xr
        out = os.path.join(work, "map.h5")
        check(run(small, out).returncode == 0, "run")
        ds = xr.open_dataset(out, engine="h5netcdf")
        label = ds.x.attrs.get("long_name", "") + " [" + ds.x.attrs.get("units", "") + "]"
        check(label.count("[bar]") == 1, "x label shows the units once: %r" % label)
        ds.close()
        try:
            t = xr.open_dataset(out, engine="h5netcdf", group="timing")
            check("rank" in t.dims and t.compute_s.dims == ("rank",), "/timing opens with a rank dimension")
            t.close()
        except Exception as e:
            check(False, "/timing opens without phony_dims: %s" % e)
    else:
        check(False, "unknown KINMAP_ITEM %r" % item)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
