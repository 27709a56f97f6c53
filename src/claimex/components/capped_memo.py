"""A memo of answers with a cap on its size, shared by the windowed matchers.

The windowed matchers keep the Matcher's answer for each kind of window they have seen (see
`attribution_windows` and `boundary_windows`). The kinds of window in real text are few, but a long
run over odd text could make them many, so the memo holds at most `limit` answers: a full memo is
emptied and refilled, which bounds memory at the cost of recomputing, never of a wrong answer.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

Answer = TypeVar("Answer")


class CappedMemo(dict[Hashable, Answer], Generic[Answer]):
    """A dict of at most `limit` entries: look answers up with `get`, store them with `keep`."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        if limit < 1:
            raise ValueError(f"a memo needs room for at least one answer, got limit {limit}")
        self.limit = limit

    def keep(self, key: Hashable, answer: Answer) -> Answer:
        """Store `answer` under `key` (emptying the memo first when it is full) and return it."""
        if len(self) >= self.limit:
            self.clear()
        self[key] = answer
        return answer
