"""Domain errors: one exception type with a stable code and a message in the user's language.

Services raise them; the API's exception handler and the pages turn them into
answers. Clients switch on ``code``; people read ``message``.
"""


class DomainError(Exception):
    status_code = 400

    def __init__(
        self,
        message,
        code: str = "invalid",
        *,
        field: str | None = None,
        status_code: int | None = None,
    ):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field
        if status_code is not None:
            self.status_code = status_code


class Conflict(DomainError):
    status_code = 409


class NotAllowed(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404
