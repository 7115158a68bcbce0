"""Test strategy for tests/external_strategy.rs: answers `hello` with two malformed lines (not
JSON; a place whose price is a float) and then trades as python/examples/take_edge.py does."""

import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "python"))
sys.path.insert(0, os.path.join(here, "..", "..", "python", "examples"))

from take_edge import TakeEdge  # noqa: E402
from tradewind_strategy import run  # noqa: E402


class MalformedThenTrade(TakeEdge):
    def on_hello(self, hello):
        sys.stdout.write("this is not json\n")
        sys.stdout.write('{"type":"place","reply_to":1,"ticker":"X-1","side":"bid",'
                         '"price":0.5,"count":"1.00","epoch":1}\n')
        sys.stdout.flush()
        return super().on_hello(hello)


if __name__ == "__main__":
    run(MalformedThenTrade())
