"""`planbuilder doctor`: what this machine has of what planbuilder uses, what each missing
piece costs, and how to install it. Nothing is changed; the checks only look."""

from __future__ import annotations

import ctypes.util
import platform
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from planbuilder.compose.templates import TemplateSet
from planbuilder.errors import TemplateError
from planbuilder.messages import Msg, msg
from planbuilder.render.engine import install_hint, pdf_engine_problem, platform_key

# Install commands by platform (the packages' own names); a platform without one gets the
# project's address instead.
VOIKKO = {"debian": "sudo apt install libvoikko1 voikko-fi",
          "ubuntu": "sudo apt install libvoikko1 voikko-fi",
          "fedora": "sudo dnf install libvoikko malaga-suomi-voikko",
          "macos": "brew install libvoikko"}
VOIKKO_SITE = "https://voikko.puimula.org/"
HARFBUZZ = {"debian": "sudo apt install libharfbuzz-subset0",
            "ubuntu": "sudo apt install libharfbuzz-subset0",
            "fedora": "sudo dnf install harfbuzz",
            "macos": "brew install harfbuzz",
            "windows": "pacman -S mingw-w64-ucrt-x86_64-harfbuzz"}
GIT = {"debian": "sudo apt install git", "ubuntu": "sudo apt install git",
       "fedora": "sudo dnf install git", "macos": "xcode-select --install"}
GIT_SITE = "https://git-scm.com/downloads"


@dataclass(frozen=True)
class Check:
    """One thing planbuilder uses: present or not, `detail` what was found, `cost` what
    is lost without it, `install` how to get it; `needed` for building documents."""

    key: str
    ok: bool
    needed: bool
    detail: Msg | str = ""
    cost: Msg | str = ""
    install: Msg | str = ""


def _command(table: dict[str, str], key: str | None, site: str) -> Msg:
    if key in table:
        return msg("doctor.install.run", command=table[key])
    return msg("doctor.install.see", site=site)


def check_python() -> Check:
    version = platform.python_version()
    return Check("python", sys.version_info >= (3, 11), True, version,
                 msg("doctor.cost.python"), msg("doctor.install.python"))


def check_engine(key: str | None) -> Check:
    problem = pdf_engine_problem()
    if problem is None:
        from importlib.metadata import version

        return Check("weasyprint", True, True, f"WeasyPrint {version('weasyprint')}")
    kind, detail = problem
    return Check("weasyprint", False, True, detail, msg("doctor.cost.weasyprint"),
                 install_hint(key, package_missing=kind == "package"))


def check_fonts(templates: TemplateSet | None) -> Check:
    if templates is None:
        return Check("fonts", False, True, "", msg("doctor.cost.fonts"),
                     msg("doctor.install.templates"))
    folder = templates.folder / "fonts"
    fonts = sorted(p.name for p in folder.glob("*.ttf")) if folder.is_dir() else []
    if fonts:
        return Check("fonts", True, True, f"{folder}: {', '.join(fonts)}")
    return Check("fonts", False, True, str(folder), msg("doctor.cost.fonts"),
                 msg("doctor.install.fonts", folder=folder))


def check_voikko(key: str | None) -> Check:
    try:
        import libvoikko

        voikko = libvoikko.Voikko("fi")
        voikko.terminate()
        return Check("voikko", True, False, msg("doctor.found.voikko"))
    except Exception as exc:  # the library, or its Finnish dictionary, is missing
        return Check("voikko", False, False, str(exc).splitlines()[0] if str(exc) else "",
                     msg("doctor.cost.voikko"), _command(VOIKKO, key, VOIKKO_SITE))


def check_harfbuzz(key: str | None) -> Check:
    found = ctypes.util.find_library("harfbuzz-subset")
    if found:
        return Check("harfbuzz", True, False, found)
    return Check("harfbuzz", False, False, "", msg("doctor.cost.harfbuzz"),
                 _command(HARFBUZZ, key, "https://harfbuzz.github.io/"))


def check_git(key: str | None) -> Check:
    found = shutil.which("git")
    if found:
        return Check("git", True, False, found)
    return Check("git", False, False, "", msg("doctor.cost.git"), _command(GIT, key, GIT_SITE))


def check_templates(folder: Path | None) -> tuple[Check, TemplateSet | None]:
    try:
        templates = TemplateSet.load(folder)
    except TemplateError as exc:
        return Check("templates", False, True, str(exc), msg("doctor.cost.templates"),
                     msg("doctor.install.templates")), None
    which = "doctor.found.templates_own" if folder else "doctor.found.templates_installed"
    return Check("templates", True, True, msg(which, folder=templates.folder)), templates


def checks(folder: Path | None = None, key: str | None = None) -> list[Check]:
    """Every check, in the order `doctor` prints them."""
    key = platform_key() if key is None else key
    templates_check, templates = check_templates(folder)
    return [check_python(), check_engine(key), check_fonts(templates), check_voikko(key),
            check_harfbuzz(key), check_git(key), templates_check]


def can_build(found: list[Check]) -> bool:
    return all(c.ok for c in found if c.needed)
