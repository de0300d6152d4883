"""The rules reference: each rule with its statutory basis quoted (or marked a convention),
as JSON records for tools and as the Markdown of docs/rules.md."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from planbuilder.findings import Finding
from planbuilder.messages import t
from planbuilder.rules.base import Rule
from planbuilder.rules.basis import kind, quotes


def rule_record(r: Rule, lang: str | None = None) -> dict[str, Any]:
    return {"id": r.id, "citation": r.citation, "severity": r.severity,
            "title": r.title(lang), "explanation": r.explanation(lang), "kind": kind(r.id),
            "basis": [{k: q[k] for k in ("id", "title_fi", "title_sv", "quote_fi", "quote_sv",
                                         "source") if k in q} for q in quotes(r.id)]}


def rules_markdown(rules: Sequence[Rule], lang: str | None = None) -> str:
    out = [t("cli.rules.md_title", lang), "", t("cli.rules.md_intro", lang), ""]
    for r in rules:
        record = rule_record(r, lang)
        out += [f"## {r.id} — {record['title']}", "",
                t("cli.rules.md_facts", lang,
                  severity=t(f"common.severity.{r.severity}", lang),
                  citation=r.citation.rstrip(".") or "—",  # the line ends it with "."
                  basis=t(f"cli.rules.kind_{record['kind']}", lang)),
                "", record["explanation"], ""]
        for q in record["basis"]:
            out += [f"> **{q['id']}** ({q['title_fi']}): "
                    + q["quote_fi"].replace("\n", " "), ">",
                    "> " + t("cli.rules.md_source", lang, source=q["source"]), ""]
    return "\n".join(out).rstrip() + "\n"


SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def sarif(results: Sequence[tuple[str, Sequence[Finding]]], rules: Sequence[Rule],
          version: str, lang: str | None = None) -> dict[str, Any]:
    """Findings as a SARIF 2.1.0 log (code-scanning annotations on a pull request): every
    rule (the loader's included) with its title and explanation; each finding at its file,
    line and column; an acknowledged one as suppressed in source with the plan's reason."""
    descriptors = [{
        "id": r.id, "shortDescription": {"text": r.title(lang)},
        "fullDescription": {"text": r.explanation(lang)},
        "defaultConfiguration": {"level": SARIF_LEVELS[r.severity]},
        "properties": {"citation": r.citation, "basis": kind(r.id)}} for r in rules]
    out = []
    for _, findings in results:
        for f in findings:
            result: dict[str, Any] = {
                "ruleId": f.rule, "level": SARIF_LEVELS[f.severity],
                "message": {"text": f.text(lang) + (f" [{f.citation}]" if f.citation else "")}}
            if f.location is not None:
                result["locations"] = [{"physicalLocation": {
                    "artifactLocation": {"uri": f.location.file},
                    "region": {"startLine": f.location.line,
                               "startColumn": f.location.column}}}]
            if f.acknowledged:
                result["suppressions"] = [{"kind": "inSource",
                                           "justification": f.acknowledged}]
            out.append(result)
    return {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
            "runs": [{"tool": {"driver": {"name": "planbuilder", "version": version,
                                          "rules": descriptors}},
                      "results": out}]}
