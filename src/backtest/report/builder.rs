//! [`ReportBuilder`]: events in, [`Report`] out. Keeps one [`Market`] ledger per market traded
//! and the run's totals, updated by difference so a mark costs one map lookup and a few
//! additions — no mark is stored (the curve samples them).

use std::collections::BTreeMap;

use kalshi::{Count, Ticker};

use super::{
    curve::Curve,
    drawdown::DrawdownTracker,
    event::{LedgerEvent, RunMeta},
    exact::{Exact, ratio},
    exposure::ExposureTracker,
    market::{Contribution, Market},
    model::{
        Drawdown, Exposure, FORMAT, MarketRow, OpenPosition, Report, RoundTrips, SettlementEdge,
        Summary,
    },
    tally::{EdgeTally, TripTally},
};

/// Builds the report from events in time order (`ns` non-decreasing; ties in the given order).
#[derive(Debug)]
pub struct ReportBuilder {
    meta: RunMeta,
    markets: BTreeMap<Ticker, Market>,
    totals: Contribution,
    drawdown: DrawdownTracker,
    exposure: ExposureTracker,
    curve: Curve,
    last_ns: u64,
}

impl ReportBuilder {
    /// An empty ledger for the run `meta` describes (equity zero at `meta.from_ns`).
    pub fn new(meta: RunMeta) -> Self {
        ReportBuilder {
            markets: BTreeMap::new(),
            totals: Contribution::default(),
            drawdown: DrawdownTracker::new(meta.from_ns),
            exposure: ExposureTracker::new(meta.from_ns),
            curve: Curve::new(meta.from_ns, meta.to_ns),
            last_ns: meta.from_ns,
            meta,
        }
    }

    /// Books one event.
    pub fn push(&mut self, e: LedgerEvent) {
        let ns = e.ns();
        self.last_ns = self.last_ns.max(ns);
        self.exposure.advance(ns);
        let is_mark = matches!(e, LedgerEvent::Mark(_));
        let market = match &e {
            LedgerEvent::Fill(f) => self.markets.entry(f.ticker.clone()).or_default(),
            LedgerEvent::Settle(s) => match self.markets.get_mut(s.ticker.as_str()) {
                Some(m) => m,
                None => return,
            },
            LedgerEvent::Mark(m) => match self.markets.get_mut(m.ticker.as_str()) {
                Some(market) => market,
                None => return,
            },
        };
        let before = market.contribution();
        match &e {
            LedgerEvent::Fill(f) => market.fill(f),
            LedgerEvent::Settle(s) => market.settle(s.value),
            LedgerEvent::Mark(m) => market.mark(m.price, m.ns),
        }
        let after = market.contribution();
        if is_mark && after == before {
            return;
        }
        let t = &mut self.totals;
        t.equity += after.equity - before.equity;
        t.exposure += after.exposure - before.exposure;
        t.contracts += after.contracts - before.contracts;
        self.exposure.set(ns, t.exposure, t.contracts);
        self.drawdown.observe(ns, t.equity);
        if is_mark {
            self.curve.mark(ns, t.equity);
        } else {
            self.curve.event(ns, t.equity);
        }
    }

    /// The report.
    pub fn finish(self) -> Report {
        let end = self.meta.to_ns.max(self.last_ns);
        let dd = self.drawdown.max();
        let ex = self.exposure.finish(end);
        let (mut trips, mut edge) = (TripTally::default(), EdgeTally::default());
        for m in self.markets.values() {
            trips.merge(&m.trips);
            edge.merge(&m.edge);
        }
        let open = open_positions(&self.markets);
        Report {
            format: FORMAT,
            summary: summary(&self.markets),
            drawdown: Drawdown {
                amount: dd.amount.to_money(),
                peak: dd.peak.to_money(),
                peak_ns: dd.peak_ns,
                trough: dd.trough.to_money(),
                trough_ns: dd.trough_ns,
            },
            exposure: Exposure {
                max: ex.max.to_money(),
                max_ns: ex.max_ns,
                mean: ex.mean.to_money(),
                max_contracts: ex.max_contracts,
                max_contracts_ns: ex.max_contracts_ns,
            },
            round_trips: RoundTrips {
                closed: trips.closed,
                wins: trips.wins,
                losses: trips.losses,
                flat: trips.closed - trips.wins - trips.losses,
                open: open.len() as u64,
                hit_rate: ratio(trips.wins, trips.closed),
            },
            settlement_edge: SettlementEdge {
                fills: edge.fills,
                positive: edge.positive,
                hit_rate: ratio(edge.positive, edge.fills),
                amount: edge.amount.to_money(),
            },
            markets: self.markets.iter().map(|(t, m)| row(t, m)).collect(),
            open,
            equity_curve: self.curve.finish(end, self.totals.equity),
            meta: self.meta,
        }
    }
}

/// Realised + settled − fees + unrealised: the market's P&L.
fn total(m: &Market) -> Exact {
    m.realised + m.settled - m.fees + m.unrealised()
}

/// `part / all` of two counts.
fn count_ratio(part: Count, all: Count) -> Option<String> {
    ratio(part.centis().unsigned_abs(), all.centis().unsigned_abs())
}

fn summary(markets: &BTreeMap<Ticker, Market>) -> Summary {
    let sum =
        |f: &dyn Fn(&Market) -> Exact| markets.values().map(f).fold(Exact::ZERO, |a, b| a + b);
    let contracts: Count = markets.values().map(|m| m.bought + m.sold).sum();
    let maker: Count = markets.values().map(|m| m.maker_contracts).sum();
    Summary {
        total: sum(&total).to_money(),
        realised: sum(&|m| m.realised).to_money(),
        settled: sum(&|m| m.settled).to_money(),
        fees: sum(&|m| m.fees).to_money(),
        unrealised: sum(&Market::unrealised).to_money(),
        fills: markets.values().map(|m| m.fills).sum(),
        maker_fills: markets.values().map(|m| m.maker_fills).sum(),
        contracts,
        maker_share: count_ratio(maker, contracts),
        markets: markets.len() as u64,
    }
}

fn row(ticker: &Ticker, m: &Market) -> MarketRow {
    MarketRow {
        ticker: ticker.clone(),
        fills: m.fills,
        bought: m.bought,
        sold: m.sold,
        maker_share: count_ratio(m.maker_contracts, m.bought + m.sold),
        fees: m.fees.to_money(),
        realised: m.realised.to_money(),
        settled: m.settled.to_money(),
        open: m.unrealised().to_money(),
        total: total(m).to_money(),
        settlement: m.settlement,
        round_trips: m.trips.closed,
        wins: m.trips.wins,
    }
}

fn open_positions(markets: &BTreeMap<Ticker, Market>) -> Vec<OpenPosition> {
    markets
        .iter()
        .filter(|(_, m)| !m.pos.is_zero())
        .map(|(t, m)| OpenPosition {
            ticker: t.clone(),
            position: m.pos,
            mark: m.mark_price(),
            mark_ns: m.mark.map(|at| at.ns),
            unrealised: m.unrealised().to_money(),
        })
        .collect()
}
