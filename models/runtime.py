"""Process-wide inference settings for model-serving processes."""
import os

import torch

_configured = False


def torch_threads_configure() -> None:
    """Fix the thread count once per process: results and speed then do not depend on
    how many cores the host happens to expose."""
    global _configured
    if not _configured:
        torch.set_num_threads(int(os.environ.get("MODEL_THREADS", "2")))
        _configured = True


def model_device() -> torch.device:
    """Where served models run: AIFASHION_DEVICE ("cpu", "cuda", "cuda:1") when set, else the
    GPU when torch sees one. A CPU-only host needs no setting."""
    return torch.device(os.environ.get("AIFASHION_DEVICE") or ("cuda" if torch.cuda.is_available() else "cpu"))


def device_name(device: torch.device) -> str:
    """"cpu", or the GPU's model (a model card says what trained it)."""
    return torch.cuda.get_device_name(device) if device.type == "cuda" else str(device)
