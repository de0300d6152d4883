"""Hostile and random plan inputs, shared by the hypothesis fuzz tests and bench/fuzz.py."""

from __future__ import annotations

import random
from pathlib import Path

MINIMAL = (Path(__file__).parent / "fixtures" / "minimal" / "plan.yaml").read_bytes()

NASTY = [
    b"\x00", b"\x07", b"\xff\xfe", b"\xc3", b"\x1b[31m", b"{", b"}", b"[", b"]", b": ", b"- ",
    b"&a ", b"*a", b"!!python/object:os.system ", b"!!binary ", b"<<: *a", b"'", b'"', b"\\",
    b"\t", b"\n", b"\r\n", b"  ", b"#", b"%YAML 1.1\n", b"---\n", b"...\n", b"|", b">", b"?",
    b"1e999", b".nan", b"-.inf", b"0x1F", b"2024-02-30", b"99999999999999999999999", b"-1",
    "\u202e".encode(), "\ufeff".encode(), "\ud7ff".encode(), b"<script>alert(1)</script>",
    b"file:///etc/passwd", b"http://127.0.0.1/", b"../../etc/passwd", b"{{ 7*7 }}",
    b"```pb\nb0\n```", b"x" * 5000,
]


def mutate(rng: random.Random, data: bytes = MINIMAL, rounds: int | None = None) -> bytes:
    """Insert, delete, duplicate or replace pieces of a valid plan."""
    out = bytearray(data)
    for _ in range(rounds if rounds is not None else rng.randint(1, 6)):
        op = rng.randrange(6)
        pos = rng.randrange(len(out) + 1)
        if op == 0:
            out[pos:pos] = rng.choice(NASTY)
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
            lines[i] = lines[i].split(b":")[0] + b": " + rng.choice(NASTY)
            out = bytearray(b"\n".join(lines))
        else:
            lines = bytes(out).split(b"\n")
            rng.shuffle(lines[rng.randrange(len(lines)):])
            out = bytearray(b"\n".join(lines))
    return bytes(out)
