"""User-facing errors: what is wrong, where (file:line:column) and how to fix it.

The CLI prints these without a traceback and exits with code 2.
"""
from __future__ import annotations


class PaibanError(Exception):
    """An error the user can fix: bad input, a missing file."""

    exit_code = 2

    def __init__(self, message: str, *, where: object = None, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        head = f"{self.where}: error: {self.message}" if self.where else f"error: {self.message}"
        return head + (f"\n  hint: {self.hint}" if self.hint else "")


class IssueFileError(PaibanError):
    """The issue file is not valid."""


class InternalError(PaibanError):
    """paiban made something it should not have (its own PDF failed its preflight): a bug."""

    exit_code = 3
