"""Checking and re-encoding uploaded photos before anything is stored."""
import io

import numpy as np
from PIL import Image

from jobs.photos import MAX_PIXELS, PhotoError, photo_read

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
WORKING_LONG_SIDE = 2048  # larger photos are processed (and returned) at this size


def upload_read(*, data: bytes, name: str, content_type: str) -> np.ndarray:
    """An uploaded photo, checked -> [H, W, 3] uint8 RGB, orientation applied, at most
    WORKING_LONG_SIDE on its long side. Raises PhotoError with a message for the user."""
    if not data:
        raise PhotoError(f"{name}: the file is empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise PhotoError(f"{name}: {len(data) / 1e6:.1f} MB is over the {MAX_UPLOAD_BYTES // (1024 * 1024)} MB limit")
    if content_type not in ALLOWED_FORMATS.values():
        raise PhotoError(f"{name}: {content_type or 'unknown type'} is not accepted; upload a JPEG, PNG or WebP photo")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            actual = probe.format
    except Image.DecompressionBombError:
        raise PhotoError(f"{name}: the image is over {MAX_PIXELS // 1_000_000} megapixels") from None
    except Exception:  # noqa: BLE001 - any decoder failure means the same thing to the user
        actual = None
    if actual not in ALLOWED_FORMATS:
        raise PhotoError(f"{name}: the file is not a JPEG, PNG or WebP image")
    image = Image.fromarray(photo_read(data, name=name))
    if max(image.size) > WORKING_LONG_SIDE:
        image.thumbnail((WORKING_LONG_SIDE, WORKING_LONG_SIDE), Image.Resampling.LANCZOS)
    return np.asarray(image)


def uploaded_file_read(upload) -> np.ndarray:
    """A Django UploadedFile -> the checked photo (upload_read), named and typed as sent."""
    return upload_read(data=upload.read(), name=upload.name or "upload",
                       content_type=(upload.content_type or "").split(";")[0].strip())


def photo_png(rgb: np.ndarray) -> bytes:
    """A checked photo -> the PNG bytes stored with a job: a fresh file, so no EXIF and no GPS."""
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()
