"""Word boundaries for breaking headlines that have no spaces: a unigram segmentation over a
small word list derived from jieba's dictionary (see docs/composition.md and
scripts/make_wordlist.py; the list's licence is layout/data/words.LICENSE).

The segmentation is jieba's own model without its HMM: every dictionary word that starts at
each position forms a DAG, and dynamic programming from the end picks the path with the
largest product of word probabilities. The list is read only when a head must break between
characters (60–90 ms), never on a build whose heads break at spaces or fit on one line.
"""
from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

WORDS = Path(__file__).resolve().parents[1] / "data" / "words.txt.gz"
TERMS = WORDS.with_name("terms.txt")     # names and terms kept whole (see the file)


@lru_cache(maxsize=1)
def _model() -> tuple[dict[str, float], float]:
    """word → log probability, and the log probability of a character not in the list."""
    logp: dict[str, float] = {}
    with gzip.open(WORDS, "rt", encoding="utf-8") as f:
        head = f.readline().split("\t")
        total = float(head[1])
        for line in f:
            step, words = line.rstrip("\n").split("\t")
            logp.update(dict.fromkeys(words.split(" "), int(step) / 2.0 - total))
    top = max(logp.values())
    for line in TERMS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            logp[line.strip()] = top
    return logp, -total


@lru_cache(maxsize=1)
def _max_word() -> int:
    return max(map(len, _model()[0]))


def segment(text: str) -> list[str]:
    """`text` cut into words: 加强支部建设工作 → 加强 / 支部 / 建设 / 工作."""
    logp, unknown = _model()
    longest = _max_word()
    n = len(text)
    best = [(0.0, n)] * (n + 1)        # best[i]: (log probability of text[i:], end of first word)
    for i in range(n - 1, -1, -1):
        cand = []
        for j in range(i + 1, min(n, i + longest) + 1):
            w = text[i:j]
            if j == i + 1:
                cand.append((logp.get(w, unknown) + best[j][0], j))
            elif w in logp:
                cand.append((logp[w] + best[j][0], j))
        best[i] = max(cand)
    out, i = [], 0
    while i < n:
        j = best[i][1]
        out.append(text[i:j])
        i = j
    return out


def boundaries(text: str) -> set[int]:
    """Offsets (1 … len−1) where a head may break between two words of `text`. Not between two
    single characters: a run of them is most often a name or a term the list lacks (管 城,
    张 艳 敏), and a head broken inside it reads wrong."""
    words = segment(text)
    out, pos = set(), 0
    for a, b in zip(words, words[1:]):
        pos += len(a)
        if len(a) > 1 or len(b) > 1:
            out.add(pos)
    return out
