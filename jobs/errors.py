class UserInputError(ValueError):
    """A request the user can fix: the message says how (HTTP 400, or a CLI error)."""


class VisitorJobLimit(Exception):
    """The visitor already has the most unfinished jobs allowed (HTTP 429)."""
