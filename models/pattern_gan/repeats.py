"""Print repeat layouts, as fabric printers name them: how copies of one seamless tile are
arranged. Each layout has a unit (one tile, or two or four copies) that tiles the plane by
plain repetition, so a print of any size is its unit repeated.

- full: the tile itself.
- half-drop: every second column of tiles is shifted down by half a tile.
- half-brick: every second row of tiles is shifted right by half a tile.
- mirror: the tile, its left-right mirror, and both flipped upside down.

A tile that is seamless edge to edge does not meet a half-shifted copy of itself seamlessly,
so the shifted joins are quilted (Efros & Freeman, 2001): near each join both neighbours
overlap and every row switches from one to the other at the point of least difference, found
by dynamic programming, cross-faded over a few pixels. The unit is then continuous across
every join and around its edges.
"""
import numpy as np

LAYOUTS = ("full", "half-drop", "half-brick", "mirror")
FEATHER_PX = 3  # the quilting cut is cross-faded over this many pixels


def repeat_unit(tile: np.ndarray, layout: str) -> np.ndarray:
    """tile: [H, W, C] seamless -> the layout's unit [H', W', C] that tiles seamlessly."""
    if layout == "full":
        return tile
    if layout == "mirror":
        top = np.concatenate([tile, tile[:, ::-1]], axis=1)
        return np.concatenate([top, top[::-1]], axis=0)
    if layout == "half-drop":
        return _half_shifted_columns(tile)
    if layout == "half-brick":
        return _half_shifted_columns(tile.transpose(1, 0, 2)).transpose(1, 0, 2)
    raise ValueError(f"unknown repeat layout {layout!r}; choose from {', '.join(LAYOUTS)}")


def repeat_fill(unit: np.ndarray, height: int, width: int) -> np.ndarray:
    """The unit repeated over height x width, starting at its top-left corner."""
    reps = (-(-height // unit.shape[0]), -(-width // unit.shape[1])) + (1,) * (unit.ndim - 2)
    return np.tile(unit, reps)[:height, :width]


def _half_shifted_columns(tile: np.ndarray) -> np.ndarray:
    """[H, W, C] -> [H, 2W, C]: the tile beside itself dropped by H/2, joins quilted."""
    h, w = tile.shape[:2]
    dropped = np.roll(tile, h // 2, axis=0)
    # In a frame shifted by W/2 both joins (W/2: dropped -> tile, 3W/2: tile -> dropped) lie
    # inside the unit, where each neighbour's continuation is known: the tiles are periodic.
    plain = np.tile(np.roll(tile, w // 2, axis=1), (1, 2, 1)).astype(np.float32)  # the undropped tile at every x
    shifted = np.tile(np.roll(dropped, w // 2, axis=1), (1, 2, 1)).astype(np.float32)
    x = np.arange(2 * w)
    unit = np.where(((x >= w // 2) & (x < w // 2 + w))[None, :, None], plain, shifted)
    band = max(2, w // 8)
    for join, left, right in ((w // 2, shifted, plain), (w // 2 + w, plain, shifted)):
        unit[:, join - band:join + band] = seam_blend(left[:, join - band:join + band], right[:, join - band:join + band])
    unit = np.roll(unit, -(w // 2), axis=1)
    return np.rint(unit).astype(tile.dtype) if np.issubdtype(tile.dtype, np.integer) else unit.astype(tile.dtype)


def seam_blend(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Two overlapping strips [H, B, C] (what continues from the left, and from the right) ->
    one strip: each row switches from left to right where they differ least (a closed path,
    as the strip repeats vertically), cross-faded over FEATHER_PX pixels."""
    left, right = left.astype(np.float32), right.astype(np.float32)
    b = left.shape[1]
    feather = min(FEATHER_PX, b / 4)
    error = ((left - right) ** 2).sum(-1)
    # The cut keeps clear of the strip's ends, so the cross-fade ends inside it (no step there).
    keep_clear = int(np.ceil(feather)) + 1
    if b > 2 * keep_clear + 1:
        error[:, :keep_clear] = error[:, -keep_clear:] = error.max() * b + 1
    cut = _min_error_cut(error)  # [H]: the first column taken from the right
    weight = np.clip((np.arange(b)[None, :] - cut[:, None] + 0.5) / (2 * feather) + 0.5, 0, 1)[..., None]
    return (1 - weight) * left + weight * right


def _min_error_cut(error: np.ndarray) -> np.ndarray:
    """error [H, B] -> for each row the column where the switch happens (1..B-1), along the
    top-to-bottom path of least total error that moves at most one column per row and closes
    on itself (its last row is next to its first), since the unit also repeats vertically."""
    cost = (error[:, :-1] + error[:, 1:]) / 2  # [H, B-1]: switching between columns c-1 and c
    free = _cut_path(cost, start=None)
    # The best path starting where the free one ended, made to end next to its start.
    return _cut_path(cost, start=int(free[-1])) + 1


def _cut_path(cost: np.ndarray, start: int | None) -> np.ndarray:
    h, b = cost.shape
    total = cost[0].copy()
    if start is not None:
        total[np.arange(b) != start] = np.inf
    back = np.zeros((h, b), dtype=np.int64)
    columns = np.arange(b)
    for y in range(1, h):
        options = np.stack([np.r_[np.inf, total[:-1]], total, np.r_[total[1:], np.inf]])  # from c-1, c, c+1
        choice = options.argmin(0)
        back[y] = columns + choice - 1
        total = cost[y] + options[choice, columns]
    if start is not None:
        total = np.where(np.abs(columns - start) <= 1, total, np.inf)
    path = np.empty(h, dtype=np.int64)
    path[-1] = int(total.argmin())
    for y in range(h - 1, 0, -1):
        path[y - 1] = back[y, path[y]]
    return path
