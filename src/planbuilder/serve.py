"""`planbuilder serve`: a live preview of one plan's documents in the browser.

The documents are shown as the HTML the PDF is made from (same templates, same style sheet),
rebuilt whenever a plan file is saved, with the findings beside them (file:line, rule,
message). Only 127.0.0.1 is served, and only the preview, its state and the house fonts: the
page fetches nothing else. Nothing is written to disk."""

from __future__ import annotations

import html
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from planbuilder.compose.templates import TemplateSet
from planbuilder.errors import PlanbuilderError
from planbuilder.findings import Finding, has_errors
from planbuilder.load import plan_files
from planbuilder.log import stage
from planbuilder.messages import language, t
from planbuilder.model import Lang
from planbuilder.money import compute
from planbuilder.pipeline import build_clock, outputs, validate
from planbuilder.render.pdf import render_html
from planbuilder.render.style import HouseStyle, load_style

FONT_NAME = re.compile(r"^[\w.-]+\.(?:ttf|otf|woff2?)$")
MAX_FONT_NAME = 120
LOCAL_HOST = re.compile(r"(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?", re.IGNORECASE)
SCREEN_CSS = """
@media screen {
  html { background: #e8e8e8; }
  body { margin: 0; }
  #pb-bar { position: sticky; top: 0; z-index: 2; background: #1f3d5c; color: #fff;
            padding: 6px 12px; font: 13px sans-serif; }
  #pb-bar a { color: #fff; margin-right: 10px; }
  #pb-bar a.current { font-weight: bold; text-decoration: underline; }
  #pb-layout { display: flex; gap: 16px; padding: 16px; align-items: flex-start; }
  #pb-findings { flex: 0 0 320px; background: #fff; padding: 10px; font: 12px sans-serif;
                 position: sticky; top: 48px; max-height: 85vh; overflow: auto; }
  #pb-findings li { margin-bottom: 6px; }
  #pb-findings .error { color: #a31515; } #pb-findings .warning { color: #8a5a00; }
  #pb-page { flex: 0 0 210mm; background: #fff; padding: 20mm 20mm 25mm 25mm;
             box-shadow: 0 1px 4px #999; box-sizing: border-box; }
  #pb-stale { background: #fff3cd; padding: 6px; }
}
"""


@dataclass
class Preview:
    """The latest preview of one plan: its documents' HTML and its findings; `version`
    counts the rebuilds, so the page can tell when to reload."""

    path: Path
    templates: TemplateSet
    style: HouseStyle
    version: int = 0
    documents: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # stem -> t,h,c
    findings: list[Finding] = field(default_factory=list)
    problem: str = ""  # why the documents shown are not the latest
    lang: Lang = "fi"
    lock: threading.Lock = field(default_factory=threading.Lock)

    def signature(self) -> tuple[tuple[str, int, int], ...]:
        try:
            return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size)
                         for p in plan_files(self.path))
        except OSError:
            return ()

    def rebuild(self) -> None:
        """Validate and compose the plan; keep the last good documents when it has errors
        (the findings say why), and never stop the server for a problem in the plan."""
        problem = ""
        documents: dict[str, tuple[str, str, str]] | None = None
        v = validate(self.path)
        try:
            if v.loaded is not None and not has_errors(v.findings):
                plan = v.loaded.plan
                money = compute(plan) if plan.budget and plan.cost_sharing else None
                documents = {}
                for item in outputs(v.loaded, self.templates, money,
                                    build_clock(plan.area.date)):
                    if item.document is not None:
                        with stage("render", f"{item.stem}.html"):
                            body, css = render_html(item.document, self.style, "fonts")
                        documents[item.stem] = (item.document.meta.title, body, css)
                self.lang = plan.languages[0]
            else:
                problem = "errors"
        except PlanbuilderError as exc:
            problem = str(exc)
        with self.lock:
            self.findings = v.findings
            self.problem = problem
            if documents is not None:
                self.documents = documents
            self.version += 1

    def watch(self, stop: threading.Event, interval: float = 0.3) -> None:
        last = self.signature()
        while not stop.wait(interval):
            now = self.signature()
            if now != last:
                last = now
                self.rebuild()

    # -- pages ----------------------------------------------------------------------------
    def page(self, stem: str | None) -> str:
        reader = language()  # the page's own words and the findings: the reader's language
        with self.lock:
            documents, findings, problem, version = (dict(self.documents),
                                                     list(self.findings), self.problem,
                                                     self.version)
        if stem not in documents:
            stem = next(iter(documents), None)
        links = " ".join(
            f'<a href="/?doc={html.escape(s)}"{" class=current" if s == stem else ""}>'
            f"{html.escape(s)}</a>" for s in documents)
        items = "".join(
            f'<li class="{f.severity}"><code>{html.escape(str(f.location or self.path))}'
            f"</code> {html.escape(t(f'common.severity.{f.severity}'))} "
            f"<b>{html.escape(f.rule)}</b>: {html.escape(f.text())}"
            + (f" ({html.escape(t('preview.acknowledged'))})" if f.acknowledged else "")
            + "</li>" for f in findings)
        stale = f'<p id="pb-stale">{html.escape(t("preview.stale"))}</p>' \
            if problem else ""
        if problem and problem != "errors":
            stale += f"<p><code>{html.escape(problem)}</code></p>"
        title, body, css = documents[stem] if stem else ("", "", "")
        inner = re.search(r"<body[^>]*>(.*)</body>", body, re.DOTALL)
        content = inner.group(1) if inner else ""
        return f"""<!DOCTYPE html>
<html lang="{reader}"><head><meta charset="utf-8">
<title>{html.escape(t("preview.title"))}: {html.escape(title)}</title>
<style>{css}{SCREEN_CSS}</style></head>
<body data-version="{version}">
<nav id="pb-bar">{html.escape(t("preview.documents"))}: {links}</nav>
<div id="pb-layout">
<aside id="pb-findings"><h2>{html.escape(t("preview.findings"))}</h2>{stale}
<ul>{items or "<li>" + html.escape(t("preview.none")) + "</li>"}</ul></aside>
<main id="pb-page" lang="{html.escape(self.lang)}">{content}</main></div>
<script>
setInterval(function () {{
  fetch("/state").then(function (r) {{ return r.json(); }}).then(function (s) {{
    if (s.version !== {version}) {{ location.reload(); }}
  }}).catch(function () {{}});
}}, 700);
</script>
</body></html>"""

    def state(self) -> str:
        with self.lock:
            return json.dumps({"version": self.version, "documents": list(self.documents),
                               "findings": [f.as_dict() for f in self.findings]},
                              ensure_ascii=False)


def handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    fonts = (preview.templates.folder / "fonts").resolve()

    def font(name: str) -> bytes | None:
        if not FONT_NAME.match(name) or len(name) > MAX_FONT_NAME:
            return None
        try:
            file = fonts / name
            return file.read_bytes() if file.is_file() else None
        except (OSError, ValueError):  # too long for the system, unreadable: not served
            return None

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            # DNS rebinding: a page of another site that resolves its own name to 127.0.0.1
            # sends its own name as Host. Only this computer's own names are answered.
            if not LOCAL_HOST.fullmatch(self.headers.get("Host", "")):
                self._send(403, "text/plain; charset=utf-8", b"forbidden")
                return
            url = urlsplit(self.path)
            if url.path == "/":
                stem = parse_qs(url.query).get("doc", [None])[0]
                self._send(200, "text/html; charset=utf-8", preview.page(stem).encode())
            elif url.path == "/state":
                self._send(200, "application/json", preview.state().encode())
            elif url.path.startswith("/fonts/") and (data := font(url.path[7:])) is not None:
                self._send(200, "font/ttf", data)
            else:
                self._send(404, "text/plain; charset=utf-8", b"not found")

        def _send(self, code: int, kind: str, data: bytes) -> None:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Security-Policy", "default-src 'self'; "
                             "style-src 'unsafe-inline'; script-src 'unsafe-inline' 'self'; "
                             "img-src data:; font-src 'self'")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            return  # quiet: the terminal shows what the preview shows

    return Handler


def serve(path: Path, port: int = 8000, templates: TemplateSet | None = None,
          ready: threading.Event | None = None, stop: threading.Event | None = None,
          on_start: object = None) -> None:
    """Serve the preview on 127.0.0.1:`port` (0: any free port) until `stop` is set."""
    templates = templates or TemplateSet.load()
    preview = Preview(path, templates, load_style(templates.folder))
    preview.rebuild()
    server = ThreadingHTTPServer(("127.0.0.1", port), handler(preview))
    stop = stop or threading.Event()
    watcher = threading.Thread(target=preview.watch, args=(stop,), daemon=True)
    watcher.start()
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                               daemon=True)
    serving.start()
    if callable(on_start):
        on_start(server.server_address[1])
    if ready is not None:
        ready.set()
    try:
        stop.wait()
    finally:
        server.shutdown()
        server.server_close()
