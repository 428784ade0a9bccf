"""Stock photos a visitor can try patterns on without uploading their own (CCP, Apache-2.0;
see static/stock/LICENSE)."""
from pathlib import Path

from django.conf import settings

STOCK_DIR = Path(settings.BASE_DIR) / "static" / "stock"


def stock_names() -> list[str]:
    return sorted(p.stem for p in STOCK_DIR.glob("*.jpg"))


def stock_path(name: str) -> Path | None:
    return STOCK_DIR / f"{name}.jpg" if name in stock_names() else None
