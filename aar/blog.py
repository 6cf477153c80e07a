"""Blog-ready copies, in the four-part form of the source post, for GotoKnow and the like."""

import re

from django.utils.translation import gettext as _

from aar.models import AAR_PARTS
from sessions_app.templatetags.peerassist import format_thai_date

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-!|~])")


def md_escape(text: str) -> str:
    """User text as Markdown that shows literally: no headings, links or HTML sneak in."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _headings() -> dict[str, str]:
    return {
        "goal": _("My personal goal"),
        "achieved": _("What was achieved this time"),
        "not_achieved": _("What was not achieved this time, and why"),
        "next_steps": _("What I will do next"),
    }


def aar_blog(aar, *, markdown: bool) -> str:
    participant = aar.participant
    esc = md_escape if markdown else (lambda text: text)
    headings = _headings()
    lines = []
    title = _("AAR: %(title)s") % {"title": participant.session.title}
    lines.append(f"## {esc(title)}" if markdown else title)
    lines.append("")
    for name in AAR_PARTS:
        text = getattr(aar, name).replace("\r\n", "\n").strip()
        if markdown:
            lines.append(f"- **{headings[name]}**: {esc(text)}".replace("\n", "\n  "))
        else:
            lines.append(f"- {headings[name]}: {text}")
        lines.append("")
    signature = participant.full_name
    if participant.organisation:
        signature += f" ({participant.organisation.label})"
    lines.append(f"*{esc(signature)}*" if markdown else signature)
    return "\n".join(lines).strip() + "\n"


def session_blog(session, aars, *, markdown: bool) -> str:
    esc = md_escape if markdown else (lambda text: text)
    lines = [f"# {esc(session.title)}" if markdown else session.title, ""]
    peers = ", ".join(peer.label for peer in session.peers.all())
    facts = [
        (_("Date"), format_thai_date(session.date, long=True)),
        (_("Host"), session.host.label),
        (_("Peers"), peers),
        (_("Purpose"), session.purpose),
    ]
    for label, value in facts:
        if value:
            lines.append(f"- **{label}**: {esc(value)}" if markdown else f"- {label}: {value}")
    lines.append("")
    for label, value in ((_("The facilitator's summary"), session.summary), (_("Advice"), session.advice)):
        if value:
            lines.append(f"### {label}" if markdown else label)
            lines.append(esc(value.replace("\r\n", "\n").strip()))
            lines.append("")
    for aar in aars:
        lines.append(aar_blog(aar, markdown=markdown))
        lines.append("")
    return "\n".join(lines).strip() + "\n"
