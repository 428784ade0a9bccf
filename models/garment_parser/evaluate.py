"""Scores of a parser on the fixed validation split, at serving resolution."""
import numpy as np
import torch
from tqdm import tqdm

from models.garment_parser.data import ccp_ids, ccp_load, ccp_split
from models.garment_parser.groups import Groups
from models.garment_parser.metrics import confusion_add, scores
from models.garment_parser.predict import class_probabilities, photo_labels


def parser_evaluate(model: torch.nn.Module, groups: Groups, long_side: int, limit: int | None = None,
                    progress: bool = True) -> dict:
    model.eval()
    _, val_ids = ccp_split(ccp_ids())
    val_ids = val_ids[:limit] if limit else val_ids
    confusion = np.zeros((len(groups.names), len(groups.names)), dtype=np.int64)
    for photo_id in tqdm(val_ids, desc="validate", disable=not progress, leave=False):
        image, truth = ccp_load(photo_id, groups)
        predicted = photo_labels(image, class_probabilities(model, image, long_side), groups.garment_ids).numpy()
        confusion_add(confusion, truth, predicted)
    result = scores(confusion, groups.names, groups.garment_ids)
    result["photos"] = len(val_ids)
    return result
