"""Chinese full-text search for the knowledge base: terms and scores. Pure Python, no database.

Chinese has no spaces, and a duty lawyer types two-character words ("工伤", "欠薪") or a short
phrase. An article is indexed under every character bigram and every single character of its
Chinese text, and every run of Latin letters or digits ("120", "lpr") as one term. A query is cut
the same way, except that a Chinese run of two or more characters becomes its bigrams only (a
single character is too common to help rank "拖欠工资"), while a one-character query uses the
character itself. This works alike on SQLite and PostgreSQL, needs no dictionary and no
extension, and a two-character word is exactly one term.

Ranking is Okapi BM25 over those terms; the SQL that sums the scores is in selectors_knowledge.py.
The question counts three times and the topic's name twice as much as the answer and the legal
basis, so an article *about* the query ranks above one that merely mentions it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

MAX_TERM = 24
QUESTION_WEIGHT = 3
TOPIC_WEIGHT = 2
K1 = 1.2
B = 0.75

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{_HAN}]+|[a-z0-9]+")


def normalise(text: str) -> str:
    """Full-width letters and digits to half-width (NFKC), lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def _is_han(run: str) -> bool:
    return bool(re.match(rf"[{_HAN}]", run))


def document_terms(text: str) -> Counter:
    """Every term an article is found by: Chinese bigrams and characters, Latin and digit words."""
    terms: Counter = Counter()
    for run in _RUNS.findall(normalise(text)):
        if _is_han(run):
            terms.update(run)
            terms.update(run[i:i + 2] for i in range(len(run) - 1))
        else:
            terms[run[:MAX_TERM]] += 1
    return terms


def query_terms(text: str) -> list[str]:
    """The distinct terms of a query, in the order typed."""
    found: list[str] = []
    for run in _RUNS.findall(normalise(text)):
        if not _is_han(run):
            found.append(run[:MAX_TERM])
        elif len(run) == 1:
            found.append(run)
        else:
            found.extend(run[i:i + 2] for i in range(len(run) - 1))
    return list(dict.fromkeys(found))


def article_terms(*, question: str, answer: str, legal_basis: str, topic_label: str) -> Counter:
    """The weighted term frequencies of one article (see the module's note on weights)."""
    terms: Counter = Counter()
    for text, weight in ((question, QUESTION_WEIGHT), (topic_label, TOPIC_WEIGHT), (answer, 1), (legal_basis, 1)):
        for term, count in document_terms(text).items():
            terms[term] += count * weight
    return terms


def idf(*, documents: int, containing: int) -> float:
    """BM25's inverse document frequency, the always-positive variant (Lucene's)."""
    return math.log(1 + (documents - containing + 0.5) / (containing + 0.5))


def bm25(*, tf: float, length: float, average_length: float, idf_value: float) -> float:
    """One term's contribution; the SQL computes the same expression (tested against this)."""
    norm = K1 * (1 - B + B * length / average_length) if average_length else K1
    return idf_value * tf * (K1 + 1) / (tf + norm)


def highlight(text: str, terms: Iterable[str], *, width: int = 90) -> list[tuple[str, bool]]:
    """A window of `text` around the first match, cut into (piece, matched) parts for a template
    to mark up with escaping. Matching is on the normalised text, which keeps the length."""
    terms = [t for t in terms if t]
    plain = normalise(text)
    if len(plain) != len(text):  # NFKC changed the length (rare ligatures): show without marks
        return [(text[:width], False)]
    hits = [False] * len(text)
    for term in terms:
        start = plain.find(term)
        while start != -1:
            for i in range(start, start + len(term)):
                hits[i] = True
            start = plain.find(term, start + 1)
    first = hits.index(True) if True in hits else 0
    begin = max(0, first - width // 3)
    end = min(len(text), begin + width)
    parts: list[tuple[str, bool]] = []
    if begin:
        parts.append(("…", False))
    i = begin
    while i < end:
        j = i
        while j < end and hits[j] == hits[i]:
            j += 1
        parts.append((text[i:j], hits[i]))
        i = j
    if end < len(text):
        parts.append(("…", False))
    return parts
