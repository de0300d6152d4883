"""`planbuilder serve` (issue 14) in a real browser: Debian's Chromium, headless, loads the
preview; an edit to a YAML file shows up; a finding appears beside the document, with the
last good document kept. Only 127.0.0.1 is served."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from planbuilder.messages import use
from planbuilder.serve import serve

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def preview(write_plan: Callable[..., Path]) -> Iterator[tuple[str, Path]]:
    folder = write_plan()
    write_plan((Path(__file__).parent / "fixtures" / "money.yaml").read_text(encoding="utf-8"),
               name="talous.yaml")  # with money: decision proposals too
    ports: list[int] = []
    ready, stop = threading.Event(), threading.Event()
    use("fi")  # as `planbuilder --lang fi serve` does: the page's words and findings
    thread = threading.Thread(target=serve, args=(folder, 0), daemon=True,
                              kwargs={"ready": ready, "stop": stop, "on_start": ports.append})
    thread.start()
    assert ready.wait(60)
    yield f"http://127.0.0.1:{ports[0]}", folder / "plan.yaml"
    stop.set()
    thread.join(10)
    use(None)


def _version(url: str) -> int:
    with urllib.request.urlopen(f"{url}/state", timeout=10) as r:
        return int(json.loads(r.read())["version"])


def _after_save(url: str, before: int) -> None:
    deadline = time.monotonic() + 20
    while _version(url) == before:
        assert time.monotonic() < deadline, "the preview did not rebuild after the save"
        time.sleep(0.1)


def _dom(url: str) -> str:
    assert CHROMIUM, "Chromium is needed: ./run test installs Debian's chromium"
    done = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                           "--dump-dom", url], capture_output=True, text=True, timeout=60,
                          check=True)
    return done.stdout.replace("\u00ad", "")  # the soft hyphens of the PDF's hyphenation


def test_the_preview_in_a_browser(preview: tuple[str, Path]) -> None:
    url, plan = preview
    page = _dom(url)
    assert "<title>Esikatselu: Suunnitelma työvoimapalvelujen järjestämiseksi – Testilän " \
        "työllisyysalue</title>" in page
    assert "Tarkistuksen huomautukset" in page
    assert "Kunnat muodostavat yhtenäisen työssäkäyntialueen" in page
    assert 'href="/?doc=paatosesitys_naapuri_fi"' in page
    # an edit shows up once saved
    before = _version(url)
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("jonka keskuksena toimii Testilä.",
                                 "jonka keskuksena toimii Testilän kirkonkylä."),
                    encoding="utf-8")
    _after_save(url, before)
    assert "jonka keskuksena toimii Testilän kirkonkylä." in _dom(url)
    # a mistake: the finding appears with its place; the last good document stays
    before = _version(url)
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "  budget_year: 2025\n", "  budget_year: 2025\n  budjettivuosi: 2025\n"),
        encoding="utf-8")
    _after_save(url, before)
    page = _dom(url)
    assert "plan/plan.yaml:9:3</code> virhe <b>SCHEMA-UNKNOWN</b>: tuntematon avain " \
        "'budjettivuosi'" in page
    assert "Suunnitelmassa on virheitä" in page
    assert "jonka keskuksena toimii Testilän kirkonkylä." in page
    # one document at a time, by its name; only the preview's own paths exist
    with urllib.request.urlopen(f"{url}/?doc=paatosesitys_naapuri_fi", timeout=10) as r:
        assert "Päätösesitys" in r.read().decode().replace("\u00ad", "")
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(f"{url}/fonts/../style.yaml", timeout=10)
