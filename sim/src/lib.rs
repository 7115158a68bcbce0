//! kalshi-sim (placeholder until the simulator issue lands).
