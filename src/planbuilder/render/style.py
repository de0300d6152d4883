"""The house style (templates/style.yaml), shared by the DOCX and PDF renderers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from planbuilder.errors import TemplateError
from planbuilder.sandbox import inside

Size = Annotated[float, Field(ge=4, le=72)]  # points
Margin = Annotated[float, Field(ge=5, le=60)]  # millimetres


class Margins(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    top: Margin = 25
    bottom: Margin = 22
    left: Margin = 25
    right: Margin = 20


class HouseStyle(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    folder: Path
    # The PDF's font, embedded from templates/fonts; the DOCX's font, one Word has and the
    # metric twin of font_family.
    font_family: str = Field(default="Liberation Sans", pattern=r"^[\w .-]{1,60}$")
    word_font: str = Field(default="Arial", pattern=r"^[\w .-]{1,60}$")
    word_styles: dict[str, Annotated[str, Field(min_length=1, max_length=60)]] = Field(
        default_factory=dict)  # styleId -> name in Word
    base_size: float = Field(default=10, gt=4, lt=30)
    line_height: float = Field(default=1.35, ge=0.8, le=3)
    heading_sizes: tuple[Size, Size, Size, Size] = (17, 13.5, 11.5, 10.5)
    heading_colour: str = Field(default="#1f3d5c", pattern=r"^#[0-9a-fA-F]{6}$")
    text_colour: str = Field(default="#1a1a1a", pattern=r"^#[0-9a-fA-F]{6}$")
    table_header_background: str = Field(default="#dbe5f0", pattern=r"^#[0-9a-fA-F]{6}$")
    table_border_colour: str = Field(default="#8ea5bf", pattern=r"^#[0-9a-fA-F]{6}$")
    draft_colour: str = Field(default="#b00000", pattern=r"^#[0-9a-fA-F]{6}$")
    caption_colour: str = Field(default="#333333", pattern=r"^#[0-9a-fA-F]{6}$")
    margins: Margins = Margins()


def load_style(templates: Path) -> HouseStyle:
    path = templates / "style.yaml"
    try:
        data = yaml.safe_load(inside(templates, path).read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise TypeError("expected a mapping of settings")
        return HouseStyle(folder=templates, **data)
    except (OSError, yaml.YAMLError, TypeError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{path}: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise TemplateError(f"{path}: {where}: {first['msg']}") from None
