"""Telling Vietnamese text from English by its letters, for tests of the language switch."""

from __future__ import annotations

import re
import unicodedata

# After NFD every Vietnamese letter but đ is a base letter followed by a circumflex, breve or horn
# (â ă ê ô ơ ư) or a tone mark (grave, acute, hook above, tilde, dot below).
_MARKED_LETTER = re.compile(r"[đĐ]|[^\W\d_][\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b]")


def has_vietnamese(text: str) -> bool:
    return bool(_MARKED_LETTER.search(unicodedata.normalize("NFD", text)))


def vietnamese_words(text: str) -> list[str]:
    """The words of ``text`` that carry a Vietnamese letter, to name them in a failure."""
    return [word for word in text.split() if has_vietnamese(word)]
