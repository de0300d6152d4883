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

from planbuilder.messages import t

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
            raise TemplateNotFound(t("errors.template.link_out_name", name=template))
        return source, filename, uptodate


def inside(folder: Path, path: Path) -> Path:
    """`path`, if it resolves inside `folder`; a link out is refused."""
    resolved = path.resolve()
    if not resolved.is_relative_to(folder.resolve()):
        raise PermissionError(t("errors.template.link_out", path=path))
    return resolved


def _size(value: object) -> int | None:
    return len(value) if isinstance(value, str | bytes | list | tuple) else None


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with `*`, `**` and `+` unable to build huge values."""

    intercepted_binops = frozenset({"*", "**", "+"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int | float) and abs(right) > 64:
            raise SecurityError(t("errors.template.exponent"))
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                size = _size(seq)
                if size is not None and isinstance(n, int) and size * n > MAX_GROWTH:
                    raise SecurityError(t("errors.template.value_too_long", limit=MAX_GROWTH))
            if isinstance(left, int) and isinstance(right, int) and \
                    left.bit_length() + right.bit_length() > 256:
                raise SecurityError(t("errors.template.number"))
        if operator == "+":
            a, b = _size(left), _size(right)
            if a is not None and b is not None and a + b > MAX_GROWTH:
                raise SecurityError(t("errors.template.value_too_long", limit=MAX_GROWTH))
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
        raise TimeoutError(t("errors.template.too_slow", what=what, seconds=f"{seconds:g}"))

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
    with time_limit(MAX_SECONDS, name):
        for chunk in env.get_template(name).generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise SecurityError(t("errors.template.output_too_long", limit=MAX_OUTPUT))
            parts.append(chunk)
    return "".join(parts)


class _PlainFormatter(string.Formatter):
    def get_field(self, field_name: str, args: Any, kwargs: Any) -> tuple[Any, str]:
        if not field_name.isidentifier():
            raise ValueError(t("errors.template.plain_names", field=field_name))
        if field_name not in kwargs:
            raise KeyError(field_name)
        return kwargs[field_name], field_name

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec:
            raise ValueError(t("errors.template.no_format", spec=format_spec))
        return str(value)

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion is not None:
            raise ValueError(t("errors.template.no_conversion", conversion=conversion))
        return value


_FORMATTER = _PlainFormatter()


def format_plain(text: str, values: dict[str, object]) -> str:
    """str.format with named values only: '{name}' works, '{name.attr}', '{name[0]}',
    conversions and format specs are refused (ValueError/KeyError)."""
    return _FORMATTER.vformat(text, (), values)
