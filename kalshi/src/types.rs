//! Enumerations shared by the REST and WebSocket messages: sides, time in force, self-trade
//! prevention, order and market statuses, lifecycle event types.
//!
//! Values Tradewind *sends* are closed enums ([`BookSide`], [`OutcomeSide`], [`TimeInForce`]).
//! Values it only *reads* and that Kalshi has extended before (statuses, lifecycle events,
//! results) are open: an unknown value decodes to `Other(String)` instead of failing the whole
//! message — the Python SDK's strict market-status enum rejects real markets for this reason.

use std::fmt;

/// Declares an enum that (de)serializes as its wire string. With `open`, an unknown string
/// becomes `Other(String)`; without, it is a decode error naming the allowed values.
macro_rules! wire_enum {
    ($(#[$doc:meta])* open $name:ident { $($(#[$vdoc:meta])* $variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
            /// A value this crate does not know, kept verbatim.
            Other(String),
        }

        impl $name {
            /// The wire string.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Other(s) => s,
                }
            }

            /// Reads a wire string; never fails.
            pub fn from_wire(s: &str) -> Self {
                match s {
                    $($wire => Self::$variant,)+
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::types::deserialize_str(d, |s| Ok(Self::from_wire(s)))
            }
        }

        $crate::types::wire_enum!(@common $name);
    };
    ($(#[$doc:meta])* closed $name:ident { $($(#[$vdoc:meta])* $variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$(Self::$variant),+];

            /// The wire string.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $(Self::$variant => $wire,)+
                }
            }

            /// Reads a wire string.
            pub fn from_wire(s: &str) -> Option<Self> {
                match s {
                    $($wire => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::types::deserialize_str(d, |s| {
                    Self::from_wire(s).ok_or_else(|| {
                        serde::de::Error::unknown_variant(s, &[$($wire),+])
                    })
                })
            }
        }

        $crate::types::wire_enum!(@common $name);
    };
    (@common $name:ident) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use wire_enum;

/// Deserializes a string through `f` without allocating when the input can be borrowed
/// (serde's `Cow<str>` impl always allocates unless the field is marked `borrow`).
pub(crate) fn deserialize_str<'de, D, T>(
    d: D,
    f: impl FnOnce(&str) -> Result<T, D::Error>,
) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct V<F>(F);
    impl<'de, T, E: serde::de::Error, F: FnOnce(&str) -> Result<T, E>> serde::de::Visitor<'de>
        for V<F>
    {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E2: serde::de::Error>(self, v: &str) -> Result<T, E2> {
            (self.0)(v).map_err(|e: E| E2::custom(e))
        }
    }
    d.deserialize_str(V(f))
}

wire_enum!(
    /// The side of the YES book an order rests on (V2 `side`): `bid` buys YES, `ask` sells YES
    /// (equivalently buys NO at `1 − price`).
    closed BookSide {
        /// Buy YES / sell NO.
        Bid => "bid",
        /// Sell YES / buy NO.
        Ask => "ask",
    }
);

impl BookSide {
    /// The other side.
    pub fn opposite(self) -> BookSide {
        match self {
            BookSide::Bid => BookSide::Ask,
            BookSide::Ask => BookSide::Bid,
        }
    }

    /// The outcome this side is long: a bid is long YES, an ask is long NO.
    pub fn outcome(self) -> OutcomeSide {
        match self {
            BookSide::Bid => OutcomeSide::Yes,
            BookSide::Ask => OutcomeSide::No,
        }
    }
}

wire_enum!(
    /// A contract outcome: YES or NO. Also the side of an order-book level (`side` in
    /// `orderbook_delta`) and the legacy order `side`.
    closed OutcomeSide {
        /// The YES contract.
        Yes => "yes",
        /// The NO contract.
        No => "no",
    }
);

impl OutcomeSide {
    /// The other outcome.
    pub fn opposite(self) -> OutcomeSide {
        match self {
            OutcomeSide::Yes => OutcomeSide::No,
            OutcomeSide::No => OutcomeSide::Yes,
        }
    }
}

wire_enum!(
    /// Time in force of a V2 order (required field). "GTT" is not an API value: a GTC order
    /// with an `expiration_time` is.
    closed TimeInForce {
        /// Fill completely at once or cancel.
        FillOrKill => "fill_or_kill",
        /// Rest until filled, canceled or expired.
        GoodTillCanceled => "good_till_canceled",
        /// Fill what is possible at once, cancel the rest.
        ImmediateOrCancel => "immediate_or_cancel",
    }
);

wire_enum!(
    /// What happens when an order would trade with the same account's resting order.
    open SelfTradePrevention {
        /// Cancel the incoming (taker) order; fills already matched stand.
        TakerAtCross => "taker_at_cross",
        /// Cancel the resting (maker) order and keep matching.
        Maker => "maker",
    }
);

wire_enum!(
    /// Legacy buy/sell action, still present (deprecated) on orders and fills.
    open Action {
        /// Buy.
        Buy => "buy",
        /// Sell.
        Sell => "sell",
    }
);

wire_enum!(
    /// Order status on Kalshi: only `resting`, `canceled` and `executed` exist. A partly filled
    /// live order is `resting`; a canceled one with fills is `canceled` with `fill_count_fp > 0`.
    open OrderStatus {
        /// Live on the book.
        Resting => "resting",
        /// Canceled (by the user, expiry, self-trade prevention, pause or close).
        Canceled => "canceled",
        /// Completely filled.
        Executed => "executed",
    }
);

wire_enum!(
    /// Market status as REST reports it.
    open MarketStatus {
        /// Created, before `open_time` (filter `unopened`).
        Initialized => "initialized",
        /// Trading (filter `open`); the only status that accepts orders.
        Active => "active",
        /// Paused by the exchange (filter `paused`).
        Inactive => "inactive",
        /// Past `close_time`, awaiting a result (filter `closed`).
        Closed => "closed",
        /// Result known, settlement timer running (filter `closed`).
        Determined => "determined",
        /// Result challenged (filter `closed`).
        Disputed => "disputed",
        /// Result re-determined (filter `closed`).
        Amended => "amended",
        /// Paid out; terminal (filter `settled`).
        Finalized => "finalized",
    }
);

wire_enum!(
    /// The `status` filter of `GET /markets` (one value per request).
    closed MarketStatusFilter {
        /// `initialized` markets.
        Unopened => "unopened",
        /// `active` markets.
        Open => "open",
        /// `inactive` markets.
        Paused => "paused",
        /// `closed`, `determined`, `disputed`, `amended` markets.
        Closed => "closed",
        /// `finalized` markets.
        Settled => "settled",
    }
);

impl MarketStatusFilter {
    /// Whether a market in `status` matches this filter.
    pub fn matches(self, status: &MarketStatus) -> bool {
        use MarketStatus as S;
        match self {
            Self::Unopened => *status == S::Initialized,
            Self::Open => *status == S::Active,
            Self::Paused => *status == S::Inactive,
            Self::Closed => matches!(status, S::Closed | S::Determined | S::Disputed | S::Amended),
            Self::Settled => *status == S::Finalized,
        }
    }
}

wire_enum!(
    /// A market's result: `yes`, `no`, `scalar`, or empty before determination.
    open MarketResult {
        /// Not determined yet (`""`).
        None => "",
        /// YES won.
        Yes => "yes",
        /// NO won.
        No => "no",
        /// Scalar market; see `settlement_value_dollars`.
        Scalar => "scalar",
    }
);

wire_enum!(
    /// `binary` or `scalar`.
    open MarketType {
        /// Pays $1 to one side.
        Binary => "binary",
        /// Pays YES `settlement_value_dollars`.
        Scalar => "scalar",
    }
);

wire_enum!(
    /// The `event_type` of a `market_lifecycle_v2` message.
    open LifecycleEventType {
        /// A market was created.
        Created => "created",
        /// A market was (re)activated: unpaused or reopened.
        Activated => "activated",
        /// A market was paused.
        Deactivated => "deactivated",
        /// The close time moved.
        CloseDateUpdated => "close_date_updated",
        /// The result is known.
        Determined => "determined",
        /// The market paid out.
        Settled => "settled",
        /// Fractional trading was switched.
        FractionalTradingUpdated => "fractional_trading_updated",
        /// The price grid changed.
        PriceLevelStructureUpdated => "price_level_structure_updated",
        /// Other metadata changed.
        MetadataUpdated => "metadata_updated",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_enums_keep_unknown_values() {
        let s: MarketStatus = serde_json::from_str("\"frozen\"").unwrap();
        assert_eq!(s, MarketStatus::Other("frozen".into()));
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"frozen\"");
        let r: MarketResult = serde_json::from_str("\"\"").unwrap();
        assert_eq!(r, MarketResult::None);
    }

    #[test]
    fn closed_enums_refuse_unknown_values_naming_them() {
        let err = serde_json::from_str::<BookSide>("\"buy\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("buy") && err.contains("bid"), "{err}");
        assert_eq!(
            serde_json::to_string(&TimeInForce::ImmediateOrCancel).unwrap(),
            "\"immediate_or_cancel\""
        );
    }

    #[test]
    fn status_filter_matches_rest_statuses() {
        assert!(MarketStatusFilter::Closed.matches(&MarketStatus::Determined));
        assert!(!MarketStatusFilter::Open.matches(&MarketStatus::Inactive));
        assert!(MarketStatusFilter::Settled.matches(&MarketStatus::Finalized));
    }
}
