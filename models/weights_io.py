"""Served weights: safetensors files whose metadata carries the model config,
plus a JSON model card beside each."""
import json
from pathlib import Path

import torch
from safetensors.torch import load_file, safe_open, save_file


def weights_save(*, module: torch.nn.Module, path: Path, config: dict, fp16: bool = True) -> None:
    state = {}
    for name, tensor in module.state_dict().items():
        tensor = tensor.detach().cpu().contiguous()
        # Integer buffers (BatchNorm's num_batches_tracked) carry no precision to lose.
        if fp16 and tensor.is_floating_point():
            tensor = tensor.half()
        state[name] = tensor
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(state, str(path), metadata={"config": json.dumps(config)})


def weights_config(path: Path) -> dict:
    with safe_open(str(path), framework="pt") as handle:
        return json.loads(handle.metadata()["config"])


def weights_load_into(*, module: torch.nn.Module, path: Path, new_prefixes: tuple[str, ...] = (),
                      old_prefixes: tuple[str, ...] = ()) -> None:
    """Load every tensor of `module` from `path`; only tensors named by `new_prefixes` (parts
    added since the file was written) may be missing there, and they keep their initial values;
    tensors named by `old_prefixes` (parts the module replaced) are left unread."""
    reference = module.state_dict()
    state = {k: v.to(reference[k].dtype) if k in reference else v for k, v in load_file(str(path)).items()
             if not (old_prefixes and k.startswith(old_prefixes))}
    missing = [k for k in reference if k not in state]
    if new_prefixes and all(k.startswith(new_prefixes) for k in missing):
        state = {**reference, **state}
    module.load_state_dict(state)  # strict: names anything else that is missing or unexpected


def card_path(weights_path: Path) -> Path:
    return weights_path.with_suffix(".json")


def card_read(weights_path: Path) -> dict:
    path = card_path(weights_path)
    return json.loads(path.read_text()) if path.exists() else {}


def card_update(weights_path: Path, **fields) -> dict:
    card = card_read(weights_path)
    card.update(fields)
    card_path(weights_path).write_text(json.dumps(card, indent=2, sort_keys=True) + "\n")
    return card
