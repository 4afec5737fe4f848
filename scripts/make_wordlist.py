"""Derive paiban's headline word list (layout/data/words.txt.gz) from jieba's dict.txt.

jieba (https://github.com/fxsjy/jieba, MIT licence, Copyright (c) 2013 Sun Junyi) ships a
dictionary of 349 046 words with frequencies. paiban only needs to know where a headline may
break, so it keeps the Han words of 2 to 4 characters with a frequency of at least MIN_FREQ, all
single characters, and each frequency rounded to half a step of its natural logarithm (enough for a
unigram segmentation). The licence travels with the data: layout/data/words.LICENSE.

    pip install jieba==0.42.1 && python scripts/make_wordlist.py

The output is deterministic (sorted, gzip without a timestamp).
"""
from __future__ import annotations

import gzip
import io
import math
import re
import sys
from pathlib import Path

MIN_FREQ = 10
MAX_LEN = 5
OUT = Path(__file__).resolve().parents[1] / "layout" / "data" / "words.txt.gz"


def main() -> None:
    import jieba

    src = Path(jieba.__file__).with_name("dict.txt")
    han = re.compile(r"^[\u3400-\u9fff]+$")
    keep: dict[str, int] = {}
    for line in src.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) < 2 or not han.match(parts[0]):
            continue
        word, freq = parts[0], int(parts[1])
        if len(word) > MAX_LEN or (len(word) > 1 and freq < MIN_FREQ):
            continue
        # ln(freq) in steps of 0.5, written as a whole number of half-steps
        keep[word] = max(keep.get(word, 0), round(2 * math.log(max(freq, 1))))
    # One line per frequency step: "<step>\t<word> <word> …", sorted; a first line with the
    # total frequency (the denominator of the word probabilities).
    by_step: dict[int, list[str]] = {}
    for w, f in keep.items():
        by_step.setdefault(f, []).append(w)
    total = sum(len(ws) * math.exp(f / 2) for f, ws in by_step.items())
    text = f"total\t{math.log(total):.6f}\n" + "".join(
        f"{f}\t{' '.join(sorted(ws))}\n" for f, ws in sorted(by_step.items()))
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, compresslevel=9, filename="") as gz:
        gz.write(text.encode("utf-8"))
    OUT.write_bytes(buf.getvalue())
    print(f"{OUT}: {len(keep)} words, {len(buf.getvalue()) // 1024} KiB", file=sys.stderr)


if __name__ == "__main__":
    main()
