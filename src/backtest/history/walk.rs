//! One market's candles and trades merged in time order — pure: a trade at a candle's end
//! before its close; the quotes shown followed, a candle's close shown when it changed, a
//! trade printing through the quote moving that side to its price.

use kalshi::types::BookSide;

use super::{
    frames::quotes,
    items::{Counts, Item, Quote, ns_of_us},
    read::{History, TradeRow},
};

/// The taker's side of the YES book: `Bid` bought YES (took the ask).
pub(super) fn taker(t: &TradeRow) -> Option<BookSide> {
    match (
        t.taker_book_side.as_deref(),
        t.taker_outcome_side.as_deref(),
    ) {
        (Some("bid"), _) | (None, Some("yes")) => Some(BookSide::Bid),
        (Some("ask"), _) | (None, Some("no")) => Some(BookSide::Ask),
        _ => None,
    }
}

/// The quotes shown so far in one market.
struct Shown {
    market: u32,
    open_ns: u64,
    quote: Option<Quote>,
    seq: u32,
}

impl Shown {
    /// Shows `q` at `at` (never before the market is listed) unless it is shown already.
    fn show(&mut self, at: u64, q: Quote, items: &mut Vec<(u64, Item)>) {
        if self.quote == Some(q) {
            return;
        }
        self.quote = Some(q);
        self.seq += 1;
        let item = Item::Quote {
            market: self.market,
            seq: self.seq,
            quote: q,
        };
        items.push((at.max(self.open_ns), item));
    }
}

/// One market's candles and trades merged in time order (a trade at a candle's end first),
/// its quotes followed.
pub(super) fn walk(
    h: &History,
    (market, open_ns): (u32, u64),
    (cs, ts): (&[u32], &[u32]),
    (items, counts): (&mut Vec<(u64, Item)>, &mut Counts),
) {
    let mut shown = Shown {
        market,
        open_ns,
        quote: None,
        seq: 0,
    };
    let (mut ci, mut ti) = (0, 0);
    loop {
        let candle = cs.get(ci).map(|&i| &h.candles[i as usize]);
        let trade = ts.get(ti).map(|&i| (i, &h.trades[i as usize]));
        match (candle, trade) {
            (c, Some((i, tr))) if c.is_none_or(|c| tr.at_us <= c.end_us) => {
                ti += 1;
                let at = ns_of_us(tr.at_us).unwrap_or(0);
                items.push((at, Item::Trade { trade: i, market }));
                if let Some(moved) = shown.quote.and_then(|q| through(q, tr)) {
                    counts.quotes_moved += 1;
                    shown.show(at, moved, items);
                }
            }
            (Some(c), _) => {
                ci += 1;
                match quotes(c.bid, c.ask) {
                    Some(q) => shown.show(ns_of_us(c.end_us).unwrap_or(0), q, items),
                    None => counts.crossed_candles += 1,
                }
            }
            (None, _) => break,
        }
    }
}

/// The quote after `tr` printed through it (`None`: it did not): a buy above the ask moves
/// the ask to its price, a sell below the bid moves the bid.
fn through((bid, ask): Quote, tr: &TradeRow) -> Option<Quote> {
    let p = tr.yes_price;
    match taker(tr)? {
        BookSide::Bid => ask.filter(|a| p > *a).map(|_| (bid, Some(p))),
        BookSide::Ask => bid.filter(|b| p < *b).map(|_| (Some(p), ask)),
    }
}
