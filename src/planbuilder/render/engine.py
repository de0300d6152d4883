"""Whether the PDF engine can run on this machine, and what to install when it cannot.

WeasyPrint is a Python package that loads C libraries when it is imported (GObject, Pango,
HarfBuzz, fontconfig). A preparer's Windows laptop often lacks them; everything that needs no
PDF (validate, budget, serve's HTML preview, …) works without them, so only the PDF renderer
imports WeasyPrint, and a command that writes PDFs asks `require_pdf_engine()` once before it
starts any work: a missing engine is then one clear usage error (exit 2) with the platform's
install command, not a failure after minutes of composing."""

from __future__ import annotations

import contextlib
import io
import platform
import sys
from functools import cache
from pathlib import Path

from planbuilder.errors import EngineMissing
from planbuilder.messages import Msg, msg

# WeasyPrint's own installation instructions (doc.courtbouillon.org/weasyprint/stable/
# first_steps.html), the packages a pip install ("inside a virtualenv using wheels") needs.
INSTALL = {
    "debian": "sudo apt install python3-pip libpango-1.0-0 libpangoft2-1.0-0",
    "ubuntu": "sudo apt install python3-pip libpango-1.0-0 libharfbuzz0b libpangoft2-1.0-0",
    "fedora": "sudo dnf install python-pip pango",
    "macos": "brew install weasyprint",
    "windows": "pacman -S mingw-w64-ucrt-x86_64-pango",  # in the MSYS2 shell (see doctor)
}
PLATFORM_NAMES = {"debian": "Debian", "ubuntu": "Ubuntu", "fedora": "Fedora",
                  "macos": "macOS", "windows": "Windows"}
DOCS = "https://doc.courtbouillon.org/weasyprint/stable/first_steps.html"


def platform_key(system: str | None = None, os_release: str | None = None) -> str | None:
    """debian, ubuntu, fedora, macos or windows; None for a system WeasyPrint's instructions
    do not name (the documentation's address is given then)."""
    system = system or platform.system()
    if system == "Darwin":
        return "macos"
    if system == "Windows":
        return "windows"
    if system != "Linux":
        return None
    if os_release is None:
        try:
            os_release = Path("/etc/os-release").read_text(encoding="utf-8")
        except OSError:
            return None
    fields: dict[str, str] = {}
    for line in os_release.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            fields[key.strip()] = value.strip().strip('"').lower()
    for name in [fields.get("ID", ""), *fields.get("ID_LIKE", "").split()]:
        if name in ("ubuntu", "debian", "fedora"):
            return name
        if name in ("rhel", "centos"):
            return "fedora"
    return None


def install_hint(key: str | None = None, *, package_missing: bool = False) -> Msg:
    """How to install the PDF engine's libraries on this platform, as a message."""
    key = platform_key() if key is None else key
    pip = msg("doctor.install.pip") if package_missing else ""
    if key == "windows":
        return msg("doctor.install.windows", command=INSTALL["windows"], docs=DOCS, pip=pip)
    if key in INSTALL:
        return msg("doctor.install.command", platform=PLATFORM_NAMES[key],
                   command=INSTALL[key], pip=pip)
    return msg("doctor.install.other", docs=DOCS, pip=pip)


@cache
def pdf_engine_problem() -> tuple[str, str] | None:
    """None when WeasyPrint imports and its libraries load; else (kind, detail): kind
    "package" when WeasyPrint itself is not installed, "library" when a C library it
    loads is missing. WeasyPrint prints a banner to stdout when a library is missing; it
    is kept off the terminal (the error says what to do)."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint  # noqa: F401
    except ImportError as exc:
        if (exc.name or "").split(".")[0] == "weasyprint":
            return ("package", str(exc))
        return ("library", str(exc))
    except OSError as exc:  # cffi: "cannot load library 'libgobject-2.0-0': …"
        return ("library", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    return None


def require_pdf_engine() -> None:
    """Raise EngineMissing (exit 2) with the install command when PDFs cannot be made."""
    problem = pdf_engine_problem()
    if problem is None:
        return
    kind, detail = problem
    raise EngineMissing(msg("doctor.engine_missing", problem=detail,
                            install=install_hint(package_missing=kind == "package")))


def python_ok() -> bool:
    return sys.version_info >= (3, 11)
