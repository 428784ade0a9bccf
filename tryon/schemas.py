"""The fields of POST /api/tryon (multipart form: these fields plus an optional `photo` file)."""
from typing import Annotated, Literal

from pydantic import Field, field_validator

from jobs.schemas import Rule
from patterns.schemas import PatternFields
from tryon.stock import stock_names

GARMENT_CHOICES = ("top", "outerwear", "bottom", "dress")
Garment = Literal[GARMENT_CHOICES]
MAX_ROTATION = 180.0


class TryonRequest(PatternFields):
    """The pattern is drawn as a 512 px tile; `scale` zooms it on the photo."""
    garments: Annotated[list[Garment], Field(min_length=1, max_length=len(GARMENT_CHOICES))] = list(GARMENT_CHOICES)
    scale: Annotated[float, Field(ge=0.25, le=4)] = 1.0
    rotation: Annotated[float, Field(ge=-MAX_ROTATION, le=MAX_ROTATION)] = 0.0
    template: Annotated[str, Rule("the name of a stock photo")] | None = None
    # The tile a finished fabric job of this visitor cut from their fabric, instead of a generated one.
    fabric_job: Annotated[str, Rule("the id of your finished fabric job")] | None = None

    @field_validator("template")
    @classmethod
    def _stock(cls, value: str | None) -> str | None:
        if value is not None and value not in stock_names():
            shown = value if len(value) <= 40 else value[:40] + "..."
            raise ValueError(f"unknown template {shown!r}; choose from {', '.join(stock_names())}")
        return value
