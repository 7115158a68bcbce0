"""Test strategy for tests/external_strategy.rs: in its first run it rests one post-only bid
at the lowest price of one market, and as soon as the engine reports that order resting it
crashes (exit code 3, no goodbye). Every later run only keeps quiet (and answers ticks)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))

from tradewind_strategy import Strategy, run  # noqa: E402


class CrashOnce(Strategy):
    placed = False

    def on_hello(self, hello):
        return [self.log("crash_once run %d" % self.restarts)]

    def on_book(self, book):
        if self.restarts > 0 or self.placed or book["best_yes_bid"] is None:
            return []
        self.placed = True
        return [self.place(book["ticker"], "bid", "0.01", "1", post_only=True)]

    def on_order(self, order):
        if self.restarts == 0 and order["state"] == "resting":
            print("crash_once: order %s rests; crashing" % order["key"], file=sys.stderr, flush=True)
            os._exit(3)


if __name__ == "__main__":
    run(CrashOnce())
