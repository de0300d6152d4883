"""The house style (templates/style.yaml), shared by the DOCX and PDF renderers."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from planbuilder.templates import TemplateError


class Margins(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    top: float = 25
    bottom: float = 22
    left: float = 25
    right: float = 20


class HouseStyle(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    folder: Path
    font_family: str = "Liberation Sans"  # the PDF's font, embedded from templates/fonts
    word_font: str = "Arial"  # the DOCX's font: one Word has, metric twin of font_family
    word_styles: dict[str, str] = Field(default_factory=dict)  # styleId -> name in Word
    base_size: float = Field(default=10, gt=4, lt=30)
    line_height: float = 1.35
    heading_sizes: tuple[float, float, float, float] = (17, 13.5, 11.5, 10.5)
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
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return HouseStyle(folder=templates, **data)
    except (OSError, yaml.YAMLError, TypeError) as exc:
        raise TemplateError(f"{path}: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise TemplateError(f"{path}: {where}: {first['msg']}") from None
