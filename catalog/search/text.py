"""Words of a query or a product, the same on every database.

The database triggers (migration 0003) cut product text the same way: NFKD,
combining accents dropped, lower case, runs of letters and digits. A query is
cut here with the same rules, so "Dómpet", "DOMPET" and "dompet" are one word.
"""

import re
import unicodedata

from rapidfuzz.distance import OSA

MAX_QUERY_CHARS = 100
MAX_WORDS = 8
MAX_WORD_CHARS = 40

# The ranges PostgreSQL's catalog_search_text() strips (migration 0003).
_MARKS = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)
_WORD = re.compile(r"[^\W_]+")

# Indonesian clitics and particles that end a word without changing what it
# names: tasnya (its bag), dompetku (my wallet), vaslah, tasmu, tempatkah.
SUFFIXES = ("nya", "lah", "kah", "pun", "ku", "mu")
MIN_STEM = 3


def words(text: str) -> list[str]:
    """Return the normalised words of `text`, in order."""
    text = _MARKS.sub("", unicodedata.normalize("NFKD", text)).lower()
    return _WORD.findall(text)


def query_words(query: str) -> list[str]:
    """Return the distinct words of a shopper's query, at most MAX_WORDS."""
    found: list[str] = []
    for word in words(query[:MAX_QUERY_CHARS]):
        word = word[:MAX_WORD_CHARS]
        if word not in found:
            found.append(word)
    return found[:MAX_WORDS]


def stems(word: str) -> list[str]:
    """Return `word` without an Indonesian clitic or particle, if it has one."""
    return [
        word[: -len(suffix)]
        for suffix in SUFFIXES
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM
    ]


def max_typos(word: str, *, loose: bool = False) -> int:
    """Return how many edits a word may be from a catalogue word to match it."""
    if len(word) < 3:
        return 1 if loose and len(word) == 2 else 0
    allowed = 1 if len(word) <= 5 else 2
    return allowed + 1 if loose else allowed


def closest(word: str, vocabulary: list[tuple[str, int]], *, limit: int, loose=False):
    """Return the catalogue words nearest `word` by edit distance (swaps count 1).

    `vocabulary` is (word, products) pairs. Only the words at the smallest
    distance found are returned, the most used first, then alphabetically, so
    the answer depends on the data alone.
    """
    allowed = max_typos(word, loose=loose)
    if not allowed:
        return []
    scored = []
    for candidate, products in vocabulary:
        if candidate == word or abs(len(candidate) - len(word)) > allowed:
            continue
        distance = OSA.distance(word, candidate, score_cutoff=allowed)
        if distance <= allowed:
            scored.append((distance, -products, candidate))
    if not scored:
        return []
    scored.sort()
    best = scored[0][0]
    return [candidate for distance, _, candidate in scored if distance == best][:limit]
