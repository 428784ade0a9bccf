"""A corpus of malformed, hostile and merely unusual uploads, built in memory.
Each entry: name -> (bytes, declared content type, what the API must answer: "refused" (4xx)
or "accepted" (202, then the job ends done or failed with a message))."""
import io
import struct

import numpy as np
from PIL import Image

from tests.photo_files import decompression_bomb, encoded, person_like


def _jpeg_with_claimed_size(width: int, height: int) -> bytes:
    """A small JPEG whose frame header (SOF0) claims another size."""
    data = bytearray(encoded(person_like(64, 64), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def _animated(fmt: str) -> bytes:
    frames = [Image.new("RGB", (120, 180), c) for c in ((200, 0, 0), (0, 200, 0), (0, 0, 200))]
    buffer = io.BytesIO()
    frames[0].save(buffer, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def _huge_exif() -> bytes:
    exif = Image.Exif()
    exif[0x9286] = b"ASCII\0\0\0" + b"A" * 60_000  # UserComment
    exif[0x0112] = 8
    return encoded(person_like(), "JPEG", exif=exif)


def _bad_png_crc() -> bytes:
    data = bytearray(encoded(person_like(), "PNG"))
    idat = data.index(b"IDAT")
    data[idat + 10:idat + 20] = b"\x00" * 10
    return bytes(data)


def corpus() -> dict[str, tuple[bytes, str, str]]:
    photo = person_like()
    jpeg = encoded(photo, "JPEG")
    png = encoded(photo, "PNG")
    return {
        "zero-bytes.jpg": (b"", "image/jpeg", "refused"),
        "null-bytes.jpg": (b"\0" * 1000, "image/jpeg", "refused"),
        "truncated.jpg": (jpeg[: len(jpeg) // 3], "image/jpeg", "refused"),
        "header-only.jpg": (jpeg[:20], "image/jpeg", "refused"),
        "truncated.png": (png[: len(png) // 2], "image/png", "refused"),
        "bad-crc.png": (_bad_png_crc(), "image/png", "refused"),
        "html-renamed.jpg": (b"<!doctype html><script>alert(1)</script>", "image/jpeg", "refused"),
        "svg-renamed.jpg": (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/jpeg", "refused"),
        "svg.svg": (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml", "refused"),
        "script.jpg": (b"#!/bin/sh\nrm -rf /\n", "image/jpeg", "refused"),
        "bomb-50000.png": (decompression_bomb(50_000), "image/png", "refused"),
        "bomb-claimed.jpg": (_jpeg_with_claimed_size(50_000, 50_000), "image/jpeg", "refused"),
        "thirty-megapixels.png": (encoded(Image.new("L", (6000, 5000)), "PNG"), "image/png", "refused"),
        "animated.gif": (_animated("GIF"), "image/gif", "refused"),
        "tiff.jpg": (encoded(photo, "TIFF"), "image/jpeg", "refused"),
        "bmp.jpg": (encoded(photo, "BMP"), "image/jpeg", "refused"),
        "icon.ico": (encoded(photo, "ICO"), "image/x-icon", "refused"),
        "pdf.pdf": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj", "application/pdf", "refused"),
        "zip.jpg": (b"PK\x03\x04" + b"\0" * 100, "image/jpeg", "refused"),
        "octet-stream.jpg": (jpeg, "application/octet-stream", "refused"),
        "over-10mb.jpg": (jpeg + b"\0" * (10 * 1024 * 1024), "image/jpeg", "refused"),
        "cmyk.jpg": (encoded(photo.convert("CMYK"), "JPEG"), "image/jpeg", "accepted"),
        "sixteen-bit.png": (encoded(Image.fromarray(np.asarray(photo.convert("L"), np.uint16) * 257), "PNG"), "image/png", "accepted"),
        "animated.webp": (_animated("WEBP"), "image/webp", "accepted"),
        "rgba.png": (encoded(photo.convert("RGBA"), "PNG"), "image/png", "accepted"),
        "grey-alpha.png": (encoded(photo.convert("LA"), "PNG"), "image/png", "accepted"),
        "greyscale.jpg": (encoded(photo.convert("L"), "JPEG"), "image/jpeg", "accepted"),
        "palette-transparent.png": (encoded(photo.convert("P"), "PNG", transparency=0), "image/png", "accepted"),
        "huge-exif.jpg": (_huge_exif(), "image/jpeg", "accepted"),
        "one-pixel.png": (encoded(Image.new("RGB", (1, 1), (9, 9, 9)), "PNG"), "image/png", "accepted"),
        "very-wide.png": (encoded(Image.new("RGB", (10_000, 20), (90, 60, 30)), "PNG"), "image/png", "accepted"),
        "png-declared-jpeg.jpg": (png, "image/jpeg", "accepted"),
        "jpeg-then-html.jpg": (jpeg + b"<html><script>alert(1)</script></html>", "image/jpeg", "accepted"),
        "lossless.webp": (encoded(photo, "WEBP", lossless=True), "image/webp", "accepted"),
    }
