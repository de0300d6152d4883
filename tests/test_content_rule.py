"""PB-CONTENT checks the Markdown the documents would see (links, images, raw HTML), not the
source text: every way of writing a link is caught, every spelling of a local address is
refused, and pathological prose is checked quickly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cpu import cpu_budget
from planbuilder.load import load_plan
from planbuilder.pipeline import validate
from planbuilder.rules import check
from planbuilder.rules.content import MAX_MARKUP, content

Writer = Callable[..., Path]

# The offices text (a folded scalar starting on line 44); prose is put into its first line
# and reference definitions after it, as a paragraph of their own.
FIRST = "Testilän keskustassa ja"
LAST = "      alueella puhelimitse ja verkossa, joten palvelut ovat saavutettavia.\n"
OFFICES_TEXT = (
    "    text: >-\n"
    "      Työllisyysalueella on yksi jatkuvasti miehitetty toimipiste Testilän keskustassa ja"
    "\n      ajanvarauksella toimiva palvelupiste Naapurissa. Etäpalvelut ovat käytettävissä "
    "koko\n" + LAST)
WHERE = "plan/plan.yaml:44:5: error PB-CONTENT: "
LOOPBACK = "loopback or private addresses"


def image(url: str) -> str:
    return (f"image '{url}' in text: images are not embedded from plan prose and nothing "
            "is fetched")


def link(url: str, why: str) -> str:
    return f"link to '{url}' refused: {why} are not allowed"


def content_findings(write_plan: Writer, prose: str, definitions: str = "") -> list[str]:
    """PB-CONTENT findings for the minimal plan with `prose` in the offices text and
    `definitions` (Markdown lines) as a paragraph of their own at its end."""
    folder = write_plan(replace=(FIRST, f"Testilän keskustassa {prose} ja"))
    if definitions:
        plan = folder / "plan.yaml"
        text = plan.read_text(encoding="utf-8")
        # In a folded scalar one empty line is one line break: two start a new paragraph.
        lines = "\n".join(f"      {line}\n" for line in definitions.splitlines())
        plan.write_text(text.replace(LAST, LAST + "\n\n" + lines, 1), encoding="utf-8")
    return [f.format() for f in check(load_plan(folder)) if f.rule == "PB-CONTENT"]


# Each of these passed the old regular expressions.

def test_reference_style_link_to_loopback_is_refused(write_plan: Writer) -> None:
    assert content_findings(write_plan, "[palvelin][r]", "[r]: http://127.0.0.1/") == [
        WHERE + link("http://127.0.0.1/", LOOPBACK)]


def test_reference_style_image_is_refused(write_plan: Writer) -> None:
    assert content_findings(write_plan, "![kartta][k]", "[k]: http://10.0.0.1/kartta.png") == [
        WHERE + image("http://10.0.0.1/kartta.png")]


def test_shortcut_and_collapsed_references_are_refused(write_plan: Writer) -> None:
    assert content_findings(write_plan, "[palvelin] ja [kone][]",
                            "[palvelin]: http://127.0.0.1/a\n[kone]: file:///etc/passwd") == [
        WHERE + link("http://127.0.0.1/a", LOOPBACK),
        WHERE + link("file:///etc/passwd", "file: URLs")]


def test_nested_brackets_in_link_text_are_refused(write_plan: Writer) -> None:
    assert content_findings(write_plan, "[a [b] c](http://127.0.0.1/)") == [
        WHERE + link("http://127.0.0.1/", LOOPBACK)]


@pytest.mark.parametrize("url", [
    "http://2130706433/",
    "http://127.1/",
    "http://0x7f000001/",
    "http://0177.0.0.1/",
    "http://0x7f.1/",
    "http://127.0.0.1.nip.io/",
    "http://app.10.0.0.5.sslip.io/",
    "http://127-0-0-1.nip.io/",
    "http://app-7f000001.nip.io/",
    "http://--1.sslip.io/",
    "http://127-0-0-1.example.com/",
    "http://10.0.0.5.anything.test/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[fe80::1]/",
    "http://[fd00::5]/",
    "http://[::]/",
    "http://0/",
    "http://169.254.169.254/latest/meta-data/",
    "http://192.168.1.1:8080/",
    "http://user@10.1.2.3/",
    "http://%31%32%37.0.0.1/",
    "http://１２７.０.０.１/",
    "http:/\\127.0.0.1/",
])
def test_every_spelling_of_a_private_address_is_refused(write_plan: Writer, url: str) -> None:
    assert content_findings(write_plan, f"[palvelin]({url})") == [WHERE + link(url, LOOPBACK)]


@pytest.mark.parametrize("url", [
    "http://localhost./",
    "http://LOCALHOST/",
    "http://localhost:8000/x",
    "http://intra.localhost/",
    "http://app.lvh.me/",
    "http://localtest.me/",
])
def test_local_names_are_refused(write_plan: Writer, url: str) -> None:
    assert content_findings(write_plan, f"[palvelin]({url})") == [
        WHERE + link(url, "local addresses")]


@pytest.mark.parametrize(("url", "why"), [
    ("javascript:alert(1)", "javascript: URLs"),
    ("data:text/html,x", "data: URLs"),
    ("ftp://ftp.example.fi/x", "ftp: URLs"),
    ("vbscript:x", "vbscript: URLs"),
    ("FILE:///etc/passwd", "file: URLs"),
    ("/etc/passwd", "paths outside the document"),
    ("//127.0.0.1/x", "paths outside the document"),
    ("%2e%2e/secret.txt", "paths outside the document"),
    ("liitteet/../../secret.txt", "paths outside the document"),
    ("C:/Users/x", "paths outside the document"),
])
def test_schemes_and_paths_are_refused(write_plan: Writer, url: str, why: str) -> None:
    assert content_findings(write_plan, f"[liite](<{url}>)") == [WHERE + link(url, why)]


def test_autolinks_are_checked(write_plan: Writer) -> None:
    assert content_findings(write_plan, "<http://127.1/> <https://www.kuntaliitto.fi/>") == [
        WHERE + link("http://127.1/", LOOPBACK)]


def test_entity_escaped_target_is_checked_decoded(write_plan: Writer) -> None:
    assert content_findings(write_plan, "[a](http&#58;//127.0.0.1/)") == [
        WHERE + link("http://127.0.0.1/", LOOPBACK)]


@pytest.mark.parametrize("prose", [
    "[Kuntaliitto](https://www.kuntaliitto.fi/x)",
    "[toimipisteet](#toimipisteet)",
    "[sähköposti](mailto:tyollisyys@testila.fi)",
    "[puhelin](tel:+358401234567)",
    "[liite](liitteet/kartta.pdf)",
    "<https://www.kuntaliitto.fi/x>",
    "[osoite](http://8.8.8.8/) ja [nimi](http://1.2.3.4.nip.io/)",
    "`[koodi](http://127.0.0.1/)` ja <b>lihava</b>",
    "a [b] c ja [d](e",
])
def test_public_and_internal_links_pass(write_plan: Writer, prose: str) -> None:
    assert content_findings(write_plan, prose) == []


@pytest.mark.parametrize(("prose", "tag"), [
    ('<img src="http://10.0.0.1/x.png">', "img"),
    ("<SCRIPT>alert(1)</SCRIPT>", "script"),
    ('<iframe src="https://example.fi/"></iframe>', "iframe"),
    ("<svg onload=x>", "svg"),
])
def test_raw_html_that_loads_is_refused(write_plan: Writer, prose: str, tag: str) -> None:
    assert content_findings(write_plan, prose) == [
        WHERE + f"raw HTML <{tag}> is not allowed in text"]


def test_raw_html_block_is_refused(write_plan: Writer) -> None:
    assert content_findings(write_plan, "ja", "<div>\n<video src=x.mp4></video>\n</div>") == [
        WHERE + "raw HTML <video> is not allowed in text"]


def test_too_much_markup_to_check_is_refused(write_plan: Writer) -> None:
    prose = "[" * MAX_MARKUP + "](https://www.kuntaliitto.fi/)"
    assert content_findings(write_plan, prose) == [
        WHERE + f"text has {MAX_MARKUP + 1} brackets, '!', '<', '`', '\\' and line breaks: too "
        f"much Markdown to check and lay out (at most {MAX_MARKUP})"]


def test_too_much_markup_is_refused_without_links(write_plan: Writer) -> None:
    """The documents parse all prose: past the limit, even text that cannot link is
    refused, so a build stays quick."""
    prose = "[ " * (MAX_MARKUP + 1)
    assert content_findings(write_plan, prose) == [
        WHERE + f"text has {MAX_MARKUP + 1} brackets, '!', '<', '`', '\\' and line breaks: too "
        f"much Markdown to check and lay out (at most {MAX_MARKUP})"]


LONGEST = 200_000  # the loader's limit on one string


@pytest.mark.parametrize("prose", [
    "[" * LONGEST,
    "![" * (LONGEST // 2),
    "[" * (LONGEST - 30) + "](https://www.kuntaliitto.fi/)",
    # Under the markup limit, markdown-it-py alone rescans these for seconds.
    (("[a](" + "*a" * 40) * 2_400)[:LONGEST],
    "![" * 20 + "*" * (LONGEST - 80) + "[x](https://www.kuntaliitto.fi/)<b>",
    (("[a](b \"" + "x" * 80) * 2_300)[:LONGEST],
])
def test_pathological_prose_is_checked_quickly(write_plan: Writer, prose: str) -> None:
    assert len(prose) <= LONGEST
    folder = write_plan(replace=(OFFICES_TEXT, "    text: '" + prose.replace("'", "''") + "'\n"))
    plan = load_plan(folder).plan
    with cpu_budget(10):
        list(content(plan))
    with cpu_budget(10):
        validate(folder)
