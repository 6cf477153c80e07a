"""Blog-ready copies, in the four-part form of the AAR, for GotoKnow and the like.

A copy is built once as a short list of blocks (a title, headings, facts, paragraphs, the
four parts and a signature), then written out three ways: Markdown and plain text to copy
or download, and HTML for the preview shown beside them. The preview is made from the
blocks, never by reading the Markdown back: every word a person wrote goes through
Django's escaping, and the only tags on the page are the few made here.

The four parts carry the AAR form's own labels (the model's verbose names), so the copy
says word for word what the writer saw when writing.
"""

import dataclasses
import re

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from aar.models import parts_of
from aar.privacy import anonymous_answers
from peerassist.dates import format_thai_date

# Special wherever they stand: emphasis, code, links and images ("(" and "!" only count
# after "[" or "]", so they stay as typed), tables, strikethrough, attribute lists.
INLINE_SPECIAL = re.compile(r"([\\`*_\[\]{}|~])")
# Special only at the start of a line: headings, list bullets, setext underlines.
LINE_START = re.compile(r"^(\s*)([#+=-])", re.MULTILINE)
# "1." or "1)" at the start of a line would begin a numbered list.
ORDERED_LIST = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


def md_escape(text: str) -> str:
    """User text as Markdown that shows literally: no headings, lists, links, autolinks
    or HTML sneak in. HTML characters become entities, and Markdown ones get a backslash
    only where Markdown would read them, so "(HRD)" or "สคส. - สสส." stay as typed."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = INLINE_SPECIAL.sub(r"\\\1", text)
    text = LINE_START.sub(r"\1\\\2", text)
    return ORDERED_LIST.sub(r"\1\\\2", text)


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


@dataclasses.dataclass(frozen=True)
class Block:
    """One piece of a copy. ``kind`` is title, heading, items, text or signature."""

    kind: str
    text: str = ""
    items: tuple[tuple[str, str], ...] = ()
    # A list whose items stand apart (a blank line between them): the four parts.
    loose: bool = False


def part_labels(parts=None) -> dict[str, str]:
    """The questions' labels as the AAR form shows them, in the active language (KMI's
    four parts by default)."""
    return {part.key: str(part.label) for part in (parts or parts_of(None))}


def _signature(participant) -> str:
    """Signed as in the source post: the name, then who they are."""
    if participant.organisation:
        return f"{participant.full_name} ({participant.organisation.label})"
    return participant.full_name


def aar_blocks(aar, *, heading: str | None = None) -> list[Block]:
    """One AAR in its four parts, signed with the writer's name: only the parts shown
    under the name (the others go, without it, in the session's copy); nothing when
    every part is shown without the name.

    ``aar.participant.session`` is read: select it, or set it, in lists."""
    participant = aar.participant
    if heading is None:
        heading = _("AAR: %(title)s") % {"title": participant.session.title}
    parts = tuple(
        (str(part.label), _lines(aar.answer(part.key)))
        for part in parts_of(aar.question_set)
        if not aar.is_anonymous(part.key)
    )
    if not parts:
        return []
    return [
        Block("heading", heading),
        Block("items", items=parts, loose=True),
        Block("signature", _signature(participant)),
    ]


def anonymous_blocks(aars) -> list[Block]:
    """The answers their writers asked to show without their name: under no name, by
    question, each question's answers in the order of their words."""
    # A blog is public: a question with too few such answers to hide among is left out.
    questions = [question for question in anonymous_answers(aars) if question["answers"]]
    if not questions:
        return []
    blocks = [Block("heading", _("Shown without names"))]
    for question in questions:
        label = str(question["label"])
        blocks.append(
            Block("items", items=tuple((label, _lines(text)) for text in question["answers"]))
        )
    return blocks


def session_blocks(session, aars) -> list[Block]:
    """The whole session: what it was, the facilitator's summary and advice, then every
    AAR given, each under its writer's name."""
    peers = ", ".join(peer.label for peer in session.peers.all())
    facts = (
        (_("Date"), format_thai_date(session.date, long=True)),
        (_("Host"), session.host.label),
        (_("Peers"), peers),
        (_("Purpose"), _lines(session.purpose)),
    )
    blocks = [
        Block("title", session.title),
        Block("items", items=tuple((label, value) for label, value in facts if value)),
    ]
    for label, value in (
        (_("The facilitator's summary"), session.summary),
        (_("Advice"), session.advice),
    ):
        if value.strip():
            blocks += [Block("heading", label), Block("text", _lines(value))]
    for aar in aars:
        heading = _("AAR of %(name)s") % {"name": aar.participant.full_name}
        blocks += aar_blocks(aar, heading=heading)
    return blocks + anonymous_blocks(aars)


def as_markdown(blocks: list[Block]) -> str:
    out = []
    for block in blocks:
        if block.kind == "title":
            out.append(f"# {md_escape(block.text)}")
        elif block.kind == "heading":
            out.append(f"## {md_escape(block.text)}")
        elif block.kind == "items":
            # Continuation lines are indented so they stay inside the list item.
            items = [
                f"- **{md_escape(label)}**: {md_escape(value)}".replace("\n", "\n  ")
                for label, value in block.items
            ]
            out.append(("\n\n" if block.loose else "\n").join(items))
        elif block.kind == "signature":
            out.append(f"*{md_escape(block.text)}*")
        else:
            out.append(md_escape(block.text))
    return "\n\n".join(part for part in out if part) + "\n"


def as_text(blocks: list[Block]) -> str:
    out = []
    for block in blocks:
        if block.kind == "items":
            items = [f"- {label}: {value}" for label, value in block.items]
            out.append(("\n\n" if block.loose else "\n").join(items))
        else:
            out.append(block.text)
    return "\n\n".join(part for part in out if part) + "\n"


def as_html(blocks: list[Block], *, level: int = 4) -> SafeString:
    """The preview: the title at heading ``level`` (so it fits under the page's own
    headings), the other headings one below. Text keeps its line breaks (pre-wrap)."""
    out = []
    for block in blocks:
        if block.kind in ("title", "heading"):
            tag = f"h{level if block.kind == 'title' else level + 1}"
            size = "h5" if block.kind == "title" else "h6 fw-bold mt-3"
            out.append(format_html('<{0} class="{1}">{2}</{0}>', tag, size, block.text))
        elif block.kind == "items" and block.items:
            items = format_html_join(
                "",
                '<li><strong>{}</strong>: <span class="pre-wrap">{}</span></li>',
                block.items,
            )
            out.append(format_html('<ul class="{}">{}</ul>', "mb-3", items))
        elif block.kind == "signature":
            out.append(format_html("<p><em>{}</em></p>", block.text))
        elif block.text:
            out.append(format_html('<p class="pre-wrap">{}</p>', block.text))
    return format_html_join("\n", "{}", ((html,) for html in out))


def aar_blog(aar, *, markdown: bool, heading: str | None = None) -> str:
    """One AAR, as Markdown or as plain text."""
    blocks = aar_blocks(aar, heading=heading)
    return as_markdown(blocks) if markdown else as_text(blocks)


def session_blog(session, aars, *, markdown: bool) -> str:
    """The whole session, as Markdown or as plain text."""
    blocks = session_blocks(session, aars)
    return as_markdown(blocks) if markdown else as_text(blocks)
