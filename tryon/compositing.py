"""Re-dressing garments: a seamless pattern tile is laid over the photo (scaled, rotated,
repeated), modulated by the garment's own luminance so folds and shading survive, and
blended through a soft matte. Plain numpy/OpenCV, vectorised (no per-pixel Python)."""
import cv2
import numpy as np

DEFAULT_REPEAT_CM = 8.0  # one pattern repeat, as printed on the cloth
DEFAULT_PERSON_CM = 170.0
# Folds: the placed pattern is pushed along the gradient of the garment's smoothed light
# (a slope turned away from the light foreshortens the print on it): displacement =
# FOLD_STRENGTH x sigma^2 x gradient of luminance (0..1), sigma the smoothing radius.
FOLD_STRENGTH = 3.0
FOLD_SIGMA_SHARE = 1 / 60  # of the photo's long side: the folds' scale, not the weave's
HIGHLIGHT_SHARE = 0.97  # garment pixels brighter than this quantile keep their sheen over the pattern

GARMENT_COLOURS = {  # outline colours per garment class (RGB)
    "top": (255, 64, 64),
    "outerwear": (255, 176, 0),
    "bottom": (0, 160, 255),
    "dress": (200, 0, 255),
}


def tile_place(tile: np.ndarray, height: int, width: int, scale: float, rotation_deg: float,
               displacement: np.ndarray | None = None) -> np.ndarray:
    """Repeat a seamless tile [Th, Tw, 3] over a height x width canvas, zoomed by `scale` and
    rotated by `rotation_deg` about the canvas centre, each pixel moved by `displacement`
    ([2, H, W]: dx, dy in canvas pixels) if given. -> [height, width, 3] float32 0..1."""
    th, tw = tile.shape[:2]
    theta = np.deg2rad(rotation_deg)
    cos, sin = np.cos(theta), np.sin(theta)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    ys -= height / 2
    xs -= width / 2
    if displacement is not None:
        xs += displacement[0]
        ys += displacement[1]
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


def fold_displacement(photo: np.ndarray, alpha: np.ndarray, strength: float = FOLD_STRENGTH) -> np.ndarray:
    """-> [2, H, W] displacement (dx, dy) in pixels along the gradient of the garment's smoothed
    luminance (0..1), at most one smoothing radius, zero off the garment. Absolute luminance,
    not shading relative to the garment's median: on a dark garment, relative shading turns
    sensor noise and sheen into swirls."""
    lum = cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY).astype(np.float32) / 255.0
    if min(lum.shape) < 2:  # a photo one pixel wide or tall has no folds to follow
        return np.zeros((2, *lum.shape), np.float32)
    sigma = max(1.0, FOLD_SIGMA_SHARE * max(lum.shape))
    weight = (alpha > 0.5).astype(np.float32)
    # Normalised smoothing: the light of the garment only, not of the background beside it.
    blur = lambda x: cv2.GaussianBlur(x, (0, 0), sigma)  # noqa: E731
    light = blur(lum * weight) / np.maximum(blur(weight), 1e-3)
    gy, gx = np.gradient(light)
    return np.clip(strength * sigma * sigma * np.stack([gx, gy]), -sigma, sigma) * weight[None]


def highlights_of(photo: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """[H, W] 0..1: how far each garment pixel is into the garment's brightest few percent
    (sheen and specular light, which lie over a print rather than darken or tint it)."""
    lum = cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY).astype(np.float32) / 255.0
    inside = alpha > 0.5
    if not inside.any():
        return np.zeros_like(lum)
    threshold = float(np.quantile(lum[inside], HIGHLIGHT_SHARE))
    return np.clip((lum - threshold) / max(1.0 - threshold, 1e-3), 0, 1) * inside


def garment_composite(photo: np.ndarray, alpha: np.ndarray, tile: np.ndarray, scale: float,
                      rotation_deg: float, folds: bool = True) -> np.ndarray:
    """photo: [H, W, 3] uint8, alpha: [H, W] 0..1, tile: [Th, Tw, 3] uint8; scale: photo pixels
    per tile pixel -> [H, W, 3] uint8."""
    return garments_composite(photo, [(alpha, tile, scale)], rotation_deg, folds)


def garments_composite(photo: np.ndarray, layers: list[tuple[np.ndarray, np.ndarray, float]],
                       rotation_deg: float, folds: bool = True) -> np.ndarray:
    """Each (alpha, tile, scale) layer dressed in its own pattern, all lit by the photo's own
    light: shading multiplies the pattern, highlights lie over it, folds bend it."""
    union = np.clip(sum(alpha for alpha, _, _ in layers), 0, 1)
    shading = shading_of(photo, union)
    highlights = highlights_of(photo, union)[..., None]
    displacement = fold_displacement(photo, union) if folds else None
    h, w = union.shape
    out = photo.astype(np.float32)
    for alpha, tile, scale in layers:
        placed = tile_place(tile, h, w, scale, rotation_deg, displacement)
        dressed = np.clip(placed * shading[..., None], 0, 1)
        dressed = (dressed + (1 - dressed) * highlights) * 255.0
        a = alpha[..., None].astype(np.float32)
        out = out * (1 - a) + dressed * a
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def person_height_px(labels: np.ndarray, background_id: int = 0) -> int:
    """Rows from the top of the person (anything not background) to the bottom; the photo's
    height when no person is found."""
    rows = np.where((labels != background_id).any(axis=1))[0]
    return int(rows[-1] - rows[0] + 1) if len(rows) > 1 else labels.shape[0]


def body_scale(*, person_px: int, person_cm: float, repeat_cm: float, repeat_px: int) -> float:
    """Photo pixels per tile pixel, so that one repeat spans repeat_cm on a person person_cm tall."""
    return repeat_cm * person_px / person_cm / repeat_px


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
