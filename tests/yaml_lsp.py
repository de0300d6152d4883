"""A minimal LSP client for yaml-language-server (the YAML language server VS Code and other
editors use): opens documents with plan.schema.json mapped to plans/**, returns each
document's diagnostics."""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SERVER = ROOT / ".tools" / "node_modules" / ".bin" / "yaml-language-server"


def diagnostics(documents: dict[Path, str], schema: Path,
                timeout: float = 60) -> dict[Path, list[dict[str, Any]]]:
    settings = {"validate": True, "schemaStore": {"enable": False},
                "schemas": {schema.as_uri(): ["/**/plans/**/*.yaml"]}}
    server = subprocess.Popen([str(SERVER), "--stdio"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert server.stdin is not None and server.stdout is not None
    inbox: queue.Queue[dict[str, Any]] = queue.Queue()

    def read() -> None:
        assert server.stdout is not None
        while True:
            length = 0
            while (line := server.stdout.readline().decode()).strip():
                name, _, value = line.partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if not length:
                return
            inbox.put(json.loads(server.stdout.read(length)))

    def send(message: dict[str, Any]) -> None:
        assert server.stdin is not None
        data = json.dumps({"jsonrpc": "2.0", **message}).encode()
        server.stdin.write(f"Content-Length: {len(data)}\r\n\r\n".encode() + data)
        server.stdin.flush()

    threading.Thread(target=read, daemon=True).start()
    try:
        send({"id": 1, "method": "initialize", "params": {
            "processId": None, "rootUri": ROOT.as_uri(),
            "capabilities": {"workspace": {"configuration": True}}}})
        send({"method": "initialized", "params": {}})
        send({"method": "workspace/didChangeConfiguration", "params": {
            "settings": {"yaml": settings}}})
        for path, text in documents.items():
            send({"method": "textDocument/didOpen", "params": {"textDocument": {
                "uri": path.as_uri(), "languageId": "yaml", "version": 1, "text": text}}})
        found: dict[Path, list[dict[str, Any]]] = {}
        by_uri = {p.as_uri(): p for p in documents}
        deadline = time.monotonic() + timeout
        while len(found) < len(documents) and time.monotonic() < deadline:
            try:
                message = inbox.get(timeout=1)
            except queue.Empty:
                continue
            if message.get("method") == "workspace/configuration":
                send({"id": message["id"],
                      "result": [settings for _ in message["params"]["items"]]})
            elif message.get("method") == "textDocument/publishDiagnostics":
                uri = message["params"]["uri"]
                if uri in by_uri:
                    found[by_uri[uri]] = message["params"]["diagnostics"]
        return found
    finally:
        server.kill()
        server.wait()
        server.stdin.close()
        server.stdout.close()
