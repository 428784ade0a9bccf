"""A Python for rehearsing the one-shot GPU scripts here: it refuses to import what the GPU
machine lacks, so a rehearsal that passes here does not lean on this machine's packages."""
import os
import sys
from pathlib import Path

BLOCKING_PYTHON = """import os, runpy, sys
for name in {absent!r}:
    sys.modules[name] = None
assert sys.argv[1] == "-m"
sys.argv = [sys.argv[2]] + sys.argv[3:]
sys.path[0] = os.getcwd()  # as python -m has it
runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
"""


def blocking_python(folder: Path, absent: tuple[str, ...]) -> Path:
    """An executable that runs `python -m ...` with the modules `absent` unimportable."""
    (folder / "blocking.py").write_text(BLOCKING_PYTHON.format(absent=absent))
    python = folder / "python"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{folder / "blocking.py"}" "$@"\n')
    python.chmod(0o755)
    return python


def rehearsal_environment(**extra: str) -> dict:
    """This process's environment without its AIFASHION_ settings, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIFASHION_")}
    env.update(extra)
    return env
