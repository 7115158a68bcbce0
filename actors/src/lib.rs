//! Tradewind actors (placeholder until the actor issues land).
