#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into fuzz/corpus/<target>/ (existing files stay).

- analyze, format: every report of ../shared/corpus/real/ and degraded/ beside the repository;
- edits: the same reports, plus each with a 0xFF byte and a tail of edit choices;
- docx: the generated Word fixtures of tests/fixtures/docx (as files, first byte 0; and as
  their XML parts joined by 0xFF, first byte 1 — see fuzz_targets/docx.rs), and Word documents
  the XML snippets below make;
- html: the saved pages of ../shared/corpus/html and the hand-made pages of tests/fixtures/html,
  each behind a first byte choosing the declared charset (see fuzz_targets/html.rs);
- lsp: LSP sessions (see fuzz_targets/lsp.rs for the input format) built here: edits in both
  encodings, every request the server answers, configuration, bad ranges, unknown documents,
  malformed messages, and a real report opened, edited and formatted.

Usage: python3 fuzz/seed.py [SHARED_CORPUS_DIR]
"""

import hashlib
import io
import json
import os
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "shared", "corpus")
URI = "file:///f.txt"


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, name)
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)


def reports():
    out = []
    for sub in ("real", "degraded"):
        d = os.path.join(SHARED, sub)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            with open(os.path.join(d, name), "rb") as f:
                out.append((f"{sub}-{name}", f.read()))
    return out


def windows(data, size=1500):
    """Pieces of a report of about `size` bytes, on line (or, in a long line, character)
    boundaries, overlapping by half: small seeds that still hold whole table rows."""
    text = data.decode("utf-8", "replace")
    pieces, current = [], ""
    for line in text.splitlines(keepends=True):
        while len(line.encode()) > size:
            cut = line[: size // 3]
            pieces.append(cut)
            line = line[len(cut):]
        if len((current + line).encode()) > size and current:
            pieces.append(current)
            current = current[len(current) // 2 :]
        current += line
    if current:
        pieces.append(current)
    return [p.encode() for p in pieces]


def msg(method, params=None, id=None):
    m = {"jsonrpc": "2.0", "method": method}
    if params is not None:
        m["params"] = params
    if id is not None:
        m["id"] = id
    return json.dumps(m, ensure_ascii=False).encode()


def rng(l1, c1, l2, c2):
    return {"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}}


def doc(uri=URI):
    return {"textDocument": {"uri": uri}}


def change(version, *edits, uri=URI):
    return msg(
        "textDocument/didChange",
        {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [
                {"text": t} if r is None else {"range": r, "text": t} for r, t in edits
            ],
        },
    )


def requests(start_id=10):
    p0 = {"line": 1, "character": 2}
    whole = rng(0, 0, 20, 0)
    reqs = [
        ("textDocument/hover", {**doc(), "position": p0}),
        ("textDocument/formatting", {**doc(), "options": {"tabSize": 4, "insertSpaces": False}}),
        ("textDocument/rangeFormatting", {**doc(), "range": rng(3, 0, 6, 0), "options": {"tabSize": 4, "insertSpaces": False}}),
        ("textDocument/codeAction", {**doc(), "range": whole, "context": {"diagnostics": []}}),
        ("textDocument/codeAction", {**doc(), "range": rng(5, 0, 5, 3), "context": {"diagnostics": [], "only": ["source.fixAll.nianbao"]}}),
        ("textDocument/documentSymbol", doc()),
        ("textDocument/foldingRange", doc()),
        ("textDocument/semanticTokens/full", doc()),
        ("textDocument/inlayHint", {**doc(), "range": whole}),
        ("textDocument/completion", {**doc(), "position": {"line": 7, "character": 0}}),
        ("textDocument/diagnostic", doc()),
    ]
    return [msg(m, p, id=start_id + i) for i, (m, p) in enumerate(reqs)]


def session(flags, messages):
    return bytes([flags]) + b"\x1e".join(messages)


def lsp_seeds(real):
    seeds = {}
    seeds["requests"] = session(1, requests())
    seeds["requests-utf8-pull"] = session(1 | 2 | 8, requests())
    seeds["edits-utf16"] = session(
        1,
        [
            change(2, (rng(2, 0, 2, 2), "中")),
            change(3, (rng(2, 1, 2, 1), "𠀀\r\n")),
            change(4, (rng(5, 3, 5, 4), "12"), (rng(0, 0, 0, 0), "\ufeff")),
            change(5, (rng(99, 0, 120, 5), "尾"), (rng(0, 500, 0, 900), "首")),
            change(6, (rng(1, 3, 1, 0), "reversed")),
        ]
        + requests(),
    )
    seeds["edits-utf8"] = session(
        1 | 2,
        [
            change(2, (rng(2, 0, 2, 4), "中")),
            change(3, (rng(2, 1, 2, 1), "x")),
            change(4, (None, "一、总体情况\n\t0\n")),
        ]
        + requests(),
    )
    seeds["config"] = session(
        1,
        [
            msg("workspace/didChangeConfiguration", {"settings": {"nianbao": {"template": "2019", "severity": {"number-format": "off", "sum-mismatch": "hint"}}}}),
            msg("workspace/didChangeConfiguration", {"settings": {"nianbao": {"template": 5, "severity": []}}}),
        ]
        + requests(),
    )
    seeds["unknown-documents"] = session(
        1,
        [
            change(2, (rng(0, 0, 0, 0), "x"), uri="file:///nope.txt"),
            msg("textDocument/didClose", doc("file:///nope.txt")),
            msg("textDocument/hover", {**doc("file:///nope.txt"), "position": {"line": 0, "character": 0}}, id=2),
            msg("textDocument/formatting", {**doc("file:///nope.txt"), "options": {}}, id=3),
            msg("nianbao/unknownMethod", {}, id=4),
            msg("$/cancelRequest", {"id": 3}),
            msg("textDocument/didClose", doc()),
            msg("textDocument/hover", {**doc(), "position": {"line": 0, "character": 0}}, id=5),
        ],
    )
    seeds["malformed"] = session(
        1,
        [
            b'{"jsonrpc":"2.0","id":1,"method":',
            b'{"jsonrpc":"1.0","id":2,"method":"textDocument/hover"}',
            b"[1,2,3]",
            b"\xff\xfe",
            b"",
            msg("textDocument/hover", {"textDocument": 5, "position": None}, id=3),
            msg("textDocument/didChange", {"textDocument": {"uri": URI, "version": "x"}}),
        ]
        + requests(),
    )
    seeds["uninitialized"] = session(
        0,
        [
            msg("textDocument/hover", {**doc(), "position": {"line": 0, "character": 0}}, id=1),
            msg("initialize", {"capabilities": {}}, id=2),
            msg("initialized", {}),
            msg("textDocument/didOpen", {"textDocument": {"uri": URI, "languageId": "nianbao", "version": 1, "text": "一、总体情况\n"}}),
            msg("shutdown", id=3),
            msg("textDocument/hover", {**doc(), "position": {"line": 0, "character": 0}}, id=4),
        ],
    )
    shutdown = msg("shutdown", id=1)
    seeds["raw"] = (
        bytes([1 | 4])
        + b"Content-Length: 10\r\n\r\n{\"jsonrpc\"garbage\r\n"
        + b"Content-Length: %d\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" % len(shutdown)
        + shutdown
    )
    for name, text in real[:6]:
        text = text.decode("utf-8", "replace")
        seeds[f"open-{name}"] = session(
            1 | 2,
            [
                msg("textDocument/didOpen", {"textDocument": {"uri": URI, "languageId": "nianbao", "version": 1, "text": text}}),
                change(2, (rng(10, 0, 12, 3), "\t0\t0\n")),
            ]
            + requests(),
        )
    for name, data in seeds.items():
        write("lsp", name, data)


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"

# document.xml bodies for what the corpus fixtures lack: merges, fields, tracked changes, text
# boxes, hidden text, content controls, numbering through a style.
SNIPPETS = {
    "merges": '<w:tbl><w:tblGrid><w:gridCol w:w="575"/><w:gridCol w:w="1"/><w:gridCol w:w="1000"/></w:tblGrid>'
    '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>行政许可</w:t></w:r></w:p></w:tc>'
    '<w:tc><w:p><w:r><w:t>12</w:t></w:r></w:p></w:tc></w:tr>'
    '<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl>',
    "fields": '<w:p><w:fldSimple w:instr="PAGE"><w:r><w:t>3</w:t></w:r></w:fldSimple>'
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>=SUM</w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>42</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
    "changes": '<w:p><w:ins><w:r><w:t>20</w:t></w:r></w:ins><w:del><w:r><w:delText>19</w:delText></w:r></w:del>'
    '<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:r><w:t xml:space="preserve"> a&amp;b&#xD;</w:t></w:r></w:p>',
    "textbox": '<w:p><w:r><w:t>锚</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
    '<w:txbxContent><w:p><w:r><w:t>框 1</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>'
    '<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>框 1</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>',
    "numbering": '<w:sdt><w:sdtContent><w:p><w:pPr><w:pStyle w:val="H1"/></w:pPr><w:r><w:t>总体情况</w:t></w:r></w:p></w:sdtContent></w:sdt>'
    '<w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>主动公开 5 条</w:t></w:r></w:p>',
}
NUMBERING = (
    f'<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="0">'
    '<w:lvl w:ilvl="0"><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/><w:pStyle w:val="H1"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
    '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
)
STYLES = (
    f'<w:styles xmlns:w="{W}"><w:style w:type="paragraph" w:styleId="H1"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style></w:styles>'
)


def docx_seeds():
    fixtures = os.path.join(HERE, "..", "tests", "fixtures", "docx")
    if os.path.isdir(fixtures):
        for name in sorted(os.listdir(fixtures)):
            if not name.endswith(".docx"):
                continue
            with open(os.path.join(fixtures, name), "rb") as f:
                data = f.read()
            write("docx", name, b"\x00" + data)
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = z.namelist()
                parts = [z.read(p) if p in names else b"" for p in ("word/document.xml", "word/numbering.xml", "word/styles.xml")]
            write("docx", name + ".xml", b"\x01" + b"\xff".join(parts))
    for name, body in SNIPPETS.items():
        document = f'<w:document xmlns:w="{W}" xmlns:mc="{MC}"><w:body>{body}</w:body></w:document>'.encode()
        write("docx", f"snippet-{name}", b"\x03" + b"\xff".join([document, NUMBERING.encode(), STYLES.encode()]))


def html_seeds():
    dirs = [os.path.join(SHARED, "html"), os.path.join(HERE, "..", "tests", "fixtures", "html")]
    for d in dirs:
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if name.endswith(".md"):
                continue
            with open(os.path.join(d, name), "rb") as f:
                data = f.read()
            write("html", name, b"\x00" + data)
            write("html", name + ".gbk-declared", b"\x01" + data)
    write("html", "spans", b"\x00<table><tr><td rowspan=0 colspan=3>a</td><td>1</td></tr><tr><td colspan=2>b</td></tr></table><p>\xe4\xb8\x80\xe3\x80\x81\xe6\x80\xbb\xe4\xbd\x93\xe6\x83\x85\xe5\x86\xb5</p>")


def main():
    real = reports()
    if not real:
        print(f"seed.py: no reports under {SHARED}", file=sys.stderr)
    for name, data in real:
        write("analyze", name, data)
        write("format", name, data)
        write("edits", name, data)
        tail = hashlib.sha256(data).digest() * 4
        write("edits", name + ".edits", data + b"\xff" + tail)
        for i, piece in enumerate(windows(data)):
            for target in ("analyze", "format", "edits"):
                write(target, f"{name}.{i:03}", piece)
    lsp_seeds(real)
    docx_seeds()
    html_seeds()


if __name__ == "__main__":
    main()
