"""scripts/doc-gate.py, the documentation gate, on a header made for it
(doc_gate_fixture.h): it must flag exactly the items named bad_*, each at its
line, and nothing else; and pass a header whose items are all documented.
"""

import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GATE = os.path.join(HERE, "..", "..", "scripts", "doc-gate.py")
FIXTURE = os.path.join(HERE, "doc_gate_fixture.h")


def gate(*paths):
    r = subprocess.run([sys.executable, GATE, *paths], capture_output=True, text=True,
                       timeout=60)
    return r.returncode, r.stdout + r.stderr


def item_lines(path):
    """{name: line} of every good_*/bad_* item in the fixture: the line that
    names it, or for a typedef of a struct body and an item whose attributes
    come first, the line where it starts."""
    lines = open(path, encoding="utf-8").read().splitlines()
    found = {}
    for n, line in enumerate(lines, 1):
        m = re.search(r"\b((?:good|bad)_\w+)\b", line)
        if m and not line.lstrip().startswith(("/", "*")) and m.group(1) not in found:
            start = n
            if lines[n - 2].startswith("__attribute__"):
                start = n - 1
            elif line.startswith("}"):
                start = next(k for k in range(n, 0, -1) if lines[k - 1].startswith("typedef"))
            found[m.group(1)] = start
    return found


def test_flags_exactly_the_undocumented_items():
    rc, out = gate(FIXTURE)
    assert rc == 1, out
    flagged = {}
    for m in re.finditer(r"^(.*):(\d+): [\w -]+ '([\w ]+)'", out, re.M):
        assert m.group(1) == FIXTURE
        flagged[m.group(3).split()[-1]] = int(m.group(2))
    want = {name: line for name, line in item_lines(FIXTURE).items() if name.startswith("bad_")}
    assert len(want) == 21
    assert flagged == want, out
    assert "doc-gate: 21 of 37 items in 1 headers are not documented" in out


def test_says_what_is_missing():
    rc, out = gate(FIXTURE)
    assert re.search(r":\d+: function 'bad_int_silent' returns int: its comment does not say "
                     r"what it returns", out)
    assert re.search(r"'bad_pointer_silent' returns pointer", out)
    assert re.search(r"'bad_bool_silent' returns bool", out)
    assert re.search(r"function 'bad_short': its comment is too short", out)
    assert re.search(r"static inline function 'bad_inline' has no comment", out)
    assert re.search(r"function-like macro 'bad_macro' has no comment", out)
    assert re.search(r"type 'struct bad_struct' has no comment", out)
    assert re.search(r"typedef 'bad_anonymous_t' has no comment", out)


def test_passes_a_documented_header(tmp_path):
    text = open(FIXTURE, encoding="utf-8").read()
    good = text[:text.index("void bad_plain")] + "#endif\n"
    path = tmp_path / "good.h"
    path.write_text(good)
    rc, out = gate(str(path))
    assert rc == 0, out
    assert re.search(r"doc-gate: 15 items in 1 headers, every one documented", out), out
