"""Thai words, segmented with PyThaiNLP's ``newmm`` tokenizer: Thai is written without
spaces between words, so a query typed as one run of Thai ("การสื่อสารในทีม") is
searched as its words ("การสื่อสาร", "ทีม"), wherever they are in the text, not only
as that exact run. Its Thai stop-word list drops the words that match everything."""

import re
from functools import cache

THAI = re.compile(r"[\u0e00-\u0e7f]")
# A run this short is one word or less: not worth segmenting.
MIN_SEGMENT = 5


@cache
def _stop_words() -> frozenset[str]:
    from pythainlp.corpus import thai_stopwords

    return frozenset(thai_stopwords())


def segment(text: str) -> list[str]:
    """``text``'s words in order, without spaces and punctuation."""
    from pythainlp.tokenize import word_tokenize

    return [word for word in word_tokenize(text, engine="newmm") if word.strip()]


def search_words(term: str) -> list[str]:
    """The words to look for in one typed term: a long Thai run becomes its words
    other than stop words; anything else (English, a short Thai word) stays as typed.
    A run made only of stop words stays whole."""
    if len(term) < MIN_SEGMENT or not THAI.search(term):
        return [term]
    words = [word for word in segment(term) if word not in _stop_words()]
    return words or [term]
