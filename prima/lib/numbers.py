"""Numbers in Indonesian words ("empat", "dua belas", "seratus lima puluh") as official
texts write them next to the digits: "4 (empat) hari kerja".

Pure functions: no Django import.
"""

from __future__ import annotations

_UNITS_ID = [
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
]
_UNITS_EN = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS_EN = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES_ID = [(10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (1000, "ribu")]
_SCALES_EN = [(10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand")]


def _below_thousand_id(n: int) -> str:
    if n < 12:
        return _UNITS_ID[n]
    if n < 20:
        return f"{_UNITS_ID[n - 10]} belas"
    if n < 100:
        tens, rest = divmod(n, 10)
        text = f"{_UNITS_ID[tens]} puluh"
        return f"{text} {_UNITS_ID[rest]}" if rest else text
    hundreds, rest = divmod(n, 100)
    text = "seratus" if hundreds == 1 else f"{_UNITS_ID[hundreds]} ratus"
    return f"{text} {_below_thousand_id(rest)}" if rest else text


def words_id(n: int) -> str:
    """``n`` in Indonesian words: 4 → "empat", 1000 → "seribu", 2500 → "dua ribu lima
    ratus"; negative numbers start with "minus"."""
    if n < 0:
        return f"minus {words_id(-n)}"
    if n < 1000:
        return _below_thousand_id(n)
    for scale, name in _SCALES_ID:
        if n >= scale:
            head, rest = divmod(n, scale)
            text = "seribu" if scale == 1000 and head == 1 else f"{words_id(head)} {name}"
            return f"{text} {words_id(rest)}" if rest else text
    raise AssertionError("unreachable")  # pragma: no cover


def _below_thousand_en(n: int) -> str:
    if n < 20:
        return _UNITS_EN[n]
    if n < 100:
        tens, rest = divmod(n, 10)
        return f"{_TENS_EN[tens]}-{_UNITS_EN[rest]}" if rest else _TENS_EN[tens]
    hundreds, rest = divmod(n, 100)
    text = f"{_UNITS_EN[hundreds]} hundred"
    return f"{text} {_below_thousand_en(rest)}" if rest else text


def words_en(n: int) -> str:
    """``n`` in English words: 4 → "four", 2500 → "two thousand five hundred"."""
    if n < 0:
        return f"minus {words_en(-n)}"
    if n < 1000:
        return _below_thousand_en(n)
    for scale, name in _SCALES_EN:
        if n >= scale:
            head, rest = divmod(n, scale)
            text = f"{words_en(head)} {name}"
            return f"{text} {words_en(rest)}" if rest else text
    raise AssertionError("unreachable")  # pragma: no cover


def words(n: int, lang: str = "id") -> str:
    """``n`` in words of the language (``id`` or ``en``)."""
    return words_en(n) if lang.startswith("en") else words_id(n)


# --- Reading numbers written in words ------------------------------------------------------
# The inverse of words(): "tiga ratus lima puluh ribu" → 350000, "twenty-five" → 25. Each
# word has a class that says what may follow it; a word that cannot continue the number
# ends it, so "dua tiga" reads as two numbers.
_UNIT, _TEN, _TEEN, _TENS, _BELAS, _PULUH, _RATUS, _HUNDRED, _SCALE, _SE_SCALE, _ZERO = range(11)

_WORD_CLASSES: dict[str, tuple[int, int]] = {
    **{w: (_UNIT, n) for n, w in enumerate(_UNITS_ID[1:10], start=1)},
    **{w: (_UNIT, n) for n, w in enumerate(_UNITS_EN[1:10], start=1)},
    "nol": (_ZERO, 0),
    "zero": (_ZERO, 0),
    "sepuluh": (_TEEN, 10),
    "sebelas": (_TEEN, 11),
    **{w: (_TEEN, n) for n, w in enumerate(_UNITS_EN[10:20], start=10)},
    **{w: (_TENS, n * 10) for n, w in enumerate(_TENS_EN) if w},
    "belas": (_BELAS, 10),
    "puluh": (_PULUH, 10),
    "ratus": (_RATUS, 100),
    "seratus": (_TEN, 100),
    "hundred": (_HUNDRED, 100),
    **{name: (_SCALE, scale) for scale, name in _SCALES_ID},
    **{name: (_SCALE, scale) for scale, name in _SCALES_EN},
    "milyar": (_SCALE, 10**9),
    "seribu": (_SE_SCALE, 1000),
    "sejuta": (_SE_SCALE, 10**6),
}
NUMBER_WORDS = frozenset(_WORD_CLASSES)


class _WordNumber:
    """The state of one number being read word by word."""

    def __init__(self) -> None:
        self.total = 0  # thousands and above
        self.group = 0  # below a thousand, committed
        self.pending: int | None = None  # a unit (or English tens) awaiting a multiplier
        self.slot = 3  # 3: hundreds may follow, 2: tens, 1: units, 0: nothing in this group
        self.scale = 10**15  # the last scale used; the next must be smaller
        self.last = -1
        self.words = 0

    @property
    def value(self) -> int:
        return self.total + self.group + (self.pending or 0)

    def take(self, cls: int, n: int) -> bool:
        """Add a word; False (state unchanged) when it cannot continue this number."""
        if self.last == _ZERO:
            return False
        if cls == _ZERO:
            if self.words:
                return False
        elif cls == _UNIT:
            if self.pending is None and self.slot >= 1:
                self.pending = n
            elif self.last == _TENS and self.slot == 1 and self.pending is not None:
                self.pending += n
                self.slot = 0
            else:
                return False
        elif cls in (_TEEN, _TENS):
            if self.pending is not None or self.slot < 2:
                return False
            if cls == _TENS:
                self.pending, self.slot = n, 1
            else:
                self.group += n
                self.slot = 0
        elif cls == _TEN:  # seratus
            if self.pending is not None or self.slot < 3:
                return False
            self.group += n
            self.slot = 2
        elif cls in (_BELAS, _PULUH):
            if self.last != _UNIT or self.pending is None or self.pending > 9 or self.slot < 2:
                return False
            self.group += self.pending + 10 if cls == _BELAS else self.pending * 10
            self.pending = None
            self.slot = 0 if cls == _BELAS else 1
        elif cls in (_RATUS, _HUNDRED):
            if self.last != _UNIT or self.pending is None or self.slot < 3:
                return False
            self.group += self.pending * 100
            self.pending, self.slot = None, 2
        elif cls == _SCALE:
            head = self.group + (self.pending or 0)
            if head == 0 or n >= self.scale:
                return False
            self.total += head * n
            self.group, self.pending, self.slot, self.scale = 0, None, 3, n
        else:  # seribu, sejuta
            if self.group or self.pending is not None or n >= self.scale:
                return False
            self.total += n
            self.slot, self.scale = 3, n
        self.last = cls
        self.words += 1
        return True


def read_words(words: list[str]) -> list[tuple[int, int, int]]:
    """Numbers in a run of number words: ``(first index, end index, value)`` for each, in
    order. ``["dua", "ratus", "lima", "puluh"]`` → ``[(0, 4, 250)]``; ``["dua", "tiga"]`` →
    two numbers; "and" between English parts is skipped ("one hundred and five"); a word
    that is not a number word ends the run."""
    found: list[tuple[int, int, int]] = []
    current: _WordNumber | None = None
    start = 0
    end = 0
    i = 0
    while i < len(words):
        word = words[i].lower()
        if word == "and" and current is not None and current.last in (_HUNDRED, _SCALE):
            i += 1
            continue
        entry = _WORD_CLASSES.get(word)
        if entry is None:
            break
        if current is None or not current.take(*entry):
            if current is not None:
                if (
                    current.last == _UNIT
                    and current.pending is not None
                    and current.words > 1
                    and entry[0] in (_BELAS, _PULUH, _RATUS, _HUNDRED)
                ):
                    # "dua ratus dua ratus": the last unit starts the next number.
                    found.append((start, end - 1, current.value - current.pending))
                    current = _WordNumber()
                    start = end - 1
                    current.take(_UNIT, _WORD_CLASSES[words[start].lower()][1])
                    if current.take(*entry):
                        end = i + 1
                        i += 1
                        continue
                found.append((start, end, current.value))
            current = _WordNumber()
            start = i
            if not current.take(*entry):  # a scale or multiplier cannot start a number
                current = None
                i += 1
                continue
        end = i + 1
        i += 1
    if current is not None:
        found.append((start, end, current.value))
    return found
