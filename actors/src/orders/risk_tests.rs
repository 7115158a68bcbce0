use super::*;

fn c(n: i64) -> Count {
    Count::from_whole(n)
}

fn d(s: &str) -> Money {
    Money::parse(s).unwrap()
}

const LIMITS: RiskLimits = RiskLimits {
    max_contracts_per_order: Count::from_whole(10),
    max_position_per_market: Count::from_whole(20),
    max_total_exposure: Money::from_cents(5_000),
    max_open_orders: 3,
    max_orders_per_minute: 5,
    max_daily_loss: Money::from_cents(1_000),
};

fn bid(n: i64, cents: u32) -> Proposal {
    Proposal {
        side: BookSide::Bid,
        price: Price::from_cents(cents).unwrap(),
        count: c(n),
        reduce_only: false,
    }
}

/// Each case: what is open, the proposal, and the limit expected to refuse it (None = pass).
#[test]
fn each_limit_refuses_the_order_that_would_break_it() {
    let calm = Exposure::default();
    let cases: Vec<(&str, Exposure, Proposal, Option<Limit>)> = vec![
        ("a small order passes", calm, bid(5, 50), None),
        ("size at the limit passes", calm, bid(10, 50), None),
        (
            "size above it",
            calm,
            bid(11, 50),
            Some(Limit::MaxContractsPerOrder),
        ),
        (
            "position: resting bids count",
            Exposure {
                position: c(8),
                resting_bids: c(5),
                ..calm
            },
            bid(8, 50),
            Some(Limit::MaxPositionPerMarket),
        ),
        (
            "position: a bid against a NO position shrinks it",
            Exposure {
                position: c(-20),
                ..calm
            },
            bid(10, 50),
            None,
        ),
        (
            "position: asks grow NO",
            Exposure {
                position: c(-15),
                resting_asks: c(2),
                ..calm
            },
            Proposal {
                side: BookSide::Ask,
                ..bid(4, 50)
            },
            Some(Limit::MaxPositionPerMarket),
        ),
        (
            "exposure includes resting orders",
            Exposure {
                total: d("46.00"),
                ..calm
            },
            bid(10, 50),
            Some(Limit::MaxTotalExposureDollars),
        ),
        (
            "exposure of an ask is its NO cost",
            Exposure {
                total: d("46.00"),
                ..calm
            },
            Proposal {
                side: BookSide::Ask,
                ..bid(10, 70)
            },
            None,
        ),
        (
            "open orders",
            Exposure {
                open_orders: 3,
                ..calm
            },
            bid(1, 50),
            Some(Limit::MaxOpenOrders),
        ),
        (
            "orders per minute",
            Exposure {
                orders_last_minute: 5,
                ..calm
            },
            bid(1, 50),
            Some(Limit::MaxOrdersPerMinute),
        ),
        (
            "daily loss",
            Exposure {
                daily_pnl: d("-10.00"),
                ..calm
            },
            bid(1, 50),
            Some(Limit::MaxDailyLossDollars),
        ),
        (
            "reduce-only skips position and exposure",
            Exposure {
                position: c(-30),
                total: d("60.00"),
                ..calm
            },
            Proposal {
                reduce_only: true,
                ..bid(10, 50)
            },
            None,
        ),
        (
            "reduce-only still obeys the loss limit",
            Exposure {
                daily_pnl: d("-11.00"),
                ..calm
            },
            Proposal {
                reduce_only: true,
                ..bid(1, 50)
            },
            Some(Limit::MaxDailyLossDollars),
        ),
    ];
    for (what, x, p, want) in cases {
        let got = check(&LIMITS, &x, &p).err().map(|b| b.limit);
        assert_eq!(got, want, "{what}");
    }
}

#[test]
fn a_refusal_names_its_limit() {
    let err = check(&LIMITS, &Exposure::default(), &bid(11, 50)).unwrap_err();
    assert!(err.to_string().contains("max_contracts_per_order"), "{err}");
}

#[test]
fn reduce_only_means_shrinking_the_position() {
    assert!(reduces(c(5), BookSide::Ask, c(5)));
    assert!(!reduces(c(5), BookSide::Ask, c(6)));
    assert!(!reduces(c(5), BookSide::Bid, c(1)));
    assert!(reduces(c(-5), BookSide::Bid, c(2)));
    assert!(!reduces(Count::ZERO, BookSide::Bid, c(1)));
}

#[test]
fn the_rate_window_forgets_after_sixty_seconds() {
    let mut w = RateWindow::default();
    let s = 1_000_000_000u128;
    w.record(0);
    w.record(30 * s);
    assert_eq!(w.count(59 * s), 2);
    assert_eq!(w.count(60 * s), 1);
    assert_eq!(w.count(90 * s), 0);
}
