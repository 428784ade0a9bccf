"""Photo files of every awkward kind, built in memory for the tests."""
import io

import numpy as np
from PIL import Image


def person_like(width: int = 120, height: int = 180) -> Image.Image:
    rng = np.random.default_rng(1)
    pixels = rng.integers(0, 255, (height, width, 3), dtype=np.uint8)
    return Image.fromarray(pixels)


def encoded(image: Image.Image, fmt: str, **kw) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **kw)
    return buffer.getvalue()


def jpeg_rotated_by_exif(width: int = 120, height: int = 180) -> bytes:
    """Stored landscape (height x width swapped), EXIF orientation 6 = rotate to portrait."""
    exif = Image.Exif()
    exif[0x0112] = 6
    return encoded(person_like(height, width), "JPEG", exif=exif)


def odd_but_valid() -> dict[str, bytes]:
    base = person_like()
    return {
        "rgba.png": encoded(base.convert("RGBA"), "PNG"),
        "grey.png": encoded(base.convert("L"), "PNG"),
        "cmyk.jpg": encoded(base.convert("CMYK"), "JPEG"),
        "palette.gif": encoded(base.convert("P"), "GIF"),
        "sixteen_bit.png": encoded(Image.fromarray((np.asarray(base.convert("L"), np.uint16) * 257)), "PNG"),
        "photo.webp": encoded(base, "WEBP"),
    }


def broken() -> dict[str, bytes]:
    jpeg = encoded(person_like(), "JPEG")
    return {
        "empty.jpg": b"",
        "truncated.jpg": jpeg[: len(jpeg) // 3],
        "text.jpg": b"<html><body>not a photo</body></html>",
        "svg.png": b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
    }


def decompression_bomb(side: int = 50_000) -> bytes:
    """A tiny PNG whose header claims side x side pixels."""
    return encoded(Image.new("1", (side, side)), "PNG", optimize=True)
