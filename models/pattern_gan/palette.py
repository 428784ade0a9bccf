"""Colours of an image and colourways of a palette, in CIELAB (a perceptual colour space:
distances there follow how different colours look)."""
import cv2
import numpy as np

SAMPLE_SIDE = 96  # the image is judged from a thumbnail: dominant colours do not need detail
ITERATIONS = 20


def dominant_colours(rgb: np.ndarray, k: int = 3, seed: int = 0) -> list[tuple[int, int, int]]:
    """[H, W, 3] uint8 -> the k dominant colours (k-means in CIELAB), the largest cluster first."""
    h, w = rgb.shape[:2]
    step = max(1, round(max(h, w) / SAMPLE_SIDE))
    lab = _to_lab(rgb[::step, ::step].reshape(-1, 3))  # [N, 3]
    rng = np.random.default_rng(seed)
    centres = _plus_plus_init(lab, k, rng)
    for _ in range(ITERATIONS):
        nearest = ((lab[:, None] - centres[None]) ** 2).sum(-1).argmin(1)  # [N]
        updated = np.array([lab[nearest == j].mean(0) if (nearest == j).any() else centres[j] for j in range(k)])
        if np.allclose(updated, centres, atol=1e-3):
            break
        centres = updated
    sizes = np.bincount(nearest, minlength=k)
    ordered = centres[np.argsort(-sizes, kind="stable")]
    return [tuple(int(c) for c in colour) for colour in _to_rgb(ordered)]


def colourways(palette: list[tuple[int, int, int]], count: int = 4) -> list[list[tuple[int, int, int]]]:
    """The palette and count - 1 more with every hue turned by an equal step around the colour
    wheel (in CIELAB's LCh: lightness and chroma kept, so the pattern reads the same)."""
    lab = _to_lab(np.array(palette, dtype=np.uint8))
    chroma = np.hypot(lab[:, 1], lab[:, 2])
    hue = np.arctan2(lab[:, 2], lab[:, 1])
    ways = []
    for turn in range(count):
        angle = hue + 2 * np.pi * turn / count
        turned = np.stack([lab[:, 0], chroma * np.cos(angle), chroma * np.sin(angle)], axis=1)
        ways.append([tuple(int(c) for c in colour) for colour in _to_rgb(turned)])
    return ways


def hex_colour(colour: tuple[int, int, int]) -> str:
    return "#%02x%02x%02x" % colour


def _plus_plus_init(points: np.ndarray, k: int, rng) -> np.ndarray:
    centres = [points[rng.integers(len(points))]]
    for _ in range(1, k):
        distance = ((points[:, None] - np.array(centres)[None]) ** 2).sum(-1).min(1)
        if distance.sum() == 0:  # fewer distinct colours than k
            centres.append(centres[-1])
            continue
        centres.append(points[rng.choice(len(points), p=distance / distance.sum())])
    return np.array(centres)


def _to_lab(rgb: np.ndarray) -> np.ndarray:
    """[N, 3] uint8 sRGB -> [N, 3] float32 L 0..100, a and b about -128..127."""
    return cv2.cvtColor(rgb.reshape(-1, 1, 3).astype(np.float32) / 255.0, cv2.COLOR_RGB2LAB).reshape(-1, 3)


def _to_rgb(lab: np.ndarray) -> np.ndarray:
    """[N, 3] CIELAB -> [N, 3] uint8 sRGB (out-of-gamut colours clipped)."""
    rgb = cv2.cvtColor(lab.reshape(-1, 1, 3).astype(np.float32), cv2.COLOR_LAB2RGB).reshape(-1, 3)
    return np.clip(np.rint(rgb * 255), 0, 255).astype(np.uint8)
