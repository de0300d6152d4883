"""Charts drawn once, as SVG (vector, for the PDF and for Word) and PNG (the fallback
Word versions without SVG support show), so the DOCX and the PDF embed the same picture.

matplotlib with the Agg backend; metadata and SVG ids fixed so the bytes are reproducible.
Series differ by line style and marker as well as colour, so charts read in greyscale.
matplotlib is imported on the first chart, not with planbuilder: `validate` and a build
with nothing to do never pay for it. Every argument of a chart is a value (the numbers'
format too: `Numbers`, not a function), so a chart drawn once in a process is not drawn
again for the same data (the live preview, a build's worker composing a plan again).
A build also gives a `Store` (`stored`): a chart the last build drew for the same
arguments, fonts and code is taken from it instead of drawn, so a rebuild after an edit of
the text neither draws a chart nor imports matplotlib."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from importlib.metadata import version
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Literal, NamedTuple, Protocol

from planbuilder import fmt
from planbuilder.langs import Lang

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@cache
def _pyplot() -> ModuleType:
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "planbuilder"  # stable element ids in the SVG
    # Text as text in the house font, not a path per glyph: the PDF engine draws a chart
    # with text in a fifth of the time, and a reader can select and search its labels.
    matplotlib.rcParams["svg.fonttype"] = "none"
    from matplotlib import pyplot

    return pyplot


class Chart(NamedTuple):
    png: bytes
    svg: bytes

    def pack(self) -> bytes:
        return len(self.png).to_bytes(8, "big") + self.png + self.svg

    @classmethod
    def unpack(cls, data: bytes) -> Chart:
        size = int.from_bytes(data[:8], "big")
        png, svg = data[8:8 + size], data[8 + size:]
        if len(data) < 8 or len(png) != size or not png.startswith(b"\x89PNG") \
                or b"<svg" not in svg[:1000]:
            raise ValueError("not a packed chart")
        return cls(png, svg)


class Store(Protocol):
    """Charts drawn before, by what they were drawn from (`what`: the chart's kind and
    every argument, the fonts and matplotlib's version), as `Chart.pack` bytes."""

    def get(self, what: str) -> bytes | None: ...

    def put(self, what: str, packed: bytes) -> None: ...


_STORES: list[Store] = []


@contextmanager
def stored(store: Store) -> Iterator[None]:
    """Charts drawn in this block are looked up in `store` first, and kept in it."""
    _STORES.append(store)
    try:
        yield
    finally:
        _STORES.remove(store)


class Fonts(NamedTuple):
    """The house fonts a chart is drawn in: the template set's font folder, one family."""

    folder: Path
    family: str = "Liberation Sans"


@cache
def _matplotlib() -> str:
    return version("matplotlib")  # the package's metadata: matplotlib is not imported


def _drawn(kind: str, draw: Callable[..., Chart], *args: object) -> Chart:
    if not _STORES:
        return draw(*args)
    store = _STORES[-1]
    what = repr((kind, _matplotlib(), args))
    packed = store.get(what)
    if packed is not None:
        try:
            return Chart.unpack(packed)
        except ValueError:
            pass
    chart = draw(*args)
    store.put(what, chart.pack())
    return chart

@dataclass(frozen=True)
class Numbers:
    """How a chart writes its numbers, as the documents write them (`fmt`): plain numbers
    with `decimals`, whole euros, or whole euros with the sign of an increase."""

    lang: Lang
    kind: Literal["number", "euros", "signed_euros"] = "number"
    decimals: int = 0

    def __call__(self, value: Decimal) -> str:
        if self.kind == "number":
            return fmt.number(value, self.lang, self.decimals)
        text = fmt.euros(value, self.lang, False)
        return ("+" if self.kind == "signed_euros" and value > 0 else "") + text


Formatter = Numbers
_DPI = 150
# the charts drawn in this process, by their arguments (a plan has a few a language)
_DRAWN = 32


def use_fonts(folder: Path, family: str = "Liberation Sans") -> Fonts:
    """The house fonts shipped with the templates, for the charts (registered with
    matplotlib when a chart is drawn)."""
    return Fonts(folder, family)


def _registered(fonts: Fonts) -> str:
    """Register the fonts' files with matplotlib (again when one changed); the family."""
    files = tuple((str(p), p.stat().st_mtime_ns) for p in sorted(fonts.folder.glob("*.ttf")))
    _register(files)
    return fonts.family


@lru_cache(maxsize=8)
def _register(files: tuple[tuple[str, int], ...]) -> None:
    _pyplot()
    from matplotlib import font_manager

    for path, _ in files:
        font_manager.fontManager.addfont(path)


def _png(fig: Figure) -> Chart:
    png, svg = io.BytesIO(), io.BytesIO()
    fig.savefig(png, format="png", dpi=_DPI, metadata={"Software": None},
                bbox_inches="tight", pad_inches=0.1)
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None},
                bbox_inches="tight", pad_inches=0.1)
    _pyplot().close(fig)
    return Chart(png.getvalue(), svg.getvalue())


def _style(fig: Figure, family: str) -> None:
    for text in fig.findobj(lambda o: hasattr(o, "set_fontfamily")):
        text.set_fontfamily(family)  # type: ignore[attr-defined]


def bar_chart(labels: Sequence[str], values: Sequence[Decimal], axis_label: str,
              number: Formatter, fonts: Fonts, colour: str = "#1f4e79") -> Chart:
    """Horizontal bars, largest on top, each bar labelled with its formatted value."""
    return _drawn("bar", _bar_chart, tuple(labels), tuple(values), axis_label, number, fonts,
                  colour)


@lru_cache(maxsize=_DRAWN)
def _bar_chart(labels: tuple[str, ...], values: tuple[Decimal, ...], axis_label: str,
               number: Formatter, fonts: Fonts, colour: str) -> Chart:
    family = _registered(fonts)
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    height = max(2.2, 0.42 * len(labels) + 0.8)
    fig, ax = _pyplot().subplots(figsize=(6.3, height))
    ys = list(range(len(labels)))[::-1]
    ax.barh(ys, [float(v) for v in values], color=colour)
    ax.set_yticks(ys, labels)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: number(Decimal(round(x)))))
    ax.set_xlabel(axis_label)
    top = float(max(values, default=Decimal(1))) or 1.0
    ax.set_xlim(0, top * 1.28)
    for y, v in zip(ys, values, strict=True):
        ax.text(float(v) + top * 0.01, y, number(v), va="center", fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    _style(fig, family)
    return _png(fig)


def change_chart(labels: Sequence[str], values: Sequence[Decimal], axis_label: str,
                 number: Formatter, fonts: Fonts) -> Chart:
    """Horizontal bars from zero, in the listed order: an increase to the right in one
    colour, a decrease to the left in another, each labelled with its formatted value."""
    return _drawn("change", _change_chart, tuple(labels), tuple(values), axis_label, number, fonts)


@lru_cache(maxsize=_DRAWN)
def _change_chart(labels: tuple[str, ...], values: tuple[Decimal, ...], axis_label: str,
                  number: Formatter, fonts: Fonts) -> Chart:
    family = _registered(fonts)
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    height = max(2.2, 0.42 * len(labels) + 0.8)
    fig, ax = _pyplot().subplots(figsize=(6.3, height))
    ys = list(range(len(labels)))[::-1]
    ax.barh(ys, [float(v) for v in values],
            color=["#a33b20" if v > 0 else "#1f4e79" for v in values])
    ax.set_yticks(ys, labels)
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: number(Decimal(round(x)))))
    ax.set_xlabel(axis_label)
    reach = float(max((abs(v) for v in values), default=Decimal(1))) or 1.0
    ax.set_xlim(-reach * 1.45, reach * 1.45)
    for y, v in zip(ys, values, strict=True):
        ax.text(float(v) + (reach * 0.02 if v >= 0 else -reach * 0.02), y, number(v),
                va="center", ha="left" if v >= 0 else "right", fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    _style(fig, family)
    return _png(fig)


_COLOURS = ("#1f4e79", "#a33b20", "#3c7a3a", "#6b4c9a")


def line_chart(years: Sequence[int],
               series: Sequence[tuple[str, Sequence[Decimal | None]]],
               axis_label: str, number: Formatter, fonts: Fonts,
               labels: Sequence[str] | None = None, forecast_from: int | None = None,
               forecast_label: str = "") -> Chart:
    """Lines over `years` (or over positions named by `labels`, e.g. months; at most twelve
    years or six labels are written under the axis). A missing value (None) leaves a gap.
    From position `forecast_from` on the points are forecasts: a shaded band named
    `forecast_label`."""
    return _drawn("line", _line_chart, tuple(years),
                  tuple((name, tuple(values)) for name, values in series),
                  axis_label, number, fonts, None if labels is None else tuple(labels),
                  forecast_from, forecast_label)


@lru_cache(maxsize=_DRAWN)
def _line_chart(years: tuple[int, ...],
                series: tuple[tuple[str, tuple[Decimal | None, ...]], ...],
                axis_label: str, number: Formatter, fonts: Fonts,
                labels: tuple[str, ...] | None, forecast_from: int | None,
                forecast_label: str) -> Chart:
    family = _registered(fonts)
    from matplotlib.ticker import FuncFormatter

    fig, ax = _pyplot().subplots(figsize=(6.3, 3.4))
    styles = ["-", "--", ":", "-."]
    xs = list(years) if labels is None else list(range(len(labels)))
    for i, (label, values) in enumerate(series):
        ax.plot(xs, [float(v) if v is not None else float("nan") for v in values],
                styles[i % 4], marker="os^Dv<"[i % 6], label=label,
                color=_COLOURS[i % len(_COLOURS)])
        last = next(((x, v) for x, v in zip(xs[::-1], values[::-1], strict=True)
                     if v is not None), None)
        if last is not None and len(series) <= 2:  # more lines: their ends would overlap
            ax.annotate(number(last[1]), (last[0], float(last[1])), fontsize=8,
                        xytext=(4, 0), textcoords="offset points", va="center")
    if forecast_from is not None and 0 <= forecast_from < len(xs):
        step = (xs[1] - xs[0]) if len(xs) > 1 else 1
        ax.axvspan(xs[forecast_from] - step / 2, xs[-1] + step / 2, color="#e6e6e6",
                   zorder=0, linewidth=0)
        ax.text(xs[forecast_from] - step / 2, 1.0, f" {forecast_label}", fontsize=8,
                transform=ax.get_xaxis_transform(), va="top", ha="left")
    names = [str(y) for y in years] if labels is None else list(labels)
    step = max(1, -(-len(xs) // (12 if labels is None else 6)))
    ax.set_xticks(xs[::step], names[::step])
    ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _: number(Decimal(str(round(x, 2))))))
    ax.set_ylabel(axis_label)
    if len(series) > 2:  # below the plot, where it covers no line
        ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12),
                  ncol=min(3, len(series)))
    elif len(series) > 1:
        ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    _style(fig, family)
    return _png(fig)
