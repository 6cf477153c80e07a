"""Add or update translations in a part file: python tools/add_po.py PART.po 'msgid' 'msgstr' ..."""

import sys

import polib


def main(path: str, pairs: list[str]) -> None:
    try:
        po = polib.pofile(path)
    except OSError:
        po = polib.POFile()
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "th"}
    for msgid, msgstr in zip(pairs[::2], pairs[1::2], strict=True):
        entry = po.find(msgid)
        if entry:
            entry.msgstr = msgstr
        else:
            po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    po.save(path)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
