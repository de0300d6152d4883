"""The template set a clerk may edit: document templates (Jinja2 emitting Markdown),
translation files and the house style. Loaded once per run; rendering is sandboxed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from jinja2 import StrictUndefined, select_autoescape
from markupsafe import Markup

from planbuilder.errors import TemplateError
from planbuilder.messages import UniqueKeyLoader, installed_templates, t
from planbuilder.model import LANGS, Lang
from planbuilder.sandbox import (
    BoundedSandbox,
    ContainedLoader,
    environment,
    format_plain,
    inside,
    render_bounded,
)


def default_dir() -> Path:
    """The default template set, installed with the package (`planbuilder.templates`)."""
    folder = installed_templates()
    if folder is None:
        raise TemplateError(t("errors.template.not_installed"))
    return folder



class Translations:
    """Nested translation keys, read as t('section.key', name=value)."""

    def __init__(self, lang: Lang, data: dict[str, Any]):
        self.lang = lang
        self.data = data

    def __call__(self, key: str, **values: object) -> str:
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise TemplateError(t("errors.template.no_translation", name=key,
                                      file=f"{self.lang}.yaml"))
            node = node[part]
        if not isinstance(node, str):
            raise TemplateError(t("errors.template.translation_not_text", name=key,
                                  file=f"{self.lang}.yaml"))
        if not values:
            return node
        try:
            return format_plain(node, values)
        except (ValueError, KeyError, IndexError) as exc:
            raise TemplateError(f"translation '{key}' in {self.lang}.yaml: {exc}") from None

    def list(self, key: str) -> list[str]:
        node: Any = self.data
        for part in key.split("."):
            node = node[part]
        return [str(x) for x in node]



@dataclass
class TemplateSet:
    folder: Path

    @classmethod
    def load(cls, folder: Path | None = None) -> TemplateSet:
        folder = (folder or default_dir()).resolve()
        if not (folder / "i18n").is_dir():
            raise TemplateError(t("errors.template.not_a_folder", folder=folder))
        return cls(folder)

    @cached_property
    def translations(self) -> dict[Lang, Translations]:
        out: dict[Lang, Translations] = {}
        for lang in LANGS:
            path = self.folder / "i18n" / f"{lang}.yaml"
            try:
                data = yaml.load(inside(self.folder, path).read_text(encoding="utf-8"),
                                 Loader=UniqueKeyLoader)  # a SafeLoader
            except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
                raise TemplateError(f"{path}: {exc}") from None
            if not isinstance(data, dict):
                raise TemplateError(t("errors.template.not_a_mapping", path=path))
            out[lang] = Translations(lang, data)
        return out

    @cached_property
    def env(self) -> BoundedSandbox:
        # Sandboxed: templates are edited by clerks and must not reach Python internals.
        # Every plain value a template prints is Markdown-literal text (`_literal`), so a
        # plan's plain-text field (a council's name, a title) can never add a heading, a
        # list or a directive; prose() and the block functions return Markup on purpose.
        return environment(
            ContainedLoader(str(self.folder / "documents")),
            autoescape=select_autoescape(default=True, default_for_string=True),
            finalize=_literal,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )

    def render(self, name: str, context: dict[str, Any]) -> str:
        try:
            return render_bounded(self.env, name, context)
        except TemplateError:
            raise
        except Exception as exc:  # jinja errors, sandbox violations, undefined names
            where = getattr(exc, "lineno", None)
            loc = f"{name}:{where}" if where else name
            raise TemplateError(f"{self.folder.name}/documents/{loc}: {exc}") from None


_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_BREAKS = re.compile(r"[\r\n\v\f\x85\u2028\u2029]+")


def _literal(value: Any) -> Any:
    """Plain text as Markdown that shows exactly that text on one line: every ASCII
    punctuation character backslash-escaped (CommonMark), line breaks as spaces."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return Markup(_PUNCTUATION.sub(r"\\\1", _LINE_BREAKS.sub(" ", value)))


def literal(text: str) -> Markup:
    """Plain text as Markdown that shows exactly that text (for template functions that
    build a paragraph of their own)."""
    return Markup(_PUNCTUATION.sub(r"\\\1", _LINE_BREAKS.sub(" ", text)))
