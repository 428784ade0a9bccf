"""CPU latency of pattern generation at the sizes the site serves."""
import statistics
import time

import torch

from models.pattern_gan.sample import PatternSpec, pattern_render


def _median_ms(fn, repeats: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


# The site's sizes, and a print: 8000 px of 20 cm half-drop repeats at 300 dpi (2362 px each).
CASES = (("512", {"size": 512}), ("2048", {"size": 2048}),
         ("8000 print", {"size": 8000, "repeat_px": 2362, "layout": "half-drop"}))


def patterns_bench(*, category: str, threads: int = 2, repeats: int = 5, encode=None) -> list[dict]:
    torch.set_num_threads(threads)
    rows = []
    for name, fields in CASES:
        spec = PatternSpec(category=category, seed=1, **fields)
        row = {"category": category, "case": name, "size": spec.size, "threads": threads,
               "render_ms": round(_median_ms(lambda: pattern_render(spec), repeats), 1)}
        if encode:
            rgb = pattern_render(spec)
            row["png_encode_ms"] = round(_median_ms(lambda: encode(rgb), repeats), 1)
        rows.append(row)
    return rows
