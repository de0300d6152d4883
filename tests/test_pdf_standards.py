"""Every PDF is archival and accessible by an independent validator (page-validation, a
veraPDF-style checker): PDF/A-3a and PDF/UA-1, with zero failures."""

from __future__ import annotations

import page
import pytest

from planbuilder.document import Document
from wordcheck import catalog, pdf_reader

Rendered = dict[str, tuple[Document, bytes, bytes]]


def failures(pdf: bytes, profile: str) -> list[str]:
    report = page.validate_pdf_bytes(pdf, profile=profile)
    return [f"{f.rule_id}: {f.message}" for f in report.failures]


@pytest.mark.parametrize("profile", ["pdfa-3a", "pdfua-1"])
def test_every_example_pdf_passes(examples_rendered: Rendered, profile: str) -> None:
    from planbuilder.compose.documents import DOCUMENT_KINDS

    stems = {key.split("/")[1].rsplit("_", 1)[0] for key in examples_rendered}
    def made(stem: str) -> bool:
        return any(x == stem or x.startswith(stem + "_") for x in stems)

    # every kind the build writes (the redline command's documents are tested with it): the
    # plans, agreements, proposals and reports in both languages, the changes appendix of an
    # amendment in the language of the example that amends its agreement (Järvilaakso, fi)
    for kind, spec in DOCUMENT_KINDS.items():
        if kind == "redline":
            continue
        stems_of = [spec.stems["fi"]] if kind == "amendment" else list(spec.stems.values())
        assert all(made(stem) for stem in stems_of), kind
    found = {key: failures(pdf, profile) for key, (_, _, pdf) in examples_rendered.items()}
    assert found == {key: [] for key in found}


def test_the_validator_can_fail(examples_rendered: Rendered) -> None:
    _, _, pdf = examples_rendered["porvoo/jarjestamissuunnitelma_fi"]
    # The same file claiming PDF/A-3b (it declares conformance A) is refused.
    assert any("ID-CONFORMANCE" in f for f in failures(pdf, "pdfa-3b"))


def test_xmp_identifies_both_standards_title_and_language(examples_rendered: Rendered,
                                                          ) -> None:
    doc, _, pdf = examples_rendered["porvoo/organiseringsplan_sv"]
    reader = pdf_reader(pdf)
    xmp = catalog(reader)["/Metadata"].get_object()
    assert "/Filter" not in xmp
    text = xmp.get_data().decode("utf-8")
    for part in ("<pdfaid:part>3</pdfaid:part>", "<pdfaid:conformance>A</pdfaid:conformance>",
                 "<pdfuaid:part>1</pdfuaid:part>", "<rdf:li>sv</rdf:li>",
                 f'<rdf:li xml:lang="x-default">{doc.meta.title}</rdf:li>'):
        assert part in text


def test_decision_keeps_its_attachments(examples_rendered: Rendered) -> None:
    _, _, pdf = examples_rendered["porvoo/paatosesitys_porvoo_fi"]
    attached = pdf_reader(pdf).attachments
    assert "kustannustenjako.csv" in attached and any(n.endswith(".yaml") for n in attached)


def test_fonts_are_subset_small_and_reproducible(examples_rendered: Rendered) -> None:
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.render.pdf import render_pdf
    from planbuilder.render.style import load_style

    doc, _, pdf = examples_rendered["porvoo/paatosesitys_porvoo_fi"]
    assert len(pdf) < 150_000  # with the plan's YAML and CSV attached
    plan_pdf = examples_rendered["porvoo/jarjestamissuunnitelma_fi"][2]
    assert len(plan_pdf) < 400_000
    assert render_pdf(doc, load_style(TemplateSet.load().folder)) == pdf
    reader = pdf_reader(pdf)
    assert catalog(reader)["/PageMode"] == "/UseOutlines"


def test_running_headers_and_page_numbers_are_artifacts(examples_rendered: Rendered) -> None:
    """Every piece of text on a page is either tagged content (an MCID) or an artifact, and
    from the second page on the running header and the page number are artifacts."""
    from pypdf.generic import ContentStream

    _, _, pdf = examples_rendered["porvoo/jarjestamissuunnitelma_fi"]
    reader = pdf_reader(pdf)
    for number, page_ in enumerate(reader.pages, start=1):
        stack: list[str] = []
        artifacts = tagged = 0
        for operands, operator in ContentStream(page_.get_contents(), reader).operations:
            if operator in (b"BMC", b"BDC"):
                tag = str(operands[0])
                mcid = len(operands) > 1 and "/MCID" in str(operands[1])
                stack.append("artifact" if tag == "/Artifact" else "mcid" if mcid else "other")
            elif operator == b"EMC" and stack:
                stack.pop()
            elif operator in (b"Tj", b"TJ", b"'", b'"'):
                assert "artifact" in stack or "mcid" in stack, (number, operands)
                if "artifact" in stack:
                    artifacts += 1
                else:
                    tagged += 1
        assert tagged > 0
        if number > 1:
            assert artifacts >= 2, number  # running header and "sivu N / M"
