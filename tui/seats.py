"""Seats: sessions at once, in all and per address, shared by both doors (browser tabs and SSH)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

DEFAULT_SESSIONS = 40


@dataclass
class Seats:
    """Sessions at once, in all and per address: `take` gives a seat or says why not."""

    most: int = DEFAULT_SESSIONS
    per_address: int = DEFAULT_SESSIONS
    taken: Counter = field(default_factory=Counter)

    def take(self, address: str) -> str | None:
        """None and a seat taken, or the words key of why there is none."""
        if sum(self.taken.values()) >= self.most:
            return "serve.class_full"
        if self.taken[address] >= self.per_address:
            return "serve.address_full"
        self.taken[address] += 1
        return None

    def give_back(self, address: str) -> None:
        self.taken[address] -= 1
        if self.taken[address] <= 0:
            del self.taken[address]

    @property
    def in_use(self) -> int:
        return sum(self.taken.values())
