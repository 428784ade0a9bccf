"""Swatch preparation: take the photograph out of a photographed print.

A crop of a worn garment carries folds, shadows and highlights, and its motif appears at
whatever scale the camera saw it. A generator trained on such crops learns "photo of cloth".
So before a crop becomes a swatch, large-scale light is divided out (the print's own
contrast, at the motif's scale, stays), and the repeat period is measured so that the crop
can be re-cut to show the category's motifs at one consistent size.
"""
import cv2
import numpy as np

LIGHT_SIGMA_SHARE = 1 / 10  # of the image's short side: light varies slower than any motif repeats
MIN_PERIOD_PX = 4
MIN_PROMINENCE = 0.2  # a repeat's peak stands this far above the trough before it
MIN_PERIOD_STRENGTH = 0.35  # normalised autocorrelation at the period: below it, no clear repeat (smooth noise reaches 0.3)


def illumination_flatten(rgb: np.ndarray, mask: np.ndarray | None = None,
                         sigma_share: float = LIGHT_SIGMA_SHARE) -> np.ndarray:
    """[H, W, 3] uint8 -> the same with large-scale luminance divided out, inside `mask`
    ([H, W] bool, default everywhere; pixels outside it neither light nor get lit).
    The fabric's mean luminance is kept."""
    rgb_f = rgb.astype(np.float32)
    luminance = rgb_f @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    weight = np.ones(luminance.shape, np.float32) if mask is None else mask.astype(np.float32)
    sigma = max(1.0, sigma_share * min(rgb.shape[:2]))
    # Normalised convolution: the light under the mask, not blurred in from the background.
    blur = lambda x: cv2.GaussianBlur(x, (0, 0), sigma, borderType=cv2.BORDER_REFLECT)  # noqa: E731
    light = blur(luminance * weight) / np.maximum(blur(weight), 1e-3)
    level = float((luminance * weight).sum() / max(weight.sum(), 1.0))
    gain = level / np.maximum(light, 8.0)
    if mask is not None:
        gain = np.where(mask, gain, 1.0)
    return np.clip(rgb_f * gain[..., None], 0, 255).astype(np.uint8)


def repeat_period(grey: np.ndarray, min_px: int = MIN_PERIOD_PX) -> tuple[float | None, float]:
    """The shortest clear repeat of a square-ish crop ([H, W], any numeric type), in pixels,
    from the autocorrelation along each axis: (period or None, its strength 0..1)."""
    best: tuple[float | None, float] = (None, 0.0)
    for period, strength in axis_periods(grey, min_px):
        if period is not None and (best[0] is None or period < best[0]):
            best = (period, strength)
    return best


def axis_periods(grey: np.ndarray, min_px: int = MIN_PERIOD_PX) -> list[tuple[float | None, float]]:
    """[(period, strength) across x, (period, strength) down y]; (None, 0) where an axis has
    no clear repeat."""
    acf = autocorrelation(grey)
    if acf is None:
        return [(None, 0.0), (None, 0.0)]
    h, w = grey.shape
    found = []
    for profile in (acf[0, : w // 2], acf[: h // 2, 0]):
        period, strength = _first_peak(profile, min_px)
        found.append((period, strength) if period is not None and strength >= MIN_PERIOD_STRENGTH else (None, 0.0))
    return found


def autocorrelation(grey: np.ndarray) -> np.ndarray | None:
    """[H, W] -> its normalised autocorrelation [2H, 2W] (1 at lag 0; lag (dy, dx) at [dy, dx]),
    or None for a flat image."""
    x = grey.astype(np.float64) - grey.mean()
    h, w = x.shape
    window = np.hanning(h)[:, None] * np.hanning(w)[None, :]  # no wrap-around edge in the spectrum
    spectrum = np.fft.rfft2(x * window, s=(2 * h, 2 * w))  # zero-padded: a linear, not circular, correlation
    acf = np.fft.irfft2(np.abs(spectrum) ** 2, s=(2 * h, 2 * w))
    return None if acf[0, 0] <= 1e-9 else acf / acf[0, 0]


def _first_peak(profile: np.ndarray, min_px: int) -> tuple[float | None, float]:
    """The first local maximum after the first local minimum (the central lobe's end), with
    sub-pixel refinement by a parabola through its neighbours."""
    d = np.diff(profile)
    minima = np.where((d[:-1] < 0) & (d[1:] >= 0))[0] + 1
    if not len(minima):
        return None, 0.0
    after = profile[minima[0]:]
    steps = np.diff(after)
    maxima = np.where((steps[:-1] > 0) & (steps[1:] <= 0))[0] + 1 + minima[0]
    # A repeat rises clearly above the trough before it; along a stripe the correlation only
    # decays, and noise makes wiggles on that slope that are no repeat.
    trough = np.minimum.accumulate(profile)
    maxima = maxima[(maxima >= min_px) & (profile[maxima] > 0) & (profile[maxima] - trough[maxima] >= MIN_PROMINENCE)]
    if not len(maxima):
        return None, 0.0
    # The fundamental: the first maximum of real height (later ones are its multiples,
    # earlier small ones are noise).
    k = int(maxima[profile[maxima] >= 0.5 * profile[maxima].max()][0])
    a, b, c = profile[k - 1], profile[k], profile[k + 1]
    offset = 0.5 * (a - c) / (a - 2 * b + c) if (a - 2 * b + c) != 0 else 0.0
    return k + float(np.clip(offset, -0.5, 0.5)), float(b)
