"""CappedMemo: answers kept up to a limit, the memo emptied and refilled when full."""

from __future__ import annotations

import pytest

from claimex.components.capped_memo import CappedMemo


def test_a_full_memo_is_emptied_before_the_next_answer_is_kept() -> None:
    memo: CappedMemo[int] = CappedMemo(2)
    assert memo.keep("a", 1) == 1 and memo.keep("b", 2) == 2
    assert dict(memo) == {"a": 1, "b": 2}
    assert memo.keep("c", 3) == 3
    assert dict(memo) == {"c": 3}


def test_a_memo_needs_room_for_one_answer() -> None:
    with pytest.raises(ValueError, match="at least one"):
        CappedMemo(0)
