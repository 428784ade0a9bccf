"""Re-dressing garments: a seamless pattern tile is laid over the photo (scaled, rotated,
repeated), modulated by the garment's own luminance so folds and shading survive, and
blended through a soft matte. Plain numpy/OpenCV, vectorised (no per-pixel Python)."""
import cv2
import numpy as np

REFERENCE_LONG_SIDE = 800  # at scale 1, a generator pixel spans one pixel of an 800 px photo

GARMENT_COLOURS = {  # outline colours per garment class (RGB)
    "top": (255, 64, 64),
    "outerwear": (255, 176, 0),
    "bottom": (0, 160, 255),
    "dress": (200, 0, 255),
}


def tile_place(tile: np.ndarray, height: int, width: int, scale: float, rotation_deg: float) -> np.ndarray:
    """Repeat a seamless tile [Th, Tw, 3] over a height x width canvas, zoomed by `scale` and
    rotated by `rotation_deg` about the canvas centre. -> [height, width, 3] float32 0..1."""
    th, tw = tile.shape[:2]
    theta = np.deg2rad(rotation_deg)
    cos, sin = np.cos(theta), np.sin(theta)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    ys -= height / 2
    xs -= width / 2
    u = (((cos * xs + sin * ys) / scale) % tw).astype(np.float32)
    v = (((-sin * xs + cos * ys) / scale) % th).astype(np.float32)
    # Wrap the tile by one pixel so bilinear sampling at the border reads the opposite edge.
    wrapped = cv2.copyMakeBorder(tile, 0, 1, 0, 1, cv2.BORDER_WRAP)
    placed = cv2.remap(wrapped, u, v, interpolation=cv2.INTER_LINEAR, borderMode=cv2.BORDER_WRAP)
    return placed.astype(np.float32) / 255.0


def shading_of(photo: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """The garment's light: luminance relative to its typical value under the matte (1 = average),
    lightly smoothed so sensor noise and the old print's fine detail do not imprint."""
    lum = cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY).astype(np.float32) / 255.0
    lum = cv2.GaussianBlur(lum, (0, 0), sigmaX=max(1.0, max(photo.shape[:2]) / 400))
    inside = alpha > 0.5
    reference = float(np.median(lum[inside])) if inside.any() else float(lum.mean())
    return np.clip(lum / max(reference, 0.08), 0.0, 1.8)


def garment_composite(photo: np.ndarray, alpha: np.ndarray, tile: np.ndarray, scale: float,
                      rotation_deg: float) -> np.ndarray:
    """photo: [H, W, 3] uint8, alpha: [H, W] 0..1, tile: [Th, Tw, 3] uint8 -> [H, W, 3] uint8."""
    h, w = alpha.shape
    zoom = scale * max(h, w) / REFERENCE_LONG_SIDE
    placed = tile_place(tile, h, w, zoom, rotation_deg)
    dressed = np.clip(placed * shading_of(photo, alpha)[..., None], 0, 1) * 255.0
    a = alpha[..., None].astype(np.float32)
    out = photo.astype(np.float32) * (1 - a) + dressed * a
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def garments_outlined(photo: np.ndarray, labels: np.ndarray, class_names: tuple[str, ...]) -> tuple[np.ndarray, dict]:
    """The photo, dimmed, with each detected garment outlined in its colour.
    -> (image [H, W, 3] uint8, {garment: share of the photo's pixels})."""
    out = (photo.astype(np.float32) * 0.6 + 255 * 0.4 * 0.25).astype(np.uint8)
    thickness = max(2, round(max(photo.shape[:2]) / 300))
    found = {}
    for name, colour in GARMENT_COLOURS.items():
        mask = (labels == class_names.index(name)).astype(np.uint8)
        share = float(mask.mean())
        if share < 0.005:  # specks are not a garment a user could choose
            continue
        found[name] = round(share, 4)
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        cv2.drawContours(out, contours, -1, colour, thickness)
    return out, found
