"""The pattern fields of the JSON API (POST /api/patterns, and the try-on's pattern)."""
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from jobs.schemas import ApiRequest, Rule, printable
from models.pattern_gan.repeats import LAYOUTS
from models.pattern_gan.sample import (MAX_PRINT_SIZE, MAX_REPEAT_PX, MAX_SCALE, MAX_SIZE, MIN_SCALE, MIN_SIZE,
                                       VARIATION_LIMIT, served_categories)

SEED_MAX = 2**31 - 1
Seed = Annotated[int, Field(ge=0, le=SEED_MAX)]
Variation = Annotated[float, Field(ge=-VARIATION_LIMIT, le=VARIATION_LIMIT)]
HexColour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$"), Rule("a colour written #rrggbb")]
CM_PER_INCH = 2.54
DEFAULT_DPI = 300


def served_category(value: str) -> str:
    served = served_categories()
    if value not in served:
        choice = f"choose from {', '.join(served)}" if served else "no pattern generators are installed"
        raise ValueError(f"unknown category {printable(value)!r}; {choice}")
    return value


Category = Annotated[str, AfterValidator(served_category), Rule("the name of a pattern category")]


class PatternFields(ApiRequest):
    """What a pattern is drawn from; no seed means a random one."""
    category: Category
    seed: Seed | None = None
    variations: Annotated[list[Variation], Field(max_length=3)] = []
    palette: Annotated[list[HexColour], Field(max_length=3)] = []
    seed_b: Seed | None = None
    mix: Annotated[float, Field(ge=0, le=1)] = 0.0
    repeat: Literal[LAYOUTS] = "full"


class PatternRequest(PatternFields):
    """A print: the repeat's physical width (width_cm or width_in) at a dpi; the PNG then
    carries that dpi, one repeat spans width x dpi pixels, and size (default two repeats)
    may reach MAX_PRINT_SIZE. Otherwise size (default 512) and scale set the pixels."""
    size: Annotated[int, Field(ge=MIN_SIZE, le=MAX_PRINT_SIZE)] | None = None
    scale: Annotated[float, Field(ge=MIN_SCALE, le=MAX_SCALE)] = 1.0
    width_cm: Annotated[float, Field(ge=0.5, le=100)] | None = None
    width_in: Annotated[float, Field(ge=0.2, le=40)] | None = None
    dpi: Literal[150, 300] | None = None

    @model_validator(mode="after")
    def _print_size(self):
        if self.width_cm is not None and self.width_in is not None:
            raise ValueError("give the repeat's width in cm or in inches, not both")
        if self.width_inches is None:
            if self.dpi is not None:
                raise ValueError("dpi needs the repeat's width: width_cm or width_in")
            if self.size is not None and self.size > MAX_SIZE:
                raise ValueError(f"size above {MAX_SIZE} px is for prints: give the repeat's width_cm or width_in")
            return self
        if not MIN_SIZE <= self.repeat_px <= MAX_REPEAT_PX:
            widest = MAX_REPEAT_PX / self.print_dpi * CM_PER_INCH
            raise ValueError(f"at {self.print_dpi} dpi that repeat is {self.repeat_px} px wide; it must be "
                             f"{MIN_SIZE} to {MAX_REPEAT_PX} px (at most {widest:.1f} cm)")
        return self

    @property
    def width_inches(self) -> float | None:
        return self.width_in if self.width_cm is None else self.width_cm / CM_PER_INCH

    @property
    def print_dpi(self) -> int:
        return self.dpi or DEFAULT_DPI

    @property
    def repeat_px(self) -> int | None:
        return None if self.width_inches is None else round(self.width_inches * self.print_dpi)


class PaletteRequest(ApiRequest):
    """POST /api/palette: a multipart form whose `photo` gives the colours."""
    colours: Annotated[int, Field(ge=1, le=3)] = 3
    colourways: Annotated[int, Field(ge=1, le=8)] = 4


class FabricRequest(ApiRequest):
    """POST /api/fabric: a multipart form with the fabric's `photo` and no other field."""
