"""Text from files, shown literally: never markup, never a terminal escape.

A profile is named by whoever made it. A name such as ``[bold red]x[/]`` or one holding
``ESC[2J`` must reach the admin as those characters, not as styling or a cleared screen,
so every string that came from a file or the store goes through :func:`literal`.
"""

from __future__ import annotations

from rich.text import Text

_C0_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}
_C0_PICTURES[0x7F] = "\u2421"  # ␡


def sanitize(value: object) -> str:
    """``value`` as a printable one-line string: control characters become visible pictures.

    C0 controls (ESC is ``␛``) and DEL map to the Unicode control pictures; C1 controls
    (which some terminals also obey) become ``\\x9b``-style escapes.
    """
    out: list[str] = []
    for char in str(value):
        code = ord(char)
        if code in _C0_PICTURES:
            out.append(_C0_PICTURES[code])
        elif 0x80 <= code <= 0x9F:
            out.append(f"\\x{code:02x}")
        else:
            out.append(char)
    return "".join(out)


def literal(value: object, style: str = "") -> Text:
    """A Rich ``Text`` that shows ``value`` exactly (sanitized), whatever brackets it holds."""
    return Text(sanitize(value), style=style, no_wrap=True, overflow="ellipsis")


def literal_lines(value: str, style: str = "") -> Text:
    """Like :func:`literal`, but the newlines of ``value`` (our own layout: a question's lines,
    indented JSON) stay line breaks; everything else on each line is shown exactly."""
    return Text("\n").join(literal(line, style) for line in value.split("\n"))


def clip(value: object, width: int) -> str:
    """Sanitized and cut to ``width`` cells with an ellipsis, for fixed columns."""
    text = sanitize(value)
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"
