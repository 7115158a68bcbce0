"""Write a Tradewind strategy in Python: the engine runs it as a child process
(``[strategy] kind = "external"``) and speaks JSON lines with it on stdin/stdout.

Standard library only (Python 3.9+). Subclass :class:`Strategy`, override the callbacks you
need, return intents built with the helpers, and call :func:`run`::

    from tradewind_strategy import Strategy, run

    class Buyer(Strategy):
        def on_book(self, book):
            ask = book["best_yes_ask"]
            if ask is not None and book["fair"] is not None and book["fair"] > float(ask) + 0.05:
                return [self.place(book["ticker"], "bid", ask, "1", time_in_force="immediate_or_cancel")]
            return []

    if __name__ == "__main__":
        run(Buyer())

Every message from the engine is a ``dict`` as documented in ``docs/external-strategy.md``.
Prices and counts are exact decimal *strings* (``"0.4500"``, ``"1.00"``); keep them as strings
or use :class:`decimal.Decimal` -- never send a float for money. ``place`` and ``amend``
automatically carry ``reply_to`` (the message being answered) and ``place`` the epoch of the
market's latest book. ``tick`` is answered with ``pong`` for you. The loop ends when stdin
closes (the engine stopped or died). Write logs to stderr (or return :meth:`log` intents):
stdout is the protocol.
"""

import json
import sys
from decimal import Decimal

PROTOCOL_VERSION = 1

__all__ = ["Strategy", "run", "PROTOCOL_VERSION", "Decimal"]


def _dec(value):
    """A price or count as the protocol's decimal string."""
    if isinstance(value, float):
        raise TypeError("prices and counts must be str, int or Decimal, not float: %r" % value)
    # Fixed-point notation always: str(Decimal) may give "1E+1", which the engine refuses.
    return format(Decimal(str(value)), "f")


class Strategy:
    """Base class: override the ``on_*`` callbacks; each returns a list of intents (or None).

    Attributes kept for you: ``config`` (``[strategy.external] params``), ``restarts``,
    ``books`` (latest ``book`` per ticker), ``markets`` (price grid per ticker), ``orders``
    (latest ``order`` record per key, removed once over), ``positions`` (str per ticker),
    ``blackout`` (bool).
    """

    def __init__(self):
        self.config = {}
        self.restarts = 0
        self.books = {}
        self.markets = {}
        self.orders = {}
        self.positions = {}
        self.blackout = False
        self._seq = 0

    # ---- callbacks -----------------------------------------------------------------------
    def on_hello(self, hello):
        """The engine started this process (``hello["config"]`` = params)."""

    def on_market(self, market):
        """A market's price grid (``price_ranges``), before its first book."""

    def on_book(self, book):
        """The latest book of a market (conflated: the newest state only)."""

    def on_book_stale(self, ticker):
        """The market's book went stale; the engine cancels its orders there."""

    def on_position(self, ticker, position):
        """The position in ``ticker`` changed (decimal string, negative = NO)."""

    def on_fill(self, fill):
        """A fill of one of the engine's orders."""

    def on_order(self, order):
        """One of the engine's orders changed (``order["key"]``, ``order["state"]``, ...)."""

    def on_refused(self, intent, reason):
        """An intent was refused (risk limit, blackout, late answer, ...)."""

    def on_blackout(self, active):
        """A blackout started (True) or ended."""

    def on_tick(self, now):
        """The engine's timer (``now``: RFC 3339 UTC)."""

    def on_malformed(self, reason, line):
        """A line this process wrote was refused. Default: report it on stderr."""
        print("tradewind refused our line: %s: %s" % (reason, line), file=sys.stderr, flush=True)

    # ---- intents -------------------------------------------------------------------------
    def place(self, ticker, side, price, count, time_in_force="good_till_canceled",
              post_only=False, reduce_only=False, epoch=None):
        """An order: ``side`` "bid" buys YES, "ask" sells YES; ``price`` the YES price."""
        if epoch is None:
            epoch = self.books.get(ticker, {}).get("epoch", 0)
        return {"type": "place", "reply_to": self._seq, "ticker": ticker, "side": side,
                "price": _dec(price), "count": _dec(count), "epoch": epoch,
                "time_in_force": time_in_force, "post_only": post_only,
                "reduce_only": reduce_only}

    def amend(self, key, price, remaining):
        """A new price and resting size for the order ``key``."""
        return {"type": "amend", "reply_to": self._seq, "key": key,
                "price": _dec(price), "remaining": _dec(remaining)}

    @staticmethod
    def cancel(key):
        """Cancel one order by its key."""
        return {"type": "cancel", "key": key}

    @staticmethod
    def cancel_market(ticker):
        """Cancel every resting order of the engine in ``ticker``."""
        return {"type": "cancel_market", "ticker": ticker}

    @staticmethod
    def log(message, level="info"):
        """A line for the engine's log (debug, info, warn, error)."""
        return {"type": "log", "level": level, "message": str(message)}

    # ---- dispatch ------------------------------------------------------------------------
    def handle(self, msg):
        """Updates the kept state and calls the callback for one engine message."""
        kind = msg.get("type")
        self._seq = msg.get("seq", self._seq)
        if kind == "hello":
            self.config = msg.get("config") or {}
            self.restarts = msg.get("restarts", 0)
            self.blackout = msg.get("blackout", False)
            return self.on_hello(msg)
        if kind == "market":
            self.markets[msg["ticker"]] = msg["price_ranges"]
            return self.on_market(msg)
        if kind == "book":
            self.books[msg["ticker"]] = msg
            return self.on_book(msg)
        if kind == "book_stale":
            self.books.pop(msg["ticker"], None)
            return self.on_book_stale(msg["ticker"])
        if kind == "position":
            self.positions[msg["ticker"]] = msg["position"]
            return self.on_position(msg["ticker"], msg["position"])
        if kind == "fill":
            return self.on_fill(msg)
        if kind == "order":
            order = msg["order"]
            if order["state"] in ("executed", "canceled", "rejected", "not_sent"):
                self.orders.pop(order["key"], None)
            else:
                self.orders[order["key"]] = order
            return self.on_order(order)
        if kind == "refused":
            return self.on_refused(msg["intent"], msg["reason"])
        if kind == "blackout":
            self.blackout = msg["active"]
            return self.on_blackout(msg["active"])
        if kind == "tick":
            out = list(self.on_tick(msg["now"]) or [])
            return out + [{"type": "pong", "seq": msg["seq"]}]
        if kind == "malformed":
            return self.on_malformed(msg["reason"], msg["line"])
        return None  # a newer engine's message: ignore


def run(strategy, stdin=None, stdout=None):
    """Reads engine messages until stdin closes, answering each with the strategy's intents."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    try:
        for line in stdin:
            line = line.strip()
            if not line:
                continue
            try:
                msg = json.loads(line)
            except ValueError as e:
                print("tradewind_strategy: unreadable line from the engine: %s" % e,
                      file=sys.stderr, flush=True)
                continue
            for intent in strategy.handle(msg) or []:
                stdout.write(json.dumps(intent, separators=(",", ":")))
                stdout.write("\n")
            stdout.flush()
    except (BrokenPipeError, KeyboardInterrupt):
        pass  # the engine went away: nothing to answer
