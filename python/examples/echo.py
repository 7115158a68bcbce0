"""The trivial strategy `tradewind bench external` times the protocol with: answers every book
with one post-only bid at the book's best YES bid (priced on that book: its epoch, reply_to)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from tradewind_strategy import Strategy, run  # noqa: E402


class Echo(Strategy):
    def on_book(self, book):
        bid = book["best_yes_bid"] or "0.01"
        return [self.place(book["ticker"], "bid", bid, "1", post_only=True)]


if __name__ == "__main__":
    run(Echo())
