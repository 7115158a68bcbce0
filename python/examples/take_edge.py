"""Takes when the forecast's fair value beats the book: buys one YES at the best ask when
``fair - ask >= min_edge``, sells one YES at the best bid when ``bid - fair >= min_edge``
(immediate-or-cancel), holds at most ``max_position`` contracts either way per market, keeps
one order in flight per market and waits ``cooldown_s`` between orders in a market.

Run by the engine: ``tradewind run --config config/external-python.toml``. Settings come from
``[strategy.external.params]``.
"""

import os
import sys
import time
from decimal import Decimal

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from tradewind_strategy import Strategy, run  # noqa: E402


class TakeEdge(Strategy):
    def on_hello(self, hello):
        self.min_edge = Decimal(str(self.config.get("min_edge", "0.03")))
        self.max_position = Decimal(str(self.config.get("max_position", 5)))
        self.cooldown_s = float(self.config.get("cooldown_s", 2))
        self.busy = set()  # markets with an order in flight
        self.last = {}  # market -> monotonic time of its last order
        return [self.log("take_edge started (restarts: %d, min_edge %s)"
                         % (self.restarts, self.min_edge))]

    def on_book(self, book):
        ticker, fair = book["ticker"], book["fair"]
        if fair is None or ticker in self.busy:
            return []
        if time.monotonic() - self.last.get(ticker, -1e9) < self.cooldown_s:
            return []
        fair = Decimal(str(fair))
        position = Decimal(book["position"])
        ask, bid = book["best_yes_ask"], book["best_yes_bid"]
        if ask is not None and fair - Decimal(ask) >= self.min_edge and position < self.max_position:
            return self._take(ticker, "bid", ask)
        if bid is not None and Decimal(bid) - fair >= self.min_edge and -position < self.max_position:
            return self._take(ticker, "ask", bid)
        return []

    def _take(self, ticker, side, price):
        self.busy.add(ticker)
        self.last[ticker] = time.monotonic()
        return [self.place(ticker, side, price, "1", time_in_force="immediate_or_cancel")]

    def on_order(self, order):
        if order["state"] in ("executed", "canceled", "rejected", "not_sent"):
            self.busy.discard(order["ticker"])

    def on_refused(self, intent, reason):
        self.busy.discard(intent.get("ticker"))
        print("refused: %s (%s)" % (reason, intent), file=sys.stderr, flush=True)

    def on_fill(self, fill):
        print("fill: %s %s %s @ %s" % (fill["ticker"], fill["side"], fill["count"], fill["price"]),
              file=sys.stderr, flush=True)


if __name__ == "__main__":
    run(TakeEdge())
