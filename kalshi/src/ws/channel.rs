//! [`Channel`]: the WebSocket channels a client subscribes to (`channels` of `subscribe`,
//! `channel` of `subscribed`), named by commands and responses alike.

// `wire_enum!` implements `fmt::Display` with the `fmt` in scope where it is invoked.
use std::fmt;

crate::types::wire_enum!(
    /// A WebSocket channel (`channels` of `subscribe`, `channel` of `subscribed`). Open:
    /// Kalshi adds channels, and the simulator must be able to answer "unknown channel".
    open Channel {
        /// `orderbook_snapshot` + `orderbook_delta`; private; needs market tickers.
        OrderbookDelta => "orderbook_delta",
        /// `ticker`: top of book, last price, volume.
        Ticker => "ticker",
        /// `trade`: public trades.
        Trade => "trade",
        /// `fill`: this account's fills.
        Fill => "fill",
        /// `market_position`: this account's positions.
        MarketPositions => "market_positions",
        /// `user_order`: this account's order updates.
        UserOrders => "user_orders",
        /// `market_lifecycle_v2` + `event_lifecycle`: all non-combo markets.
        MarketLifecycleV2 => "market_lifecycle_v2",
        /// Order group updates.
        OrderGroupUpdates => "order_group_updates",
        /// RFQs and quotes.
        Communications => "communications",
        /// Lifecycle of multivariate (combo, `KXMVE*`) markets.
        MultivariateMarketLifecycle => "multivariate_market_lifecycle",
    }
);
