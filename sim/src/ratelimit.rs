//! Token buckets exactly like Kalshi's: the shared arithmetic lives in `kalshi::bucket` so the
//! gateway's local budget and the simulator's enforcement cannot drift apart.

pub use kalshi::bucket::TokenBucket;
