//! The recorded book brought into the venue ([`super::mirror`]): the book account's orders grown and
//! shrunk level by level to the recording's sizes.

use chrono::{DateTime, Utc};
use kalshi::{Count, OrderId, Price, Ticker, book::OrderBook, types::BookSide};
use kalshi_sim::engine::{OrderRequest, modify::Decrease};

use super::{
    Venue,
    mirror::{Queued, shrink_plan, target_levels},
};

impl Venue {
    /// Brings the book's orders in `ticker` to the recorded `book`: shrinks first, then grows.
    pub(super) fn sync(&mut self, ticker: &Ticker, book: &OrderBook, now: DateTime<Utc>) {
        let target = target_levels(book);
        let levels = self.levels.entry(ticker.clone()).or_default();
        levels.extend(target.iter().map(|(s, p, _)| (*s == BookSide::Bid, *p)));
        let keys: Vec<(BookSide, Price)> = levels
            .iter()
            .map(|(bid, p)| (if *bid { BookSide::Bid } else { BookSide::Ask }, *p))
            .collect();
        let want = |side, price| {
            target
                .iter()
                .find(|(s, p, _)| *s == side && *p == price)
                .map_or(Count::ZERO, |t| t.2)
        };
        let mut grow = Vec::new();
        for (side, price) in keys {
            let have = self.mirror_size(ticker, side, price);
            let want = want(side, price);
            if want < have {
                self.shrink(ticker, side, price, have - want, now);
            } else if want > have {
                grow.push((side, price, want - have));
            }
        }
        for (side, price, n) in grow {
            if self.trades_only && self.crosses_strategy(ticker.as_str(), side, price) {
                continue;
            }
            self.clear_crossing(ticker, side, price, now);
            let req = OrderRequest::limit(ticker.clone(), side, price, n);
            // Refused (a closed market): the level stays as it is.
            let _ = self.ex.create_order(self.book, req, now);
        }
    }

    fn queue(&self, ticker: &str, side: BookSide, price: Price) -> Vec<(OrderId, Queued)> {
        let Some(q) = self
            .ex
            .market(ticker)
            .and_then(|m| m.book.queue(side, price))
        else {
            return Vec::new();
        };
        q.iter()
            .filter_map(|k| self.ex.order(*k))
            .map(|o| {
                let queued = Queued {
                    mirror: o.account == self.book,
                    remaining: o.remaining_count,
                };
                (o.order_id.clone(), queued)
            })
            .collect()
    }

    fn mirror_size(&self, ticker: &str, side: BookSide, price: Price) -> Count {
        self.queue(ticker, side, price)
            .iter()
            .filter(|(_, q)| q.mirror)
            .map(|(_, q)| q.remaining)
            .sum()
    }

    fn shrink(
        &mut self,
        ticker: &str,
        side: BookSide,
        price: Price,
        by: Count,
        now: DateTime<Utc>,
    ) {
        let queue = self.queue(ticker, side, price);
        let plain: Vec<Queued> = queue.iter().map(|(_, q)| *q).collect();
        for (i, n) in shrink_plan(&plain, by, self.conservative) {
            let (id, q) = &queue[i];
            // The book's own orders: a refusal would mean the order is gone already.
            let _ = if n >= q.remaining {
                self.ex
                    .cancel_order(self.book, id.as_str(), now)
                    .map(|_| ())
            } else {
                self.ex
                    .decrease_order(self.book, id.as_str(), Decrease::By(n), now)
                    .map(|_| ())
            };
        }
    }

    /// Before the book grows at `price` on `side`: its own orders left on the other side that
    /// the growth would cross (size the conservative model kept ahead of a strategy order
    /// after the recording cancelled it) are cancelled, so the recorded order is not refused
    /// as a self-trade.
    fn clear_crossing(
        &mut self,
        ticker: &Ticker,
        side: BookSide,
        price: Price,
        now: DateTime<Utc>,
    ) {
        let other = match side {
            BookSide::Bid => BookSide::Ask,
            BookSide::Ask => BookSide::Bid,
        };
        let crossing: Vec<Price> = self
            .levels
            .get(ticker)
            .into_iter()
            .flatten()
            .filter(|(bid, p)| {
                (*bid == (other == BookSide::Bid))
                    && match side {
                        BookSide::Bid => *p <= price,
                        BookSide::Ask => *p >= price,
                    }
            })
            .map(|(_, p)| *p)
            .collect();
        for p in crossing {
            for (id, q) in self.queue(ticker, other, p) {
                if q.mirror {
                    // The book's own order: a refusal means it is gone already.
                    let _ = self.ex.cancel_order(self.book, id.as_str(), now);
                }
            }
        }
    }
}
