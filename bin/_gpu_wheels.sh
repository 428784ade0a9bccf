# Sourced by the one-shot GPU scripts: install the pack's wheels (packages the GPU machine
# lacks, built for its Python) into a private folder and put it on the path.
if compgen -G "$PACK/wheels/*.whl" >/dev/null; then
    "$PYTHON" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/aifashion-site "$PACK"/wheels/*.whl
    export PYTHONPATH="/tmp/aifashion-site${PYTHONPATH:+:$PYTHONPATH}"
fi
# Nothing can be fetched there: no update checks, no model hub.
export NO_ALBUMENTATIONS_UPDATE=1 HF_HUB_OFFLINE=1
