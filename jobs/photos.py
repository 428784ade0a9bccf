"""Reading user photos of any format, size and orientation into plain RGB."""
import io
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from jobs.errors import UserInputError

MAX_PIXELS = 25_000_000


class PhotoError(UserInputError):
    """A photo that cannot be used; the message names the problem."""


def photo_read(source: Path | bytes, *, name: str | None = None, max_pixels: int = MAX_PIXELS) -> np.ndarray:
    """-> [H, W, 3] uint8 RGB after EXIF orientation. Transparent pixels become white;
    greyscale, palette, CMYK and 16-bit photos are converted."""
    label = name or (str(source) if isinstance(source, Path) else "upload")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(source) if isinstance(source, bytes) else source) as image:
                if image.width * image.height > max_pixels:
                    raise PhotoError(f"{label}: {image.width}x{image.height} is over {max_pixels // 1_000_000} megapixels")
                image.load()
                image = ImageOps.exif_transpose(image)
                return _to_rgb(image)
    except PhotoError:
        raise
    except FileNotFoundError as error:
        raise PhotoError(f"{label}: no such file") from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise PhotoError(f"{label}: the image is over {max_pixels // 1_000_000} megapixels") from error
    except UnidentifiedImageError as error:
        raise PhotoError(f"{label}: not a readable image; upload a JPEG, PNG or WebP photo") from error
    except (OSError, SyntaxError, ValueError) as error:
        # The decoder's own words stay in the traceback: they read as Python, not as advice.
        raise PhotoError(f"{label}: the image is damaged or truncated; try saving it again") from error


def _to_rgb(image: Image.Image) -> np.ndarray:
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16/32-bit greyscale: scale the range down to 8 bits rather than clipping it.
        values = np.asarray(image, dtype=np.float64)
        peak = 65535.0 if values.max() > 255 else 255.0
        grey = np.clip(values / peak * 255.0, 0, 255).astype(np.uint8)
        return np.repeat(grey[..., None], 3, axis=2)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        backdrop = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return np.asarray(Image.alpha_composite(backdrop, rgba).convert("RGB"))
    return np.asarray(image.convert("RGB"))
