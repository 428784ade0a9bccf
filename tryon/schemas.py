"""The fields of POST /api/tryon (multipart form: these fields plus an optional `photo` file)."""
from typing import Annotated, Literal

from pydantic import Field, field_validator

from jobs.schemas import Rule, printable
from patterns.schemas import Category, PatternFields, Seed
from tryon.stock import stock_names

GARMENT_CHOICES = ("top", "outerwear", "bottom", "dress")
Garment = Literal[GARMENT_CHOICES]
MAX_ROTATION = 180.0


class TryonRequest(PatternFields):
    """One repeat of the pattern spans repeat_cm on a person person_height_cm tall (measured in
    the photo from the parser's person), times `scale`. A garment may wear its own pattern:
    <garment>_category and/or <garment>_seed (the other pattern fields are shared)."""
    garments: Annotated[list[Garment], Field(min_length=1, max_length=len(GARMENT_CHOICES))] = list(GARMENT_CHOICES)
    scale: Annotated[float, Field(ge=0.25, le=4)] = 1.0
    repeat_cm: Annotated[float, Field(ge=1, le=100)] = 8.0
    person_height_cm: Annotated[float, Field(ge=50, le=250)] = 170.0
    top_category: Category | None = None
    top_seed: Seed | None = None
    outerwear_category: Category | None = None
    outerwear_seed: Seed | None = None
    bottom_category: Category | None = None
    bottom_seed: Seed | None = None
    dress_category: Category | None = None
    dress_seed: Seed | None = None

    def garment_pattern(self, garment: str) -> tuple[str | None, int | None]:
        """(category, seed) this garment asks for; (None, None) if it wears the main pattern."""
        return getattr(self, f"{garment}_category"), getattr(self, f"{garment}_seed")
    rotation: Annotated[float, Field(ge=-MAX_ROTATION, le=MAX_ROTATION)] = 0.0
    template: Annotated[str, Rule("the name of a stock photo")] | None = None
    # The tile a finished fabric job of this visitor cut from their fabric, instead of a generated one.
    fabric_job: Annotated[str, Rule("the id of your finished fabric job")] | None = None

    @field_validator("template")
    @classmethod
    def _stock(cls, value: str | None) -> str | None:
        if value is not None and value not in stock_names():
            raise ValueError(f"unknown template {printable(value)!r}; choose from {', '.join(stock_names())}")
        return value
