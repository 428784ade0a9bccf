"""Settings for rehearsing the one-shot GPU scripts here: under them Python refuses to import
what the GPU machine lacks, so a rehearsal that passes here does not lean on this machine's
packages."""
import os
import sys
from pathlib import Path


def blocking_environment(folder: Path, absent: tuple[str, ...]) -> dict:
    """Settings under which every Python the scripts start (their spawned workers too) finds
    the modules `absent` unimportable: a sitecustomize on PYTHONPATH blocks them at start-up."""
    (folder / "sitecustomize.py").write_text(f"import sys\nfor name in {absent!r}:\n    sys.modules[name] = None\n")
    return {"PYTHON": sys.executable, "PYTHONPATH": str(folder)}


def rehearsal_environment(**extra: str) -> dict:
    """This process's environment without its AIFASHION_ settings, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIFASHION_")}
    env.update(extra)
    return env
