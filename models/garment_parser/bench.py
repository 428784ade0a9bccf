"""CPU latency of the served parser against the earlier system's architecture
(smp U-Net, timm-efficientnet-b3 encoder, longest side 800), in the same run."""
import statistics
import time

import numpy as np
import torch

from models.garment_parser.data import ccp_ids, ccp_load, ccp_split
from models.garment_parser.groups import default_groups
from models.garment_parser.model import parser_build
from models.garment_parser.predict import class_probabilities, inference_optimise, photo_labels

EARLIER = {"arch": "Unet", "encoder_name": "timm-efficientnet-b3", "decoder_channels": [256, 128, 64, 32, 16],
           "classes": 10, "serve_long_side": 800}


def _ms_per_photo(model: torch.nn.Module, photos: list[np.ndarray], long_side: int, repeats: int,
                  garment_ids: tuple[int, ...]) -> float:
    class_probabilities(model, photos[0], long_side)  # warm-up: first calls allocate
    times = []
    for _ in range(repeats):
        for photo in photos:
            started = time.perf_counter()
            photo_labels(photo, class_probabilities(model, photo, long_side), garment_ids)
            times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def parser_bench(*, model: torch.nn.Module, config: dict, threads: int = 2, photos: int = 5, repeats: int = 2) -> dict:
    torch.set_num_threads(threads)
    _, val_ids = ccp_split(ccp_ids())
    groups = default_groups()
    images = [ccp_load(photo_id, groups)[0] for photo_id in val_ids[:photos]]
    earlier = inference_optimise(parser_build(EARLIER))  # the same serving treatment as ours
    ours_ms = _ms_per_photo(model.eval(), images, config["serve_long_side"], repeats, groups.garment_ids)
    earlier_ms = _ms_per_photo(earlier, images, EARLIER["serve_long_side"], repeats, groups.garment_ids)
    return {
        "threads": threads,
        "photo_size": f"{images[0].shape[1]}x{images[0].shape[0]}",
        "ours": {"encoder": config["encoder_name"], "long_side": config["serve_long_side"], "ms_per_photo": round(ours_ms, 1)},
        "earlier": {"encoder": EARLIER["encoder_name"], "long_side": EARLIER["serve_long_side"],
                    "ms_per_photo": round(earlier_ms, 1)},
        "speedup": round(earlier_ms / ours_ms, 2),
    }
