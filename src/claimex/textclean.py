"""From the bytes of an input file to article text: decoding, and cleaning what is not text.

Real inputs are messy: UTF-8 with a byte-order mark, UTF-16 from Windows tools, stray bytes of a
legacy encoding, NUL bytes, HTML saved as text. `decode_bytes` and `clean_markup` turn them into the
text claimex extracts from, and say what they changed as `InputFlag`s, which the record carries in
`input_flags`:

- `bom_removed`: a UTF-8 or UTF-16 byte-order mark was dropped.
- `utf16_decoded`: the bytes were UTF-16 (with a byte-order mark, or recognised by their NUL bytes).
- `invalid_bytes_replaced`: bytes that are not valid UTF-8 (or UTF-16) became U+FFFD, as did the lone
  surrogates (`"\\ud800"`) of a JSON Lines text, which no UTF-8 output could hold.
- `nul_removed`: NUL characters were dropped.
- `html_stripped`: the text was HTML; its tags, comments, scripts and styles were removed, block
  elements became line breaks and character references were decoded.
- `html_entities_decoded`: plain text with HTML character references (`&amp;`, `&#8220;`): they
  were decoded.

Data that is mostly undecodable or control characters is not text: `BinaryInputError`.

Character offsets in a record always point into the cleaned text, which is the text whose SHA-256 is
the record's `text_sha256`, and the text the run store keeps. Everything here is linear in the length
of the input.
"""

from __future__ import annotations

import html
import html.entities
import re
from dataclasses import dataclass

from claimex.schema import InputFlag

BINARY_SHARE = 0.25
"""Decoded text with more than this share of U+FFFD and control characters is binary data ..."""
BINARY_MIN = 3
"""... when there are at least this many of them (a stray NUL in a three-letter text is not binary)."""

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_NOT_TEXT = re.compile("[\x00-\x08\x0e-\x1f\ufffd]")
_BLOCK_TAGS = frozenset(
    "address article aside blockquote br caption dd details div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6"
    " header hr li main nav ol p pre section summary table tbody thead tfoot title tr ul".split()
)
_CELL_TAGS = frozenset(("td", "th"))
_SKIPPED_TAGS = ("script", "style", "noscript", "template", "svg", "object", "iframe", "textarea")
_HTML_TAG = re.compile(
    r"<(?:!doctype\s+html|!--|/?(?:html|head|body|meta|title|script|style|%s|td|th|a|span|b|i|em|strong|img|sup|sub|small|u)"
    r"(?=[\s/>]))" % "|".join(sorted(_BLOCK_TAGS)),
    re.IGNORECASE,
)
_MARKUP = re.compile(
    r"<!--"
    r"|<(?P<skip>%s)(?=[\s/>])[^<>]*>"
    r"|</?(?P<tag>[A-Za-z][A-Za-z0-9:-]*)(?:[\s/][^<>]*)?>"
    r"|<[!?][^<>]*>" % "|".join(_SKIPPED_TAGS),
    re.IGNORECASE,
)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_INLINE_SPACE = re.compile(r"[ \t\r\n\f\v]+")
_SPACES = re.compile(r"[ \t]+")
_LINE_BREAKS = re.compile(r" ?\n[ \n]*")


class BinaryInputError(ValueError):
    """The input is binary data (an image, an archive, ...), not the text of an article."""


@dataclass(frozen=True)
class CleanText:
    """Article text and what was changed to get it (in the order the steps ran)."""

    text: str
    flags: tuple[InputFlag, ...] = ()


def decode_bytes(data: bytes) -> CleanText:
    """Decode input bytes: UTF-8 (or UTF-16), a byte-order mark dropped, bad bytes and NULs handled.

    Raises:
        BinaryInputError: more than `BINARY_SHARE` of the decoded characters are U+FFFD replacement
            characters or control characters (other than tab, line feed, carriage return, form feed).
    """
    flags: list[InputFlag] = []
    encoding = "utf-8"
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM):]
        flags.append("bom_removed")
    elif data.startswith(_UTF16_BOMS):
        encoding = "utf-16"  # reads and drops the byte-order mark
        flags += ["bom_removed", "utf16_decoded"]
    else:
        guessed = _guess_utf16(data)
        if guessed is not None:
            encoding = guessed
            flags.append("utf16_decoded")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
        flags.append("invalid_bytes_replaced")
    bad = len(_NOT_TEXT.findall(text))
    if bad >= BINARY_MIN and bad > BINARY_SHARE * len(text):
        raise BinaryInputError(
            f"{bad:,} of its {len(text):,} characters are control characters or bytes that are not UTF-8 or UTF-16,"
            " so it is binary data, not a text article"
        )
    if "\x00" in text:
        text = text.replace("\x00", "")
        flags.append("nul_removed")
    return CleanText(text, tuple(flags))


def _guess_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark, recognised by NUL bytes at every other position.

    Text in Latin script (and digits, punctuation, spaces) encoded as UTF-16 has a NUL as the high
    byte of most characters; UTF-8 text never has them in that pattern.
    """
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data:
        return None
    sample = data[:4096]
    half = len(sample) // 2
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def looks_like_html(text: str) -> bool:
    """True when the text has an HTML tag of a known element (`<p>`, `<br/>`, `</div>`, `<!--`, ...)."""
    return _HTML_TAG.search(text) is not None


def clean_markup(text: str) -> CleanText:
    """Text from HTML (tags stripped), or plain text with its HTML character references decoded.

    Text without markup is returned unchanged, with no flag.
    """
    if looks_like_html(text):
        return CleanText(html_to_text(text), ("html_stripped",))
    if "&" in text and _ENTITY.search(text):
        decoded = _ENTITY.sub(_decode_reference, text)
        if decoded != text:
            return CleanText(decoded, ("html_entities_decoded",))
    return CleanText(text)


def _decode_reference(match: re.Match[str]) -> str:
    """A numeric or named character reference decoded; an unknown name (`&notit;`) stays as it is."""
    reference = match.group()
    if reference[1] != "#" and reference[1:] not in html.entities.html5:
        return reference
    return html.unescape(reference)


def clean_text(text: str) -> CleanText:
    """Clean text given as a string the way files are cleaned: NULs dropped, HTML stripped."""
    flags: list[InputFlag] = []
    if "\x00" in text:
        text = text.replace("\x00", "")
        flags.append("nul_removed")
    cleaned = clean_markup(text)
    return CleanText(cleaned.text, tuple(flags) + cleaned.flags)


def html_to_text(markup: str) -> str:
    """The readable text of an HTML page or fragment.

    Comments, scripts and styles are dropped; block elements (`p`, `div`, `br`, `li`, headings, table
    rows, `title`, ...) end a paragraph, so each becomes a line of its own, separated by a blank line,
    the layout news text has; table cells are separated by a space; runs of white space inside a
    paragraph become one space; character references are decoded. A `<` that does not open a tag is
    text. An unclosed comment or script runs to the end, as in a browser.

    A scanner of its own rather than `html.parser`: the standard library's parser takes quadratic time
    on unclosed constructs before Python 3.13.4 (10,000 unclosed `<a ` took minutes); this one looks
    at every character a bounded number of times.
    """
    parts: list[str] = []
    position = 0
    end = len(markup)
    while position < end:
        match = _MARKUP.search(markup, position)
        if match is None:
            parts.append(_text_piece(markup[position:]))
            break
        parts.append(_text_piece(markup[position:match.start()]))
        skipped = match.group("skip")
        if match.group() == "<!--":
            close = markup.find("-->", match.end())
            position = end if close < 0 else close + 3
        elif skipped is not None:
            close = re.compile(r"</%s\s*>" % skipped, re.IGNORECASE).search(markup, match.end())
            position = end if close is None else close.end()
        else:
            tag = (match.group("tag") or "").lower()
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            elif tag in _CELL_TAGS:
                parts.append(" ")
            position = match.end()
    joined = _SPACES.sub(" ", "".join(parts))
    paragraphs = (line.strip() for line in _LINE_BREAKS.split(joined))
    return "\n\n".join(line for line in paragraphs if line)


def _text_piece(data: str) -> str:
    """Text between tags: character references decoded, white space runs made one space."""
    return _INLINE_SPACE.sub(" ", html.unescape(data) if "&" in data else data)
