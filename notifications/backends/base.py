"""The interface every backend keeps, and the one error type whose flags decide retry or give up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from notifications.models import Message


@dataclass(frozen=True)
class Delivery:
    """What a backend reports for an accepted message."""

    notify_id: str
    preview: str = ""


class SendError(Exception):
    """A send that did not succeed.

    `retryable`: try again later (rate limit, Notify down). `uncertain`: the request may have reached
    Notify (a timeout, a 5xx), so look the reference up before sending again.
    """

    def __init__(self, message: str, *, retryable: bool, uncertain: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.uncertain = uncertain


class Backend(Protocol):
    name: str
    # What the backend cannot do (anymail's habit): a recorder has nothing to look up.
    can_look_up: bool
    counts_against_rate_limit: bool

    def send(self, message: Message) -> Delivery: ...

    def look_up(self, reference: str) -> str | None:
        """The Notify id of a message already sent with `reference`, or None."""
        ...
