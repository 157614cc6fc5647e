"""Domain errors that carry the text a user should see; one error handler turns them into an answer."""


class AppError(Exception):
    def __init__(self, user_text: str) -> None:
        super().__init__(user_text)
        self.user_text = user_text
