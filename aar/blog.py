"""Blog-ready copies, in the four-part form of the source post, for GotoKnow and the like."""

import re

from django.utils.translation import gettext as _

from aar.models import AAR_PARTS
from peerassist.dates import format_thai_date

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-!|~=])")
# "1." or "1)" at the start of a line would begin a numbered list.
ORDERED_LIST = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


def md_escape(text: str) -> str:
    """User text as Markdown that shows literally: no headings, lists, links, autolinks
    or HTML sneak in. HTML characters become entities, Markdown ones get a backslash."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return ORDERED_LIST.sub(r"\1\\\2", text)


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _headings() -> dict[str, str]:
    return {
        "goal": _("My personal goal"),
        "achieved": _("What was achieved this time"),
        "not_achieved": _("What was not achieved this time, and why"),
        "next_steps": _("What I will do next"),
    }


def _signature(participant) -> str:
    """Signed as in the source post: the name, then who they are."""
    if participant.organisation:
        return f"{participant.full_name} ({participant.organisation.label})"
    return participant.full_name


def aar_blog(aar, *, markdown: bool, heading: str | None = None) -> str:
    """One AAR in the four parts of the source post, signed with the writer's name.

    ``aar.participant.session`` is read: select it, or set it, in lists."""
    participant = aar.participant
    esc = md_escape if markdown else (lambda text: text)
    headings = _headings()
    if heading is None:
        heading = _("AAR: %(title)s") % {"title": participant.session.title}
    lines = [f"## {esc(heading)}" if markdown else heading, ""]
    for name in AAR_PARTS:
        text = _lines(getattr(aar, name))
        if markdown:
            # Continuation lines are indented so they stay inside the list item.
            lines.append(f"- **{headings[name]}**: {esc(text)}".replace("\n", "\n  "))
        else:
            lines.append(f"- {headings[name]}: {text}")
        lines.append("")
    signature = _signature(participant)
    lines.append(f"*{esc(signature)}*" if markdown else signature)
    return "\n".join(lines).strip() + "\n"


def session_blog(session, aars, *, markdown: bool) -> str:
    """The whole session: what it was, the facilitator's summary and advice, then
    every AAR given, each under its writer's name."""
    esc = md_escape if markdown else (lambda text: text)
    lines = [f"# {esc(session.title)}" if markdown else session.title, ""]
    peers = ", ".join(peer.label for peer in session.peers.all())
    facts = [
        (_("Date"), format_thai_date(session.date, long=True)),
        (_("Host"), session.host.label),
        (_("Peers"), peers),
        (_("Purpose"), _lines(session.purpose)),
    ]
    for label, value in facts:
        if value:
            if markdown:
                lines.append(f"- **{label}**: {esc(value)}".replace("\n", "\n  "))
            else:
                lines.append(f"- {label}: {value}")
    lines.append("")
    for label, value in (
        (_("The facilitator's summary"), session.summary),
        (_("Advice"), session.advice),
    ):
        if value.strip():
            lines.append(f"## {label}" if markdown else label)
            lines.append(esc(_lines(value)))
            lines.append("")
    for aar in aars:
        heading = _("AAR of %(name)s") % {"name": aar.participant.full_name}
        lines.append(aar_blog(aar, markdown=markdown, heading=heading))
        lines.append("")
    return "\n".join(lines).strip() + "\n"
