#!/usr/bin/python3
"""The committed benchmark family (bench/family) is what bench/gen_mechanisms.py writes, byte for
byte: regenerate it into a temporary directory and compare every file, and the file list.

Usage: family_files.py PYTHON SOURCE_DIR
"""
import filecmp
import os
import subprocess
import sys
import tempfile


def main():
    python, source = sys.argv[1], sys.argv[2]
    committed = os.path.join(source, "bench", "family")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([python, os.path.join(source, "bench", "gen_mechanisms.py"), tmp], check=True)
        fresh = sorted(os.listdir(tmp))
        kept = sorted(f for f in os.listdir(committed) if f.endswith(".toml"))
        if fresh != kept:
            sys.exit(f"family_files: file lists differ: generated {fresh}, committed {kept}")
        if len(fresh) != 18:
            sys.exit(f"family_files: expected 18 models (chain and network at 9 sizes), got {len(fresh)}")
        differ = [f for f in fresh
                  if not filecmp.cmp(os.path.join(tmp, f), os.path.join(committed, f), shallow=False)]
        if differ:
            sys.exit(f"family_files: regenerated files differ from the committed ones: {differ}")
    print(f"family_files: {len(fresh)} models identical to bench/family")


if __name__ == "__main__":
    main()
