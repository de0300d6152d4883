"""What planbuilder says to people, in their language: findings, rule explanations and the
command line's text, from the message catalogues in `templates/i18n/messages/<lang>/`.

Code names a message by its key and its values (`msg("rules.PB-ACK.unknown", rule=...)`);
the words are in the catalogues, one folder a language, so a translator never reads Python.
A message is kept as its key and values, not as text, so a finding read from the build cache
or shown in the live preview can be worded in whichever language the reader chose.

The reader's language: `use()` (the command line's `--lang`), else `PLANBUILDER_LANG`, else
the locale (`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`): Finnish for a Finnish locale,
Swedish for a Swedish one, English otherwise."""

from __future__ import annotations

import importlib.util
import os
import string
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from planbuilder.data import SafeLoader

MessageLang = Literal["fi", "sv", "en"]
MESSAGE_LANGS: tuple[MessageLang, ...] = ("fi", "sv", "en")
ENV = "PLANBUILDER_LANG"


class CatalogueError(Exception):
    """A message catalogue cannot be read, or lacks a message (a defect of the install)."""


class UniqueKeyLoader(SafeLoader):
    """A safe YAML loader that refuses a key given twice in one mapping (the later text
    would silently replace the earlier)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key '{key}' is given twice", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


@dataclass(frozen=True)
class Named:
    """A name worded in the reader's language: a municipality is Porvoo to a Finnish reader
    and Borgå to a Swedish one (`en`: the name an English reader is given)."""

    fi: str
    sv: str
    en: str

    def text(self, lang: MessageLang) -> str:
        return self.sv if lang == "sv" else self.en if lang == "en" else self.fi

    def __str__(self) -> str:
        return self.text(language())


@dataclass(frozen=True)
class Msg:
    """A message: its catalogue key and its values (text, whole numbers, lists of text,
    other messages; amounts are kept as text and formatted by the catalogue's `:euro`,
    `:percent` or `:number`)."""

    key: str
    params: tuple[tuple[str, Any], ...] = ()

    def text(self, lang: str | None = None) -> str:
        return render(self, _lang(lang))

    def __str__(self) -> str:
        return self.text()

    def as_data(self) -> dict[str, Any]:
        """As JSON data (the build cache); `from_data` reads it back."""
        return {"key": self.key, "params": {k: _data(v) for k, v in self.params}}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Msg:
        return cls(str(data["key"]), tuple((k, _from_data(v)) for k, v in
                                           dict(data.get("params") or {}).items()))


def _data(value: Any) -> Any:
    if isinstance(value, Msg):
        return value.as_data()
    if isinstance(value, Named):
        return {"named": {"fi": value.fi, "sv": value.sv, "en": value.en}}
    return [_data(v) for v in value] if isinstance(value, tuple) else value


def _from_data(value: Any) -> Any:
    if isinstance(value, dict) and "named" in value:
        return Named(**{k: str(v) for k, v in dict(value["named"]).items()})
    if isinstance(value, dict):
        return Msg.from_data(value)
    return tuple(_from_data(v) for v in value) if isinstance(value, list) else value


def _value(value: object) -> Any:
    if isinstance(value, Msg | Named | str | int) and not isinstance(value, bool):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return tuple(v if isinstance(v, Msg | Named) else str(v) for v in items)  # worded
        # in the language the whole is worded in
    return str(value)  # Decimal, Path, dates, booleans: as text


def msg(key: str, **params: object) -> Msg:
    return Msg(key, tuple((k, _value(v)) for k, v in params.items()))


# -- the reader's language -------------------------------------------------------------------

_chosen: MessageLang | None = None


def use(lang: str | None) -> None:
    """Set the language of every message from now on (None: back to the environment)."""
    global _chosen
    _chosen = None if lang is None else _checked(lang)


def _checked(lang: str) -> MessageLang:
    for known in MESSAGE_LANGS:
        if lang == known:
            return known
    raise CatalogueError(f"unknown language '{lang}' (fi, sv or en)")


def from_environment(env: Mapping[str, str] | None = None) -> MessageLang:
    """PLANBUILDER_LANG when set, else the locale's language when fi or sv, else English.
    An unknown PLANBUILDER_LANG is an error (CatalogueError), not silently English."""
    env = os.environ if env is None else env
    chosen = env.get(ENV, "").strip()
    if chosen:
        return _checked(chosen)
    # POSIX: the first of these that is set decides; LANGUAGE is a list, gettext's way.
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if not value:
            continue
        for part in value.split(":"):
            for known in MESSAGE_LANGS:
                if part[:2].lower() == known:
                    return known
        if var != "LANGUAGE":
            return "en"
    return "en"


def language() -> MessageLang:
    return _chosen or from_environment()


def _lang(lang: str | None) -> MessageLang:
    return language() if lang is None else _checked(lang)


# -- the catalogues --------------------------------------------------------------------------

def installed_templates() -> Path | None:
    """The default template folder installed with the package (`planbuilder.templates`,
    the repository's templates/), or None when it is missing."""
    spec = importlib.util.find_spec("planbuilder.templates")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def catalogue_dir() -> Path:
    """templates/i18n/messages, installed with the package."""
    folder = installed_templates()
    if folder is None:
        raise CatalogueError("planbuilder's message catalogues are not installed; "
                             "reinstall planbuilder")
    return folder / "i18n" / "messages"


def _flatten(node: Mapping[str, Any], prefix: str, out: dict[str, str], where: Path) -> None:
    for k, v in node.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping):
            _flatten(v, f"{key}.", out, where)
        elif isinstance(v, str):
            if key in out:
                raise CatalogueError(f"{where}: message '{key}' is given in two files")
            out[key] = v
        else:
            raise CatalogueError(f"{where}: message '{key}' is not text")


@cache
def catalogue(lang: MessageLang) -> Mapping[str, str]:
    """Every message of a language, by its dotted key; the folder's files are one catalogue
    (a key given in two files is refused)."""
    out: dict[str, str] = {}
    folder = catalogue_dir() / lang
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise CatalogueError(f"{folder}: no message catalogue")
    for path in files:
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=UniqueKeyLoader)
        except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
            raise CatalogueError(f"{path}: {exc}") from None
        if not isinstance(data, Mapping):
            raise CatalogueError(f"{path}: expected a mapping")
        _flatten(data, "", out, path)
    return out


def has(key: str) -> bool:
    return key in catalogue("en")


def placeholders(text: str) -> set[str]:
    """The names a message's text fills in ({name} or {name:euro})."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class _Formatter(string.Formatter):
    def __init__(self, lang: MessageLang):
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        from planbuilder import fmt  # numbers as in Finland, in every language
        from planbuilder.langs import Lang

        number_lang: Lang = "sv" if self.lang == "sv" else "fi"
        if isinstance(value, Msg):
            return render(value, self.lang)
        if isinstance(value, Named):
            return value.text(self.lang)
        if isinstance(value, tuple):
            return ", ".join(render(v, self.lang) if isinstance(v, Msg) else
                             v.text(self.lang) if isinstance(v, Named) else str(v)
                             for v in value)
        if format_spec.startswith("plural:"):
            return plural(value, format_spec[len("plural:"):], self.lang)
        if format_spec in ("euro", "percent", "number"):
            try:
                amount = Decimal(str(value))
            except InvalidOperation:
                return str(value)
            if format_spec == "euro":
                return fmt.euros(amount, number_lang)
            if format_spec == "percent":
                return fmt.percent(amount, number_lang)
            decimals = max(0, -int(amount.normalize().as_tuple().exponent))
            return fmt.number(amount, number_lang, decimals)
        return str(super().format_field(value, format_spec))


def plural_forms(spec: str) -> dict[str, str]:
    """`one=virhe|other=virhettä` -> {"one": "virhe", "other": "virhettä"}."""
    forms: dict[str, str] = {}
    for part in spec.split("|"):
        category, sep, word = part.partition("=")
        if not sep or not category.strip():
            raise ValueError(f"plural form '{part}' is not category=word")
        forms[category.strip()] = word
    if "other" not in forms:
        raise ValueError(f"plural forms '{spec}' lack 'other'")
    return forms


def plural(value: object, spec: str, lang: MessageLang) -> str:
    """A count with its word in the language's CLDR plural form (Babel knows the rules):
    `{errors:plural:one=error|other=errors}` gives "1 error", "2 errors"."""
    from babel import Locale

    forms = plural_forms(spec)
    try:
        count = int(str(value))
    except ValueError:
        return f"{value} {forms['other']}"
    category = Locale.parse(lang).plural_form(count)
    return f"{count} {forms.get(category, forms['other'])}"


def render(message: Msg, lang: MessageLang) -> str:
    """The message in a language; a key a catalogue lacks falls back to English (the
    catalogue test keeps every language complete)."""
    text = catalogue(lang).get(message.key)
    if text is None:
        text = catalogue("en").get(message.key)
        if text is None:
            raise CatalogueError(f"no message '{message.key}' in the catalogues")
    try:
        return _Formatter(lang).vformat(text, (), dict(message.params))
    except (KeyError, IndexError, ValueError) as exc:
        raise CatalogueError(f"message '{message.key}' ({lang}): cannot fill in {exc}") \
            from None


def t(key: str, lang: str | None = None, **params: object) -> str:
    """A message's text at once (the command line's own words)."""
    return msg(key, **params).text(lang)
