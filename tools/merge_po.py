"""Fill the Thai catalogue's empty translations from the part files in locale/parts/.

Used by `make messages` after makemessages: strings written in parallel are translated in
their own part files, then merged here. Prints what is still untranslated.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "th" / "LC_MESSAGES" / "django.po"


def key(entry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def main() -> int:
    known = {}
    for part in sorted((ROOT / "locale" / "parts").glob("*.po")):
        for entry in polib.pofile(str(part)):
            if entry.translated():
                known.setdefault(key(entry), entry)
    catalogue = polib.pofile(str(CATALOGUE))
    catalogue.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    catalogue.metadata["Language"] = "th"
    catalogue.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    filled = 0
    for entry in catalogue:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
            entry.msgstr_plural = {0: ""} if entry.msgid_plural else {}
            entry.previous_msgid = None
            entry.previous_msgid_plural = None  # a lone "#| msgid_plural" breaks msgmerge
        if entry.translated():
            continue
        source = known.get(key(entry))
        if source is None:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: source.msgstr_plural.get(0) or source.msgstr}
        else:
            entry.msgstr = source.msgstr
        filled += 1
    catalogue.save()
    missing = [entry.msgid for entry in catalogue if not entry.translated()]
    print(f"filled {filled}; untranslated {len(missing)}")
    for msgid in missing:
        print("  MISSING:", msgid.replace("\n", "\\n")[:120])
    return 0


if __name__ == "__main__":
    sys.exit(main())
