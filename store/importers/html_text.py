"""Plain text from the HTML of posts and profiles, keeping code and paragraph breaks."""

from html import unescape

from bs4 import BeautifulSoup

BLOCKS = "p div li pre blockquote br hr tr h1 h2 h3 h4 h5 h6".split()


def html_to_text(html: str) -> str:
    """Text content of an HTML fragment: code kept verbatim, one line per block, spaces folded."""
    if "<" not in html:
        return _fold(unescape(html))
    soup = BeautifulSoup(html, "html.parser")
    for block in soup.find_all(BLOCKS):
        block.insert_after("\n")
    return _fold(soup.get_text())


def _fold(text: str) -> str:
    """Fold runs of spaces within lines and drop blank lines."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
