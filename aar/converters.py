"""Path converters for the follow-up URLs: an unknown export format or blog kind is a
404 by URL resolution, so no view has to check it."""

EXPORT_FORMATS = ("csv", "xlsx")
# A blog copy's kind, which is also its file extension, and its content type.
BLOG_KINDS = {"md": "text/markdown", "txt": "text/plain"}


class _ChoiceConverter:
    """One of ``choices``, refused at resolution (404) otherwise.

    The regex is ``str``'s, so the routes match the same strings as before and
    ``reverse()`` still builds an address for any value, e.g. an ``export.pdf`` to check
    that it is a 404."""

    regex = "[^/]+"
    choices: tuple[str, ...] = ()

    def to_python(self, value: str) -> str:
        if value not in self.choices:
            raise ValueError(value)
        return value

    def to_url(self, value: str) -> str:
        return value


class ExportFormatConverter(_ChoiceConverter):
    choices = EXPORT_FORMATS


class BlogKindConverter(_ChoiceConverter):
    choices = tuple(BLOG_KINDS)
