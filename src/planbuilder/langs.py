"""The documents' languages, Finnish and Swedish: a module of its own so that the lowest
layers (number formats, messages, the model) share them without importing each other."""

from __future__ import annotations

from typing import Literal

Lang = Literal["fi", "sv"]
LANGS: tuple[Lang, ...] = ("fi", "sv")
