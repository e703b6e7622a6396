"""Exceptions that carry a message for the user (in Chinese) and an exit code."""

from __future__ import annotations


class GovxlError(Exception):
    """Base class: ``str(error)`` is shown to the user as it is."""

    exit_code = 2


class UsageError(GovxlError):
    """The command was called wrongly (bad option, unsupported year, ...)."""


class InputError(GovxlError):
    """An input file cannot be used at all."""


class OutputError(GovxlError):
    """An output cannot be written (held open by Excel, no permission, no space); nothing half-written is left."""
