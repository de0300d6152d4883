"""Hostile and random plan inputs, shared by the hypothesis fuzz tests and bench/fuzz.py."""

from __future__ import annotations

import random
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = (FIXTURES / "minimal" / "plan.yaml").read_bytes()
# The minimal plan with money, a decision and an agreement: every document kind.
COMPLETE = MINIMAL + (FIXTURES / "money.yaml").read_bytes() + \
    (FIXTURES / "agreement.yaml").read_bytes()
BASES = (MINIMAL, COMPLETE)

NASTY = [
    b"\x00", b"\x07", b"\xff\xfe", b"\xc3", b"\x1b[31m", b"{", b"}", b"[", b"]", b": ", b"- ",
    b"&a ", b"*a", b"!!python/object:os.system ", b"!!binary ", b"<<: *a", b"'", b'"', b"\\",
    b"\t", b"\n", b"\r\n", b"  ", b"#", b"%YAML 1.1\n", b"---\n", b"...\n", b"|", b">", b"?",
    b"1e999", b".nan", b"-.inf", b"0x1F", b"2024-02-30", b"99999999999999999999999", b"-1",
    "\u202e".encode(), "\ufeff".encode(), "\ud7ff".encode(), b"<script>alert(1)</script>",
    b"file:///etc/passwd", b"http://127.0.0.1/", b"../../etc/passwd", b"{{ 7*7 }}",
    b"```pb\nb0\n```", b"x" * 5000,
    # YAML tags and merge keys
    b"!!int ''", b"!!bool maybe", b"!!timestamp notadate", b"!!float x", b"!!str ",
    b"!!map {}", b"!!seq []", b"<<: 5", b"<<: [*a, 5]", b"<<: *a\n", b"&a {x: 1}",
    b"&a\n", b"{<<: {a: 1}, a: 2}", b"? [a, b]\n: c", b"? {a: 1}\n: c",
    # numbers at the edges of what the money engine and the documents accept
    b"1.0e-99999999", b"1e400", b"100.00001", b"0.0001", b"-0", b"99999999999999.99",
    # Markdown that tries to escape its text
    b"\n\n## Otsikko\n\n", b"[a][r]\n\n[r]: http://127.1/", b"![x][r]", b"> > > q",
    b"- a\n\n  ```\n  c\n  ```", b"[a [b] c](http://0x7f000001/)", b"[" * 200,
]

# Pieces for template, translation and house-style files.
TEMPLATE_NASTY = [
    b"{{ ", b" }}", b"{% if %}", b"{% for x in range(10**9) %}{% endfor %}", b"{{ 'x' * 10**9 }}",
    b"{{ plan.__class__ }}", b"{{ t('no.such') }}", b"{% include '../../etc/passwd' %}",
    b"{{ x('a') }}", b"{{ table('nope') }}", b"{{ heading(1) }}", b"{item.__class__}",
    b"{0}", b"{page!r}", b"{page:>99999}", b"{", b"}", b"{{", b"@import url(file:///etc/passwd);",
    b"url(http://127.0.0.1/x.ttf)", b".nan", b"1e308", b"-5", b"#zzzzzz", b"[1, 2]",
]



def mutate(rng: random.Random, data: bytes = MINIMAL, rounds: int | None = None,
           nasty: list[bytes] | None = None) -> bytes:
    """Insert, delete, duplicate or replace pieces of a valid plan (or template file)."""
    pieces = nasty or NASTY
    out = bytearray(data)
    for _ in range(rounds if rounds is not None else rng.randint(1, 6)):
        op = rng.randrange(6)
        pos = rng.randrange(len(out) + 1)
        if op == 0:
            out[pos:pos] = rng.choice(pieces)
        elif op == 1 and out:
            end = min(len(out), pos + rng.randint(1, 40))
            del out[pos:end]
        elif op == 2 and out:
            end = min(len(out), pos + rng.randint(1, 80))
            out[pos:pos] = out[pos:end]
        elif op == 3:
            out[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op == 4:
            lines = bytes(out).split(b"\n")
            i = rng.randrange(len(lines))
            lines[i] = lines[i].split(b":")[0] + b": " + rng.choice(pieces)
            out = bytearray(b"\n".join(lines))
        else:
            lines = bytes(out).split(b"\n")
            rng.shuffle(lines[rng.randrange(len(lines)):])
            out = bytearray(b"\n".join(lines))
    return bytes(out)
