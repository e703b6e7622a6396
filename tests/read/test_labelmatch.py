"""How a printed label's numbering is compared with the editions' (govxl.read.labelmatch)."""

from __future__ import annotations

import pytest

from govxl.read.labelmatch import renumbered
from govxl.read.vocabulary import clean


@pytest.mark.parametrize("printed", ["1、申请人", "1.申请人", "1．申请人", "（1）申请人", "(1)申请人", "1)申请人"])
def test_a_sub_rows_numbering_is_compared_however_it_is_printed(printed: str) -> None:
    assert clean(printed) == "1.申请人"


@pytest.mark.parametrize("text", ["2019年", "1,000", "1.5", "3、", "一、总体情况", "（一）予以公开"])
def test_what_is_not_a_sub_rows_numbering_is_left_alone(text: str) -> None:
    assert renumbered(text) == text
