"""The example plans in plans/: they validate, and removing any statutory section from one
makes `validate` fail naming the section, its citation and the file:line to edit."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES
from planbuilder.cli import main
from planbuilder.model import STATUTORY_SECTIONS


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_validates_without_errors(name: str, capsys: pytest.CaptureFixture[str],
                                          copy_example: Callable[[str], Path]) -> None:
    copy_example(name)
    code = main(["validate", f"plans/{name}"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"plans/{name}: 0 errors" in out


def _remove_section(folder: Path, key: str) -> tuple[Path, int]:
    """Delete the `  key:` block under `sections:`; return the file and the line of
    `sections:` (where the finding must point)."""
    for file in sorted(folder.glob("*.yaml")):
        lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
        if "sections:\n" not in lines:
            continue
        top = lines.index("sections:\n")
        start = lines.index(f"  {key}:\n", top)
        end = next(i for i in range(start + 1, len(lines) + 1)
                   if i == len(lines) or re.match(r"^ {0,2}\S", lines[i]))
        file.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
        return file, top + 1
    raise AssertionError(f"no sections in {folder}")


@pytest.mark.parametrize("name", EXAMPLES)
@pytest.mark.parametrize(("key", "item", "title"), [s[:3] for s in STATUTORY_SECTIONS])
def test_removing_a_section_fails_with_citation_and_line(
        name: str, key: str, item: int, title: str, capsys: pytest.CaptureFixture[str],
        copy_example: Callable[[str], Path]) -> None:
    folder = copy_example(name)
    file, line = _remove_section(folder, key)
    code = main(["validate", f"plans/{name}", "--format", "text"])
    out = capsys.readouterr().out
    assert code == 1
    expected = (f"plans/{name}/{file.name}:{line}:1: error L380-15-4-{item}: section '{key}' "
                f"({title}) is missing [380/2023 15 § 4 mom. {item} k.]")
    assert expected in out.splitlines()
    main(["rules"])
    rules = capsys.readouterr().out
    assert f"L380-15-4-{item}            error    380/2023 15 § 4 mom. {item} k." in rules


def test_the_examples_cite_their_sources_by_title_and_date() -> None:
    """A source document is cited by its own title and date, never by a file name of the
    project's own collection (the word 'seed')."""
    root = Path(__file__).resolve().parents[1]
    found = [f"{path.relative_to(root)}:{n}" for folder in ("plans", "docs", "src", "templates")
             for path in sorted((root / folder).rglob("*")) if path.is_file()
             and path.suffix in {".yaml", ".md", ".py", ".j2"}
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"\bseed\b|\bseedin\b|\bseedissä\b", line, re.IGNORECASE)]
    assert not found, found


@pytest.mark.parametrize("name", EXAMPLES)
def test_council_documents_carry_nothing_internal(name: str) -> None:
    """Public record carries no tool names, no collection file names, no rule ids and no
    preparation notes (issue 25): the plan, the agreement (and its changes) and every
    member's proposal, in every language, say neither 'planbuilder' nor 'seed', print no rule
    id and none of the plan's deviations or acknowledgement reasons; the preparation report
    carries them."""
    from planbuilder.compose.documents import DOCUMENT_KINDS
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.document import text_blocks
    from planbuilder.load import load_plan
    from planbuilder.money import compute
    from planbuilder.pipeline import outputs
    from planbuilder.rules import all_rules

    loaded = load_plan(Path(__file__).resolve().parents[1] / "plans" / name)
    plan = loaded.plan
    money = compute(plan) if plan.budget and plan.cost_sharing else None
    made = [o for o in outputs(loaded, TemplateSet.load(), money, plan.area.date,
                               kinds=tuple(DOCUMENT_KINDS)) if o.document is not None]
    rule_ids = re.compile(r"\b(?:" + "|".join(re.escape(r.id) for r in all_rules()) + r")\b")
    internal = {lang: [" ".join(d.what.get(lang).split()) for d in plan.area.deviations]
                + [" ".join(a.reason.get(lang).split()) for a in plan.acknowledge]
                for lang in plan.languages}
    every = [x for texts in internal.values() for x in texts]
    council = {stems for kind, spec in DOCUMENT_KINDS.items() if spec.readers == "council"
               for stems in spec.stems.values()}
    seen = 0
    for o in made:
        assert o.document is not None
        text = " ".join(" ".join(text_blocks(o.document)).split())
        if any(o.stem.startswith(stem) for stem in council):
            seen += 1
            assert not re.search(r"\bplanbuilder|\bseed", text.lower()), o.stem
            assert not rule_ids.search(text), (o.stem, rule_ids.search(text))
            assert not [x for x in every if x[:60] in text], o.stem
        else:
            assert o.stem.startswith(("tarkistusraportti", "granskningsrapport")), o.stem
            missing = [x for x in internal[o.document.meta.lang] if x[:60] not in text]
            assert not missing, (o.stem, missing)
    assert seen >= len(plan.languages) * 2


@pytest.mark.parametrize("name", EXAMPLES)
def test_council_documents_name_no_tool(name: str) -> None:
    """Public record carries no tool names or collection file names: the plan's, the
    agreement's and a proposal's text, in every language, say neither 'planbuilder' nor
    'seed'."""
    from planbuilder.compose.documents import compose_agreement, compose_decision, compose_plan
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.document import text_blocks
    from planbuilder.load import load_plan
    from planbuilder.money import compute

    plan = load_plan(Path(__file__).resolve().parents[1] / "plans" / name).plan
    money = compute(plan) if plan.budget and plan.cost_sharing else None
    templates = TemplateSet.load()
    for lang in plan.languages:
        docs = [compose_plan(plan, lang, templates, money, plan.area.date)]
        if plan.agreement is not None:
            docs.append(compose_agreement(plan, lang, templates, money, plan.area.date))
        if plan.decision is not None:
            docs.append(compose_decision(plan, plan.members[0].id, lang, templates, money,
                                         plan.area.date, []))
        text = " ".join(t for doc in docs for t in text_blocks(doc)).lower()
        assert not re.search(r"\bplanbuilder|\bseed", text), (name, lang)
