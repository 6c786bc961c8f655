"""Catalogue search: the same products in the same order on PostgreSQL and SQLite.

A query is cut into words (`text.words`). Each word stands for catalogue terms,
looked up in the words table the database triggers keep (never in process
memory, so every worker and server answers alike):

1. the word as typed, also as the start of a longer word ("kres" → kresek);
2. else the word without an Indonesian clitic (-nya, -ku, -mu, -lah, -kah,
   -pun: "tasnya" → tas), when that is a catalogue word;
3. else a category or POSDAYA whose name has a word starting so: the word
   then keeps to those products ("flamboyan" → POSDAYA Flamboyan);
4. else the nearest catalogue words by edit distance ("dompett" → dompet,
   "tsa" → tas), or the nearest category or POSDAYA word.

A product matches when its name or description has every word (one of its
terms). At most SEARCH_LIMIT products are listed: the newest name matches and
the newest matches overall, each fetched from the index with a LIMIT, are
ranked here, in Python, by one key on both engines:

    exact name > every word in the name > more words in the name
    > category/POSDAYA name matches a word (a boost, not a match)
    > more whole words (not prefixes) in the name > shorter name > newest (pk)

A typo correction is tried only for a word that matches nothing as typed, so
it never outranks an exact match. With a sort (`urut`) the same bounded set is
listed in that order. When more products match than are listed the result says
so (`capped`); an empty result carries "maksud Anda …?" suggestions.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from ..models import ProductMaterial
from . import backends, text
from .backends import Term

SEARCH_LIMIT = 240
TYPO_ALTERNATIVES = 3
MAX_SUGGESTIONS = 3

__all__ = ["SEARCH_LIMIT", "SearchResult", "search_products"]


@dataclass
class Word:
    """One query word and what it stands for."""

    text: str
    terms: list[Term] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)  # typo → these words
    categories: set[int] = field(default_factory=set)
    posdaya: set[int] = field(default_factory=set)
    materials: set[int] = field(default_factory=set)  # waste categories

    @property
    def has_groups(self) -> bool:
        return bool(self.categories or self.posdaya or self.materials)

    @property
    def group_only(self) -> bool:
        return not self.terms and self.has_groups

    def in_groups(self) -> Q:
        """Return the condition "the product's category, POSDAYA or material"."""
        condition = Q(category__in=self.categories) | Q(posdaya__in=self.posdaya)
        if self.materials:
            condition |= Q(
                Exists(
                    ProductMaterial.objects.filter(
                        product=OuterRef("pk"), waste_category__in=self.materials
                    )
                )
            )
        return condition

    @property
    def matched(self) -> bool:
        return bool(self.terms) or self.group_only


class CategoryLink(NamedTuple):
    name: str
    url: str


@dataclass
class SearchResult:
    """The listed products of a search and what the page says about them."""

    query: str
    products: QuerySet
    count: int
    capped: bool
    words: list[Word]
    suggestions: list[str] = field(default_factory=list)
    categories: list[CategoryLink] = field(default_factory=list)
    limit: int = SEARCH_LIMIT

    @property
    def corrected_query(self) -> str:
        """Return the query as searched, when a typo was corrected, else ""."""
        if not any(word.corrected for word in self.words):
            return ""
        return " ".join(
            word.corrected[0] if word.corrected else word.text for word in self.words
        )


class _Groups:
    """Categories, active POSDAYA and waste categories, with their names' words.

    A word naming one of them can stand for its products (category, maker,
    material: "tas kresek" is a bag made of kresek). One query.
    """

    def __init__(self):
        rows = backends.groups()
        # For the links of an empty result: every category, in display order.
        self.categories = [
            CategoryLink(name, reverse("catalog:category", kwargs={"slug": slug}))
            for _kind, _pk, name, slug, _order in sorted(
                (row for row in rows if row[0] == "c"), key=lambda row: (row[4], row[2])
            )
        ]
        self.rows = [(kind, pk, text.words(name)) for kind, pk, name, _s, _o in rows]
        # The catalogue words fetched for typo matching, if any were.
        self.catalogue: list[tuple[str, int]] = []

    def vocabulary(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for _kind, _pk, tokens in self.rows:
            for token in tokens:
                counts[token] = counts.get(token, 0) + 1
        return sorted(counts.items())

    def mark(self, word: Word, forms: list[str], *, prefix: bool) -> None:
        """Note the groups whose name has a word equal to (or starting with) a form."""
        for kind, pk, tokens in self.rows:
            if any(
                token.startswith(form) if prefix else token == form
                for form in forms
                for token in tokens
            ):
                {"c": word.categories, "p": word.posdaya, "w": word.materials}[
                    kind
                ].add(pk)


def _resolve(query_words: list[str], groups: _Groups) -> list[Word]:
    """Find what each query word stands for (one or two queries)."""
    stems = {word: text.stems(word) for word in query_words}
    known = backends.known_words(
        query_words, sorted({stem for found in stems.values() for stem in found})
    )
    words, unresolved = [], []
    for typed in query_words:
        word = Word(typed)
        stem = next((stem for stem in stems[typed] if stem in known), None)
        starting = [found for found in known if found.startswith(typed)]
        if starting:
            # The word itself when no other catalogue word starts with it: the
            # same products, and an exact lookup is cheaper than a prefix scan.
            word.terms = [Term(typed, prefix=starting != [typed])]
            groups.mark(word, [typed], prefix=True)
        elif stem:
            word.terms = [Term(stem, prefix=True)]
            groups.mark(word, [stem], prefix=True)
        else:
            groups.mark(word, [typed, *stems[typed]], prefix=True)
            if not word.group_only:
                unresolved.append(word)
        words.append(word)
    typo_words = [word for word in unresolved if text.max_typos(word.text)]
    if typo_words:
        # Wide enough for the looser suggestions of an empty result too.
        lengths = [len(word.text) for word in typo_words]
        catalogue = backends.vocabulary(min(lengths) - 3, max(lengths) + 3)
        groups.catalogue = catalogue
        for word in typo_words:
            found = text.closest(word.text, catalogue, limit=TYPO_ALTERNATIVES)
            if found:
                word.terms = [Term(each, prefix=False) for each in found]
                word.corrected = found
                groups.mark(word, found, prefix=False)
                continue
            found = text.closest(
                word.text, groups.vocabulary(), limit=TYPO_ALTERNATIVES
            )
            if found:
                word.corrected = found
                groups.mark(word, found, prefix=False)
    return words


def _condition(words: list[Word], *, name_only: bool) -> Q:
    """Return "every word is in the product's text or names one of its groups".

    At least one word must be in the text itself, so that a word naming a
    category only narrows and boosts ("tas kresek"), and never brings in every
    product of the category ("tas" alone finds what says "tas"). A word the
    catalogue's text does not have at all keeps to its groups ("flamboyan").
    """
    text_words = [word for word in words if word.terms]
    condition = Q()
    plain = [
        word.terms for word in text_words if len(text_words) == 1 or not word.has_groups
    ]
    if plain:
        condition &= Q(backends.matches(plain, name_only=name_only))
    either = [word for word in text_words if word.terms not in plain]
    for word in either:
        condition &= (
            Q(backends.matches([word.terms], name_only=name_only)) | word.in_groups()
        )
    if either and not plain:
        anywhere = [term for word in either for term in word.terms]
        condition &= Q(backends.matches([anywhere], name_only=name_only))
    for word in words:
        if word.group_only:
            condition &= word.in_groups()
    return condition


def _rank_key(row, words: list[Word], text_words: list[Word], typed: list[str]):
    pk, name, category_id, posdaya_id = row
    tokens = text.words(name)
    in_name = whole = 0
    for word in text_words:
        hit = full = False
        for term in word.terms:
            for token in tokens:
                if token == term.text:
                    hit = full = True
                elif term.prefix and token.startswith(term.text):
                    hit = True
        in_name += hit
        whole += full
    boost = sum(
        1
        for word in words
        if category_id in word.categories or posdaya_id in word.posdaya
    )
    return (
        tokens == typed,
        in_name == len(text_words),
        in_name,
        boost,
        whole,
        -len(tokens),
        pk,
    )


def _suggestions(query_words: list[str], words: list[Word], groups: _Groups):
    """Return other queries that find something: corrected words, single words."""
    found: list[str] = []
    unmatched = [word for word in words if not word.matched]
    if unmatched:
        catalogue = groups.catalogue + groups.vocabulary()
        replaced = []
        for word in words:
            if word.matched:
                replaced.append(word.text)
                continue
            nearest = text.closest(word.text, catalogue, limit=1, loose=True)
            if nearest:
                replaced.append(nearest[0])
        found.append(" ".join(replaced))
    if len(words) > 1:
        found += [
            word.corrected[0] if word.corrected else word.text
            for word in words
            if word.matched
        ]
    unique = []
    for phrase in found:
        if phrase and phrase != " ".join(query_words) and phrase not in unique:
            unique.append(phrase)
    return unique[:MAX_SUGGESTIONS]


def search_products(
    queryset: QuerySet, query: str, *, ordering: tuple[str, ...] | None = None
) -> SearchResult | None:
    """Search `queryset` (already filtered) for `query`; None when it has no words.

    Returns at most SEARCH_LIMIT products, ranked (see the module docstring),
    or in `ordering` when a sort is given. Runs a fixed number of queries:
    categories and POSDAYA, the words table (twice when a word needs a typo
    correction), the name matches and all matches.
    """
    query_words = text.query_words(query)
    if not query_words:
        return None
    groups = _Groups()
    words = _resolve(query_words, groups)
    if not all(word.matched for word in words):
        return SearchResult(
            query=query,
            products=queryset.none(),
            count=0,
            capped=False,
            words=words,
            suggestions=_suggestions(query_words, words, groups),
            categories=groups.categories,
            limit=SEARCH_LIMIT,
        )
    text_words = [word for word in words if word.terms]
    fields = ("pk", "name", "category_id", "posdaya_id")
    rows: dict[int, tuple] = {}
    if text_words:
        # The newest name matches first, so that a flood of description
        # matches cannot push them out of the bounded set.
        by_name = queryset.filter(_condition(words, name_only=True))
        for row in by_name.order_by("-pk").values_list(*fields)[:SEARCH_LIMIT]:
            rows[row[0]] = row
    narrowed = queryset.filter(_condition(words, name_only=False))
    everything = list(narrowed.order_by("-pk").values_list(*fields)[: SEARCH_LIMIT + 1])
    capped = len(everything) > SEARCH_LIMIT
    for row in everything[:SEARCH_LIMIT]:
        rows.setdefault(row[0], row)
    ranked = sorted(
        rows.values(),
        key=lambda row: _rank_key(row, words, text_words, query_words),
        reverse=True,
    )[:SEARCH_LIMIT]
    ids = [row[0] for row in ranked]
    if not ids:
        products = queryset.none()
    elif ordering:
        products = queryset.filter(pk__in=ids).order_by(*ordering)
    else:
        products = queryset.filter(pk__in=ids).alias(search_rank=backends.position(ids))
        products = products.order_by("search_rank")
    return SearchResult(
        query=query,
        products=products,
        count=len(ids),
        capped=capped,
        words=words,
        suggestions=[] if ids else _suggestions(query_words, words, groups),
        categories=[] if ids else groups.categories,
        limit=SEARCH_LIMIT,
    )
