"""The Swedish references, docs/format.sv.md and docs/rules.sv.md: generated like the Finnish
ones, complete and current."""

from __future__ import annotations

from pathlib import Path

from planbuilder.compose.reference import format_reference, load_meanings, meaning_keys
from planbuilder.rules import all_rules
from planbuilder.rules.reference import rules_markdown

ROOT = Path(__file__).resolve().parent.parent


def test_every_key_has_a_swedish_meaning_and_none_is_left_over() -> None:
    wanted, given = meaning_keys(), load_meanings("sv")
    assert sorted(k for k in wanted if not given.get(k, "").strip()) == [], \
        "add their Swedish meaning to templates/i18n/format/sv.yaml"
    assert sorted(set(given) - set(wanted)) == [], \
        "remove from templates/i18n/format/sv.yaml: no such model or field"


def test_the_swedish_format_reference_is_current() -> None:
    committed = (ROOT / "docs" / "format.sv.md").read_text(encoding="utf-8")
    assert committed == format_reference("sv"), \
        "run: planbuilder --lang sv schema --format markdown --output docs/format.sv.md"
    for heading in ("# Planens filformat", "## Plan", "## Area", "## Statistik",
                    "## Vad planbuilder skriver åt dig"):
        assert f"{heading}\n" in committed, heading
    # neither the model's English nor the Finnish meanings show through
    assert "Short stable id" not in committed and "Lyhyt, pysyvä tunniste" not in committed
    assert "(#vad-planbuilder-skriver-åt-dig)" in committed


def test_the_swedish_rules_reference_is_current() -> None:
    committed = (ROOT / "docs" / "rules.sv.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(all_rules(), "sv"), \
        "run: planbuilder --lang sv rules --format markdown > docs/rules.sv.md"
    assert committed.startswith("# planbuilders regler\n")
    assert "## PB-FILL — Varje text är skriven\n" in committed
