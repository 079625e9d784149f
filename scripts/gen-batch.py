#!/usr/bin/env python3
"""Writes a generated batch of reports for the whole-command benchmark (scripts/bench-batch.sh).

    gen-batch.py CORPUS_DIR OUT_DIR COUNT [SEED]

Each report is a copy of a corpus report (real/ and degraded/ text; one in fifty a saved page of
html/) with another body and year: a title line naming the body and the year is put first, the
report's own year (its most frequent 20xx) becomes the new year (and the years around it move
with it), and the file is named `机关全称 + 年度 + 政府信息公开工作年度报告` so that the checks across
years place it. Bodies have six consecutive years (2019–2024), so most reports are compared with
the year before. In one report in three a figure of a table row is changed (a realistic typo).
Files go into subdirectories of 1,000. Deterministic for a given seed.
"""

import os
import random
import re
import sys

SYLLABLES = "安北昌成大定东丰福高广海和华怀嘉建江金景靖开兰乐利临龙宁平清庆瑞山商寿顺泰通同文武西祥新兴阳永元云长正中"
KINDS = ["县人民政府", "县发展和改革局", "区人民政府办公室", "市生态环境局", "县教育局", "区财政局"]
YEARS = list(range(2019, 2025))
YEAR = re.compile(r"20\d\d")
ROW = re.compile(r"^(.*?\D)(\d{1,4})((?:\s+\d+){2,}\s*)$")


def body_name(b):
    # A unique place name per body: b written in base len(SYLLABLES), three or four syllables.
    n = len(SYLLABLES)
    place = "".join(SYLLABLES[(b // n**k) % n] for k in range(3 + b % 2))
    return f"{place}{KINDS[b % len(KINDS)]}"


def main():
    corpus, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    texts = []
    for sub in ("real", "degraded"):
        d = os.path.join(corpus, sub)
        for name in sorted(os.listdir(d)):
            if name.endswith(".txt"):
                with open(os.path.join(d, name), encoding="utf-8") as f:
                    texts.append(f.read())
    pages = []
    d = os.path.join(corpus, "html")
    for name in sorted(os.listdir(d)):
        if name.endswith(".html"):
            with open(os.path.join(d, name), "rb") as f:
                pages.append(f.read())
    rng = random.Random(seed)
    for i in range(count):
        body = body_name(i // len(YEARS))
        year = YEARS[i % len(YEARS)]
        sub = os.path.join(out, f"d{i // 1000:03}")
        os.makedirs(sub, exist_ok=True)
        stem = f"{body}{year}年政府信息公开工作年度报告"
        if pages and i % 50 == 49:
            with open(os.path.join(sub, stem + ".html"), "wb") as f:
                f.write(pages[rng.randrange(len(pages))])
            continue
        text = texts[rng.randrange(len(texts))]
        years = YEAR.findall(text)
        own = int(max(set(years), key=years.count)) if years else year

        def shift(m, own=own, year=year):
            y = int(m.group(0))
            return str(y - own + year) if abs(y - own) <= 1 else m.group(0)

        text = YEAR.sub(shift, text)
        if i % 3 == 0:
            lines = text.split("\n")
            rows = [k for k, line in enumerate(lines) if ROW.match(line)]
            if rows:
                k = rows[rng.randrange(len(rows))]
                m = ROW.match(lines[k])
                lines[k] = f"{m.group(1)}{int(m.group(2)) + 1}{m.group(3)}"
                text = "\n".join(lines)
        with open(os.path.join(sub, stem + ".txt"), "w", encoding="utf-8") as f:
            f.write(f"{body}{year}年政府信息公开工作年度报告\n{text}")


if __name__ == "__main__":
    main()
