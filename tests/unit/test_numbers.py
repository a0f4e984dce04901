"""Numbers of a number series: the rightmost digits count, keep their width, and order numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.domain.numbers import NoParts, increment_no, is_valid_no, no_key, split_no
from rapport.errors import ValidationError


@pytest.mark.parametrize(
    ("no", "by", "expected"),
    [
        ("SEG0001", 1, "SEG0002"),
        ("SEG0009", 1, "SEG0010"),
        ("A99", 1, "A100"),
        ("CT000001", 10, "CT000011"),
        ("X01-B", 1, "X02-B"),
        ("7", 3, "10"),
    ],
)
def test_increment_no_bumps_rightmost_digits_keeping_width(no: str, by: int, expected: str) -> None:
    assert increment_no(no, by) == expected


def test_increment_no_without_digits_is_refused() -> None:
    with pytest.raises(ValidationError, match="no digits"):
        increment_no("ABC")


def test_split_no_takes_the_rightmost_group_of_digits() -> None:
    assert split_no("2026-INV-0042/B") == NoParts("2026-INV-", 42, 4, "/B")
    assert split_no("NODIGITS") is None


def test_no_key_orders_by_counter_not_by_text() -> None:
    assert sorted(["A100", "A99", "A7"], key=no_key) == ["A7", "A99", "A100"]
    assert no_key("ABC") < no_key("ABC0")


@pytest.mark.parametrize(("no", "valid"), [
    ("SEG0001", True), ("SEG", False), ("X" * 19 + "1", True), ("X" * 20 + "1", False),
])
def test_is_valid_no_needs_digits_and_at_most_20_characters(no: str, valid: bool) -> None:
    assert is_valid_no(no) is valid


@given(prefix=st.text(alphabet="ABCXYZ-", max_size=5), value=st.integers(0, 10**6),
       width=st.integers(1, 8), by=st.integers(1, 1000))
def test_increment_no_counts_up_and_keeps_order(prefix: str, value: int, width: int,
                                                by: int) -> None:
    no = f"{prefix}{value:0{width}d}"
    after = increment_no(no, by)
    parts = split_no(after)
    assert parts is not None and parts.value == value + by and parts.prefix == prefix
    assert no_key(after) > no_key(no)
    assert len(after) >= len(no)
