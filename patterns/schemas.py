"""The pattern fields of the JSON API (POST /api/patterns, and the try-on's pattern)."""
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator

from jobs.schemas import ApiRequest, Rule
from models.pattern_gan.sample import MAX_SCALE, MAX_SIZE, MIN_SCALE, MIN_SIZE, VARIATION_LIMIT, served_categories

SEED_MAX = 2**31 - 1
Seed = Annotated[int, Field(ge=0, le=SEED_MAX)]
Variation = Annotated[float, Field(ge=-VARIATION_LIMIT, le=VARIATION_LIMIT)]
HexColour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$"), Rule("a colour written #rrggbb")]


class PatternFields(ApiRequest):
    """What a pattern is drawn from; no seed means a random one."""
    category: Annotated[str, Rule("the name of a pattern category")]
    seed: Seed | None = None
    variations: Annotated[list[Variation], Field(max_length=3)] = []
    palette: Annotated[list[HexColour], Field(max_length=3)] = []
    seed_b: Seed | None = None
    mix: Annotated[float, Field(ge=0, le=1)] = 0.0

    @field_validator("category")
    @classmethod
    def _served(cls, value: str) -> str:
        served = served_categories()
        if value not in served:
            shown = value if len(value) <= 40 else value[:40] + "..."
            choice = f"choose from {', '.join(served)}" if served else "no pattern generators are installed"
            raise ValueError(f"unknown category {shown!r}; {choice}")
        return value


class PatternRequest(PatternFields):
    size: Annotated[int, Field(ge=MIN_SIZE, le=MAX_SIZE)] = 512
    scale: Annotated[float, Field(ge=MIN_SCALE, le=MAX_SCALE)] = 1.0
