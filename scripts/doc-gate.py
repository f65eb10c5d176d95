#!/usr/bin/python3
"""The documentation gate: every item a header declares has a comment.

    scripts/doc-gate.py              check every header under the default roots
    scripts/doc-gate.py PATH...      check these headers (or the headers under these directories)

The C counterpart of rustdoc's missing-docs lint. The default roots are the
hypervisor's layers: boot/ core/ vcpu/ mm/ platform/ arch/ lib/, but not
lib/include/, which mirrors the C library's headers (the C standard documents
those functions).

An item is, at file scope:
  - a function prototype (not static), or a static inline function;
  - a struct, union or enum with a body, and a typedef;
  - an extern object, or any other object a header defines;
  - a function-like macro whose name is lower case and does not start with
    "_" (it stands where a function would; upper-case ones like BIT(n) name
    constants and register fields, and "__" ones are internals).
Not items: forward declarations (`struct vm;`), object-like macros, struct
members and enum constants.

Each item needs its own comment ending right before it (nothing but white
space in between, at most one line break), starting a line of its own (a
comment after code on its line is that code's), of at least three words.
One exception: a run of one-line items of the same kind, on consecutive
lines, shares the comment before its first item (say, u8 u16 u32 u64). The
comment of a function that can fail, that is one returning a signed integer,
bool or a pointer (or a macro, never), must also say what it returns: one of
the words "return(s)", "NULL", "true", "false", "whether", "negative",
"zero", "fail(s)", "failure", or an error name "E_...".

Prints file:line and the item for each miss, and exits 1 if there is any.
"""

import os
import re
import sys

ROOTS = ["boot", "core", "vcpu", "mm", "platform", "arch", "lib"]
EXCLUDED = [os.path.join("lib", "include")]

# Return types of functions that can fail: they must say how.
FAILING_TYPES = {"int", "long", "bool", "s8", "s16", "s32", "s64", "ssize_t", "intptr_t",
                 "int8_t", "int16_t", "int32_t", "int64_t", "_Bool"}
RETURN_WORDS = re.compile(r"\b(returns?|returned|returning|NULL|true|false|whether|negative|"
                          r"zero|fails?|failed|failure|E_[A-Z0-9_]+)\b", re.I)
QUALIFIERS = {"static", "inline", "extern", "const", "volatile", "__inline", "__inline__",
              "register", "signed", "_Noreturn"}


class Comment:
    def __init__(self, start, end, text):
        self.start = start  # offsets in the file
        self.end = end
        self.text = text


def blank(text, start, end):
    """text[start:end] with everything but line breaks turned into spaces."""
    return "".join(c if c == "\n" else " " for c in text[start:end])


def split_comments(text):
    """Returns the code with comments, string and character literals blanked
    (offsets and line breaks kept), and the comments."""
    out = []
    comments = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            comments.append(Comment(i, j, text[i:j]))
            out.append(blank(text, i, j))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            comments.append(Comment(i, j, text[i:j]))
            out.append(blank(text, i, j))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            # Keep the quotes, so that a literal is still a token.
            out.append(c + blank(text, i + 1, j - 1) + c if j - i >= 2 else blank(text, i, j))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out), comments


def take_directives(code):
    """Blanks preprocessor directives out of code; returns the code and the
    function-like macros as (offset, end offset, name)."""
    macros = []
    chars = list(code)
    # Walk line by line, joining continuation lines.
    i = 0
    n = len(code)
    at_line_start = True
    while i < n:
        if at_line_start:
            j = i
            while j < n and code[j] in " \t":
                j += 1
            if j < n and code[j] == "#":
                end = j
                while True:
                    nl = code.find("\n", end)
                    if nl < 0:
                        nl = n
                        break
                    if code[end:nl].rstrip().endswith("\\"):
                        end = nl + 1
                        continue
                    break
                m = re.match(r"#\s*define\s+([A-Za-z_]\w*)\(", code[j:nl])
                if m:
                    macros.append((j, nl, m.group(1)))
                for k in range(i, nl):
                    if chars[k] != "\n":
                        chars[k] = " "
                i = nl
                at_line_start = False
                continue
        at_line_start = code[i] == "\n"
        i += 1
    return "".join(chars), macros


def statements(code):
    """Yields (start, end offset, head, has_body) for each file-scope statement:
    head is its text with every {...} body replaced by {}."""
    i = 0
    n = len(code)
    head = []
    start = None
    has_body = False
    parens = 0
    while i < n:
        c = code[i]
        if start is None:
            if c.isspace() or c == ";":
                i += 1
                continue
            start = i
        if c in "([":
            parens += 1
        elif c in ")]":
            parens -= 1
        if c == "{" and parens == 0:
            depth = 0
            j = i
            while j < n:
                if code[j] == "{":
                    depth += 1
                elif code[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            head.append("{}")
            has_body = True
            i = j + 1
            # A function definition ends with its body; a type goes on to its ';'.
            if "(" in "".join(head) and not re.match(r"\s*(typedef|struct|union|enum)\b",
                                                      "".join(head)):
                yield start, i, "".join(head), has_body
                head, start, has_body = [], None, False
            continue
        if c == ";" and parens == 0:
            head.append(";")
            yield start, i, "".join(head), has_body
            head, start, has_body = [], None, False
            i += 1
            continue
        head.append(c)
        i += 1
    if start is not None and "".join(head).strip():
        yield start, n, "".join(head), has_body


def strip_attributes(s):
    """Removes __attribute__((...)) and __asm__(...) labels, balanced."""
    while True:
        m = re.search(r"\b(__attribute__|__asm__|asm)\s*\(", s)
        if not m:
            return s
        depth = 0
        j = m.end() - 1
        while j < len(s):
            if s[j] == "(":
                depth += 1
            elif s[j] == ")":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        s = s[:m.start()] + " " + s[j + 1:]


def classify(head, has_body):
    """(kind, name, return type or None) of a statement, or None if it is no item."""
    s = " ".join(strip_attributes(head).split())
    if s.startswith("typedef "):
        m = re.search(r"\(\s*\*\s*(\w+)\s*\)\s*\(", s)
        if m:
            return "typedef", m.group(1), None
        m = re.search(r"(\w+)\s*(\[[^\]]*\]\s*)*;?$", s)
        if not m:  # a function type: typedef void name(int);
            m = re.search(r"(\w+)\s*\(", s)
        return "typedef", m.group(1) if m else "?", None
    m = re.match(r"(?:(?:static|const|volatile)\s+)*(struct|union|enum)\s*(\w*)\s*(\{\})?", s)
    if m and (m.group(3) or re.match(r"(struct|union|enum)\s+\w+\s*;$", s)):
        if not m.group(3):
            return None  # a forward declaration
        rest = s[m.end():].strip(" ;")
        name = f"{m.group(1)} {m.group(2) or '(anonymous)'}"
        if rest:
            return "object", re.findall(r"\w+", rest)[-1], None
        return "type", name, None
    depth = 0
    for idx, c in enumerate(s):
        if c == "(":
            if depth == 0:
                before = s[:idx].rstrip()
                m = re.search(r"(\**)\s*(\w+)$", before)
                if not m or re.search(r"\(\s*\*?\s*$", before):
                    break
                prefix = before[:m.start(2)].strip()
                words = [w for w in re.findall(r"\w+", prefix) if w not in QUALIFIERS]
                if not words:
                    return None  # a macro invocation, not a declaration
                pointer = prefix.endswith("*")
                static = re.search(r"\bstatic\b", prefix) is not None
                if static and not has_body:
                    return None
                kind = "static inline function" if static else "function"
                ret = "pointer" if pointer else words[-1]
                if "unsigned" in words and not pointer:
                    ret = "unsigned " + words[-1]
                if ret == "void" and not pointer:
                    ret = None
                return kind, m.group(2), ret
            depth += 1
        elif c == ")":
            depth -= 1
    names = re.findall(r"(\w+)\s*(?:\[[^\]]*\]\s*)*(?:=.*)?;$", s)
    if names:
        return "object", names[0], None
    return None


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


def comment_before(text, comments, offset):
    """The comment that ends right before offset (white space and at most one
    line break between), or None."""
    best = None
    for c in comments:
        if c.end <= offset:
            best = c
        else:
            break
    if best is None:
        return None
    gap = text[best.end:offset]
    if gap.strip() or gap.count("\n") > 1:
        return None
    # A comment trailing code on its line belongs to that code.
    if text[text.rfind("\n", 0, best.start) + 1:best.start].strip():
        return None
    return best


def comment_words(comment):
    body = re.sub(r"^/\*+|\*+/$|^//", "", comment.text.strip())
    return re.findall(r"[A-Za-z][A-Za-z'-]*", body)


def check_file(path):
    """Returns (number of items, list of complaints) for one header."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    code, comments = split_comments(text)
    code, macros = take_directives(code)
    items = []
    for offset, end, name in macros:
        if name.startswith("_") or name != name.lower():
            continue
        items.append((offset, end, "function-like macro", name, None))
    for offset, end, head, has_body in statements(code):
        what = classify(head, has_body)
        if what:
            items.append((offset, end) + what)
    complaints = []
    previous = None  # (kind, last line, comment) of the item before, if one line long
    for offset, end, kind, name, ret in sorted(items):
        line, last = line_of(text, offset), line_of(text, end)
        where = f"{path}:{line}"
        c = comment_before(text, comments, offset)
        # A run of one-line items of one kind shares the comment of its first.
        if (c is None and previous and previous[0] == kind and previous[1] == line - 1 and
                line == last):
            c = previous[2]
        previous = (kind, last, c) if line == last and c is not None else None
        if c is None:
            complaints.append(f"{where}: {kind} '{name}' has no comment right before it")
        elif len(comment_words(c)) < 3:
            complaints.append(f"{where}: {kind} '{name}': its comment is too short to say "
                              f"what it does")
        elif (ret == "pointer" or ret in FAILING_TYPES) and not RETURN_WORDS.search(c.text):
            complaints.append(f"{where}: {kind} '{name}' returns {ret}: its comment does not "
                              f"say what it returns (returns, NULL, false, negative, fails...)")
    return len(items), complaints


def headers(paths):
    for p in paths:
        if os.path.isfile(p):
            yield p
            continue
        for root, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if os.path.join(root, d) not in EXCLUDED)
            for f in sorted(files):
                if f.endswith(".h"):
                    yield os.path.join(root, f)


def main(argv):
    if any(a.startswith("-") for a in argv):
        print(__doc__.strip())
        return 0 if argv == ["-h"] or argv == ["--help"] else 2
    if not argv:
        os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
        argv = [r for r in ROOTS if os.path.isdir(r)]
    count = files = 0
    complaints = []
    for h in headers(argv):
        n, c = check_file(h)
        files += 1
        count += n
        complaints += c
    for c in complaints:
        print(c)
    if complaints:
        print(f"doc-gate: {len(complaints)} of {count} items in {files} headers are not "
              f"documented as scripts/doc-gate.py asks")
        return 1
    print(f"doc-gate: {count} items in {files} headers, every one documented")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
