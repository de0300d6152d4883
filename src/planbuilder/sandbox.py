"""Containment for what clerks edit: templates and translation strings.

Templates render in Jinja's immutable sandbox, from files inside the template folder only
(symlinks out are refused), with bounded string/sequence growth, bounded output and
bounded time. Translation strings are formatted with named plain values only: no
attribute or index access, so a translation cannot reach Python internals.
"""

from __future__ import annotations

import contextlib
import signal
import string
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, Environment, FileSystemLoader, TemplateNotFound
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_GROWTH = 1_000_000  # characters or items one template operation may produce
MAX_OUTPUT = 20_000_000  # characters one template may emit
MAX_SECONDS = 60  # wall time one template render may take


class ContainedLoader(FileSystemLoader):
    """A file loader that refuses templates resolving outside its folders (symlinks)."""

    def get_source(self, environment: Environment, template: str,
                   ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        resolved = Path(filename).resolve()
        roots = [Path(p).resolve() for p in self.searchpath]
        if not any(resolved.is_relative_to(root) for root in roots):
            raise TemplateNotFound(f"{template} (links outside the template folder are not "
                                   "followed)")
        return source, filename, uptodate


def inside(folder: Path, path: Path) -> Path:
    """`path`, if it resolves inside `folder`; a link out is refused."""
    resolved = path.resolve()
    if not resolved.is_relative_to(folder.resolve()):
        raise PermissionError(f"{path}: links outside the template folder are not followed")
    return resolved


def _size(value: object) -> int | None:
    return len(value) if isinstance(value, str | bytes | list | tuple) else None


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with `*`, `**` and `+` unable to build huge values."""

    intercepted_binops = frozenset({"*", "**", "+"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int | float) and abs(right) > 64:
            raise SecurityError("exponent too large in a template")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                size = _size(seq)
                if size is not None and isinstance(n, int) and size * n > MAX_GROWTH:
                    raise SecurityError(f"a template value over {MAX_GROWTH} long")
            if isinstance(left, int) and isinstance(right, int) and \
                    left.bit_length() + right.bit_length() > 256:
                raise SecurityError("a number too large in a template")
        if operator == "+":
            a, b = _size(left), _size(right)
            if a is not None and b is not None and a + b > MAX_GROWTH:
                raise SecurityError(f"a template value over {MAX_GROWTH} long")
        return super().call_binop(context, operator, left, right)


def environment(loader: BaseLoader, **options: Any) -> BoundedSandbox:
    return BoundedSandbox(loader=loader, **options)


@contextlib.contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Raise TimeoutError after `seconds` (main thread only: elsewhere no limit)."""
    if threading.current_thread() is not threading.main_thread() or \
            not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"{what} took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def render_bounded(env: Environment, name: str, context: dict[str, Any]) -> str:
    """Render a template with bounded output and time."""
    parts: list[str] = []
    size = 0
    with time_limit(MAX_SECONDS, f"template {name}"):
        for chunk in env.get_template(name).generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise SecurityError(f"template output over {MAX_OUTPUT} characters")
            parts.append(chunk)
    return "".join(parts)


class _PlainFormatter(string.Formatter):
    def get_field(self, field_name: str, args: Any, kwargs: Any) -> tuple[Any, str]:
        if not field_name.isidentifier():
            raise ValueError(f"'{{{field_name}}}': only plain names may be used")
        if field_name not in kwargs:
            raise KeyError(field_name)
        return kwargs[field_name], field_name

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec:
            raise ValueError(f"format '{format_spec}' is not allowed in translations")
        return str(value)

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion is not None:
            raise ValueError(f"conversion '!{conversion}' is not allowed in translations")
        return value


_FORMATTER = _PlainFormatter()


def format_plain(text: str, values: dict[str, object]) -> str:
    """str.format with named values only: '{name}' works, '{name.attr}', '{name[0]}',
    conversions and format specs are refused (ValueError/KeyError)."""
    return _FORMATTER.vformat(text, (), values)
