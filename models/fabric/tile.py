"""A seamless repeat tile cut from a photo of a fabric.

The light is flattened (swatch_prep.illumination_flatten), and the tile's width and height
are the shifts at which the fabric looks most like itself (the autocorrelation's highest
point among lags of a third to a half of the photo): a whole number of repeats where the
fabric repeats along that axis (diagonal stripes and checks included), else the closest
look-alike, so the fabric's own rhythm continues across the tile's edges. Then the edges are
made seamless by overlap: the tile is cut with a margin, and across its first columns (and
rows) the content that follows its last column gives way to the tile's own along the path
where the two differ least (repeats.seam_blend, image quilting), so the wrap-around is a
continuation, as the interior is."""
import cv2
import numpy as np

from models.pattern_gan.repeats import seam_blend
from models.pattern_gan.swatch_prep import autocorrelation, illumination_flatten

WORK_SIDE = 768  # the photo is analysed with its short side at most this
TILE_SHARES = (0.3, 0.55)  # of the analysed square: the range of tile sides searched
MARGIN_SHARE = 0.15  # of the tile: the overlap faded across the edges


def fabric_tile(rgb: np.ndarray) -> tuple[np.ndarray, dict]:
    """[H, W, 3] uint8 -> (seamless tile [h, w, 3] uint8, what was measured)."""
    scale = min(1.0, WORK_SIDE / min(rgb.shape[:2]))
    if scale < 1:
        rgb = cv2.resize(rgb, (round(rgb.shape[1] * scale), round(rgb.shape[0] * scale)), interpolation=cv2.INTER_AREA)
    flat = illumination_flatten(rgb)
    side = min(flat.shape[:2])
    y0, x0 = (flat.shape[0] - side) // 2, (flat.shape[1] - side) // 2
    square = flat[y0:y0 + side, x0:x0 + side]
    grey = square.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
    acf = autocorrelation(grey)
    low, high = (round(share * side) for share in TILE_SHARES)
    if acf is None:  # a flat field: any cut repeats it
        width = height = low
    else:
        width = low + int(np.argmax(acf[0, low:high + 1]))
        height = low + int(np.argmax(acf[low:high + 1, 0]))
    margin = max(2, round(MARGIN_SHARE * min(width, height)))
    # Start at the square's centre minus half a tile, with room for the margin after it.
    top, left = max(0, (side - height - margin) // 2), max(0, (side - width - margin) // 2)
    region = square[top:top + height + margin, left:left + width + margin].astype(np.float32)
    tile = _fade_edge(_fade_edge(region, width, margin, axis=1), height, margin, axis=0)
    measured = {"work_scale": round(scale, 4), "tile_px": [width, height],
                "self_similarity": None if acf is None else [round(float(acf[0, width]), 3), round(float(acf[height, 0]), 3)]}
    return np.clip(np.rint(tile), 0, 255).astype(np.uint8), measured


def _fade_edge(region: np.ndarray, length: int, margin: int, axis: int) -> np.ndarray:
    """region: `length + margin` along `axis` -> `length`, its first `margin` lines quilted
    from what follows line length-1 (lines length..length+margin-1) into its own."""
    lines = np.moveaxis(region, axis, 1)  # [other, length + margin, C]: the seam runs along `other`
    tile = lines[:, :length].copy()
    tile[:, :margin] = seam_blend(lines[:, length:length + margin], lines[:, :margin])
    return np.moveaxis(tile, 1, axis)
