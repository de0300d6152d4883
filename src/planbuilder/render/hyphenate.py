"""Hyphenation for the PDF, done before layout with soft hyphens (U+00AD), each text by its
own language: Finnish with Voikko (libvoikko and its Finnish dictionary, Debian packages
libvoikko1 and voikko-fi) where present, else with Finnish syllable rules; Swedish with the
hyphenation patterns WeasyPrint itself uses (Pyphen). In a Swedish document, a text the
Finnish dictionary recognises as Finnish (a statistic's Finnish source, say) is hyphenated
as Finnish. Words too long to hyphenate (addresses, codes) get a soft hyphen every few
characters, so no line ever breaks inside a word without a hyphen.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable
from typing import Any

SOFT = "\u00ad"
ZWSP = "\u200b"
_ADDRESS = re.compile(r"://|^www\.|@\w")
MIN_WORD = 6  # shorter words are never split
MIN_LEFT, MIN_RIGHT = 2, 3  # letters kept before and after a break (Finnish practice)
LONG_TOKEN = 24  # a token this long without break points gets forced ones
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_VOWELS = set("aeiouyäöå")
# Finnish vowel pairs that stay in one syllable (long vowels and diphthongs).
_DIPHTHONGS = {"aa", "ee", "ii", "oo", "uu", "yy", "ää", "öö", "ai", "ei", "oi", "ui", "yi",
               "äi", "öi", "au", "eu", "iu", "ou", "ey", "iy", "äy", "öy", "ie", "uo", "yö"}


_VOIKKO_LOCK = threading.Lock()  # libvoikko is not thread-safe: one caller at a time


@functools.cache
def _voikko() -> Any:
    try:
        import libvoikko

        with _VOIKKO_LOCK:
            return libvoikko.Voikko("fi")
    except Exception:  # library or dictionary missing: the syllable rules stand in
        return None


@functools.cache
def _pyphen(lang: str) -> Any:
    import pyphen

    return pyphen.Pyphen(lang=lang)


def finnish_syllable_points(word: str) -> list[int]:
    """Break points by the Finnish syllable rule: before a consonant that is followed by a
    vowel, and between two vowels that are not a long vowel or a diphthong. Unlike Voikko it
    cannot see compound boundaries ("työn-antaja" becomes "työ-nantaja")."""
    w = word.lower()
    points = []
    for i in range(1, len(w) - 1):
        before_cv = w[i] not in _VOWELS and w[i + 1] in _VOWELS and \
            any(c in _VOWELS for c in w[:i])
        between_vowels = w[i - 1] in _VOWELS and w[i] in _VOWELS and \
            w[i - 1:i + 1] not in _DIPHTHONGS and not (i >= 2 and w[i - 2] in _VOWELS)
        if before_cv or between_vowels:
            points.append(i)
    return points


@functools.lru_cache(maxsize=1 << 16)  # a word recurs in every document of a plan
def finnish_points(word: str) -> list[int]:
    voikko = _voikko()
    if voikko is None:
        return finnish_syllable_points(word)
    with _VOIKKO_LOCK:
        pattern = voikko.getHyphenationPattern(word)
    return [i for i, mark in enumerate(pattern) if mark in "-="]


@functools.lru_cache(maxsize=1 << 16)
def _swedish_points(word: str) -> list[int]:
    return [int(p) for p in _pyphen("sv").positions(word)]


@functools.lru_cache(maxsize=4096)
def is_finnish(text: str) -> bool:
    """Whether the Finnish dictionary recognises most of the words of a text."""
    voikko = _voikko()
    words = [w for w in _WORD.findall(text) if len(w) >= 3]
    if voikko is None or not words:
        return False
    with _VOIKKO_LOCK:
        known = sum(bool(voikko.spell(w)) for w in words)
    return known >= 0.5 * len(words)


def _hyphenate_word(word: str, points: Callable[[str], list[int]]) -> str:
    if len(word) < MIN_WORD:
        return word
    out, last = [], 0
    for part_start, part in _parts(word):
        for p in points(part):
            at = part_start + p
            if p >= MIN_LEFT and len(part) - p >= MIN_RIGHT and at > last:
                out.append(word[last:at])
                last = at
    out.append(word[last:])
    return SOFT.join(out)


def _parts(word: str) -> list[tuple[int, str]]:
    """A compound written with hyphens is hyphenated part by part."""
    parts, start = [], 0
    for piece in word.split("-"):
        parts.append((start, piece))
        start += len(piece) + 1
    return parts


def _force(token: str) -> str:
    if SOFT in token:
        return token
    step = 12
    return SOFT.join(token[i:i + step] for i in range(0, len(token), step))


def text_language(text: str, lang: str) -> str:
    """The language a text of a `lang` document is written in (fi or sv)."""
    return "fi" if lang == "fi" or is_finnish(text) else "sv"


def _address(token: str) -> str:
    """A web or e-mail address breaks after its separators, with no hyphen added (a
    hyphen would read as part of the address)."""
    return re.sub(r"(?<=[/.@?&=])(?=.)", ZWSP, token)


def hyphenate(text: str, lang: str) -> str:
    """The text, written in `lang`, with soft hyphens at every permitted break point."""
    points = finnish_points if lang == "fi" else _swedish_points

    def token(match: re.Match[str]) -> str:
        word = match.group(0)
        if _ADDRESS.search(word):
            return _address(word)
        word = _WORD.sub(lambda m: _hyphenate_word(m.group(0), points), word)
        return _force(word) if len(word) >= LONG_TOKEN and SOFT not in word else word

    return re.sub(r"\S+", token, text)
