"""Segmentation scores from a confusion matrix."""
import numpy as np


def confusion_add(confusion: np.ndarray, truth: np.ndarray, predicted: np.ndarray) -> None:
    n = confusion.shape[0]
    confusion += np.bincount(truth.reshape(-1).astype(np.int64) * n + predicted.reshape(-1), minlength=n * n).reshape(n, n)


def scores(confusion: np.ndarray, names: tuple[str, ...], garment_ids: tuple[int, ...]) -> dict:
    confusion = confusion.astype(np.float64)
    tp = np.diag(confusion)
    union = confusion.sum(0) + confusion.sum(1) - tp
    iou = np.where(union > 0, tp / np.maximum(union, 1), np.nan)
    garment = np.zeros(len(names), dtype=bool)
    garment[list(garment_ids)] = True
    # Garment IoU: the union of garment classes against everything else.
    g_tp = confusion[np.ix_(garment, garment)].sum()
    g_union = confusion[garment, :].sum() + confusion[:, garment].sum() - g_tp
    return {
        "per_class_iou": {name: round(float(v), 4) for name, v in zip(names, iou)},
        "mean_iou": round(float(np.nanmean(iou)), 4),
        "garment_iou": round(float(g_tp / max(g_union, 1)), 4),
        "pixel_accuracy": round(float(tp.sum() / max(confusion.sum(), 1)), 4),
    }
