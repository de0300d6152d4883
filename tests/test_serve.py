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

from conftest import MINIMAL
from planbuilder.messages import use
from planbuilder.serve import serve

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _serving(folder: Path) -> Iterator[str]:
    """The preview of `folder` served on a free port while the generator is suspended."""
    ports: list[int] = []
    ready, stop = threading.Event(), threading.Event()
    use("fi")  # as `planbuilder --lang fi serve` does: the page's words and findings
    thread = threading.Thread(target=serve, args=(folder, 0), daemon=True,
                              kwargs={"ready": ready, "stop": stop, "on_start": ports.append})
    thread.start()
    assert ready.wait(60)
    yield f"http://127.0.0.1:{ports[0]}"
    stop.set()
    thread.join(10)
    use(None)


MONEY = Path(__file__).parent / "fixtures" / "money.yaml"


@pytest.fixture
def preview(write_plan: Callable[..., Path]) -> Iterator[tuple[str, Path]]:
    """A preview of its own, for a test that edits the plan."""
    folder = write_plan()
    write_plan(MONEY.read_text(encoding="utf-8"),
               name="talous.yaml")  # with money: decision proposals too
    for url in _serving(folder):
        yield url, folder / "plan.yaml"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One preview of the same plan for the tests that only ask it (the host names, the
    font paths): none of them edits the plan, so they need not start a server each."""
    folder = tmp_path_factory.mktemp("served") / "plan"
    folder.mkdir()
    shutil.copy(MINIMAL, folder / "plan.yaml")
    shutil.copy(MONEY, folder / "talous.yaml")
    yield from _serving(folder)


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


def _get(url: str, path: str, host: str | None) -> tuple[int, bytes]:
    import http.client
    from urllib.parse import urlsplit

    where = urlsplit(url)
    conn = http.client.HTTPConnection(where.hostname or "", where.port, timeout=20)
    try:
        conn.putrequest("GET", path, skip_host=True)
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.mark.parametrize("host", ["rebind.attacker.example", "rebind.attacker.example:8000",
                                  "127.0.0.1.nip.io", "localhost.evil", "127.0.0.2", "",
                                  None])
def test_only_this_computers_names_are_answered(served: str, host: str | None) -> None:
    """Issue 26: DNS rebinding. A page on another site whose name resolves to 127.0.0.1
    reaches the preview with its own name as Host; it gets neither the documents nor the
    findings."""
    url = served
    for path in ("/", "/state"):
        status, body = _get(url, path, host)
        assert (status, body) == (403, b"forbidden")


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:{port}", "localhost",
                                  "LOCALHOST:{port}", "[::1]", "[::1]:{port}"])
def test_the_local_names_are_answered(served: str, host: str) -> None:
    url = served
    status, body = _get(url, "/state", host.format(port=url.rsplit(":", 1)[1]))
    assert status == 200 and "version" in json.loads(body)


@pytest.mark.parametrize("name", ["a" * 300 + ".ttf", "x" * 5000 + ".woff2", "", "..%2f",
                                  "nonexistent.ttf", "../house.docx", "%00.ttf"])
def test_a_name_it_cannot_serve_is_404(served: str, name: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    url = served
    host = url.removeprefix("http://")
    assert _get(url, f"/fonts/{name}", host) == (404, b"not found")
    assert "Traceback" not in capsys.readouterr().err
    assert _get(url, "/state", host)[0] == 200  # and the server is still there
