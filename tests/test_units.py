"""Unit tests of the small modules every document leans on: formats, the document helpers,
charts, the table registry, the error-to-exit-code map and stage logging."""

from __future__ import annotations

import datetime as dt
import logging
import re
from decimal import Decimal as D
from pathlib import Path

import pytest

from planbuilder import fmt
from planbuilder.compose import charts
from planbuilder.compose.composer import Composer
from planbuilder.compose.tables import FIGURES, TABLES
from planbuilder.compose.templates import TemplateSet
from planbuilder.document import (
    Cell,
    Document,
    Heading,
    Meta,
    Paragraph,
    Span,
    Table,
    headings,
    page_label_parts,
    plain,
)
from planbuilder.errors import (
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_USAGE,
    BuildError,
    MoneyError,
    PlanLoadError,
    RenderError,
    TemplateError,
    UsageError,
    exit_code,
)
from planbuilder.findings import Finding
from planbuilder.load import load_plan
from planbuilder.log import logger, stage
from planbuilder.messages import msg
from planbuilder.model import Lang
from planbuilder.money import compute

ROOT = Path(__file__).resolve().parent.parent
NBSP = "\u00a0"


@pytest.mark.parametrize(("value", "lang", "cents", "shown"), [
    (D("10162216"), "fi", None, f"10{NBSP}162{NBSP}216{NBSP}€"),
    (D("1088808.84"), "sv", None, f"1{NBSP}088{NBSP}808,84{NBSP}€"),
    (D("-1250.5"), "fi", True, f"\u22121{NBSP}250,50{NBSP}€"),
    (D("7"), "fi", True, f"7,00{NBSP}€"),
])
def test_euros(value: D, lang: Lang, cents: bool | None, shown: str) -> None:
    assert fmt.euros(value, lang, cents) == shown


def test_percent_date_and_htv() -> None:
    assert fmt.percent(D("12.5"), "fi") == f"12,5{NBSP}%"
    assert fmt.percent(D("12"), "sv") == f"12{NBSP}%"
    assert fmt.percent(D("33.3333"), "fi") == f"33,33{NBSP}%"
    assert fmt.date(dt.date(2023, 5, 31), "fi") == "31.5.2023"
    assert fmt.date(dt.date(2024, 1, 9), "sv") == "9.1.2024"
    assert fmt.htv(D("12.5"), "fi") == f"12,5{NBSP}htv"
    assert fmt.htv(D("3"), "sv") == f"3{NBSP}årsv."


def test_page_label_parts() -> None:
    assert page_label_parts("sivu {page} / {pages}") == [("sivu ", "page"), (" / ", "pages")]
    assert page_label_parts("{page}") == [("", "page")]
    assert page_label_parts("s. {unknown} x") == [("s. ", ""), (" x", "")]
    assert page_label_parts("") == []


def test_document_helpers() -> None:
    meta = Meta("t", "fi", "a", "s", "k", "h", "{page}", "", "1.1.2025", "2025-01-01T00:00:00Z")
    doc = Document(meta, (Heading(1, "Johdanto", "h1", numbered="1"),
                          Paragraph((Span("Hei "), Span("maailma", bold=True)))))
    assert [h.full_text for h in headings(doc)] == ["1 Johdanto"]
    assert plain(doc.blocks[1].content) == "Hei maailma"  # type: ignore[union-attr]


def test_charts_give_vector_and_raster() -> None:
    fonts = charts.use_fonts(ROOT / "templates" / "fonts")
    chart = charts.bar_chart(["Porvoo", "Loviisa"], [D("1000"), D("250")], "euroa",
                             charts.Numbers("fi", "euros"), fonts)
    assert chart.png.startswith(b"\x89PNG")
    # the labels are text in the house font, written as the documents write euros
    assert b"<svg" in chart.svg and "1\u00a0000\u00a0€".encode() in chart.svg
    assert b"Liberation Sans" in chart.svg
    line = charts.line_chart([2024, 2025], [("Porvoo", [D(10), D(12)])], "henkilöä",
                             charts.Numbers("fi"), fonts)
    assert b"<svg" in line.svg and line.png.startswith(b"\x89PNG")
    # drawn once a process for the same data and format, again for another format
    assert charts.bar_chart(("Porvoo", "Loviisa"), (D("1000"), D("250")), "euroa",
                            charts.Numbers("fi", "euros"), fonts) is chart
    signed = charts.Numbers("sv", "signed_euros")
    assert (signed(D(5)), signed(D(-5)), signed(D(0))) == (
        "+5\u00a0€", fmt.euros(D(-5), "sv", False), fmt.euros(D(0), "sv", False))
    other = charts.bar_chart(["Porvoo", "Loviisa"], [D("1000"), D("250")], "euroa",
                             charts.Numbers("fi"), fonts)
    assert other is not chart and other.svg != chart.svg


class _Store:
    def __init__(self) -> None:
        self.charts: dict[str, bytes] = {}

    def get(self, what: str) -> bytes | None:
        return self.charts.get(what)

    def put(self, what: str, packed: bytes) -> None:
        self.charts[what] = packed


def test_a_chart_in_the_store_is_not_drawn_again(monkeypatch: pytest.MonkeyPatch) -> None:
    fonts = charts.use_fonts(ROOT / "templates" / "fonts")
    store = _Store()
    args = (["Porvoo", "Loviisa"], [D("1000"), D("260")], "euroa",
            charts.Numbers("fi", "euros"), fonts)
    with charts.stored(store):
        drawn = charts.bar_chart(*args)
    assert len(store.charts) == 1
    (what, packed), = store.charts.items()
    # what it was drawn from: every argument, the fonts and matplotlib's version
    assert what.startswith("('bar'") and "Loviisa" in what and "Decimal('260')" in what
    assert charts.Chart.unpack(packed) == drawn

    def not_drawn(*args: object) -> charts.Chart:
        raise AssertionError("drawn again")

    monkeypatch.setattr(charts, "_bar_chart", not_drawn)  # a new process: nothing drawn yet
    with charts.stored(store):
        assert charts.bar_chart(*args) == drawn
    # a damaged entry is drawn again (here: refused by the stand-in), never used
    store.charts[what] = packed[:40]
    with charts.stored(store), pytest.raises(AssertionError, match="drawn again"):
        charts.bar_chart(*args)
    with pytest.raises(ValueError):
        charts.Chart.unpack(b"\x00" * 8 + b"<svg")


def test_every_table_the_templates_name_is_registered() -> None:
    used: set[str] = set()
    for template in (ROOT / "templates" / "documents").glob("*.md.j2"):
        text = template.read_text(encoding="utf-8")
        used |= set(re.findall(r"table\('(\w+)'", text))
        used |= {m for m in re.findall(r"figure\('(\w+)'", text)}
    from planbuilder.compose.preparation import REPORT_TABLES

    assert used - set(TABLES) - set(FIGURES) - set(REPORT_TABLES) == set()


def test_money_table_without_money_is_a_template_error() -> None:
    plan = load_plan(ROOT / "tests" / "fixtures" / "minimal").plan
    c = Composer(plan, "fi", TemplateSet.load(), None, dt.date(2025, 1, 1), TABLES, FIGURES)
    with pytest.raises(TemplateError, match="needs a plan with budget and cost_sharing"):
        c.table("budget")
    with pytest.raises(KeyError, match="no table named 'nope'"):
        c.table("nope")


def test_budget_table_foots() -> None:
    plan = load_plan(ROOT / "plans" / "porvoo").plan
    c = Composer(plan, "fi", TemplateSet.load(), compute(plan), dt.date(2025, 1, 1), TABLES,
                 FIGURES)
    table = TABLES["shares"](c)
    assert isinstance(table, Table)
    for column in (1, 3):  # shared part, annual share
        amounts = [_euros(row[column].text) for row in table.rows]
        assert sum(amounts) == _euros(table.footer[0][column].text) == D("10162216")
    percents = [D(row[4].text.replace(NBSP, "").removesuffix("*").removesuffix("%")
                  .replace(",", "."))
                for row in table.rows]
    assert sum(percents) == D("100.00") and table.footer[0][4].text == f"100,00{NBSP}%"
    assert all(isinstance(cell, Cell) for row in table.rows for cell in row)


def _euros(text: str) -> D:
    return D(text.replace(NBSP, "").removesuffix("*").removesuffix("€").replace(",", ".")
             .replace("\u2212", "-"))


def test_errors_map_to_exit_codes() -> None:
    finding = Finding("PB-BUDGET", "error", msg("money.shared_negative", shared="-1"), None,
                      (), "")
    unreadable = Finding("LOAD-IO", "error", msg("load.no_such_path"), None, (), "")
    assert exit_code(PlanLoadError([finding])) == EXIT_FINDINGS
    assert exit_code(PlanLoadError([unreadable])) == EXIT_USAGE
    assert exit_code(BuildError(Path("p"), [finding])) == EXIT_FINDINGS
    assert exit_code(MoneyError(("budget",), msg("money.needs_budget"))) == EXIT_FINDINGS
    for error in (UsageError("x"), TemplateError("x"), RenderError("x"), OSError("x")):
        assert exit_code(error) == EXIT_USAGE
    assert exit_code(KeyError("x")) == EXIT_INTERNAL


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_stage_logs_its_timing(monkeypatch: pytest.MonkeyPatch) -> None:
    caught = _Records()
    monkeypatch.setattr(logger, "handlers", [caught])
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        with stage("render", "x.pdf"):
            pass
    finally:
        logger.setLevel(level)
    (record,) = caught.records
    assert record.stage == "render" and record.subject == "x.pdf"  # type: ignore[attr-defined]
    assert record.seconds >= 0  # type: ignore[attr-defined]
    assert "render" in record.getMessage() and "x.pdf" in record.getMessage()
