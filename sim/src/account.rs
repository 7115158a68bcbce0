//! [`fresh_account`]: an account on a running simulator with a fresh Ed25519 key that never
//! leaves memory, and a [`Signer`] for it — what the embedded run, the benches and the soak
//! need to talk to the simulator they started.

use std::sync::Arc;

use kalshi::sign::{Signer, SigningKey};

use crate::server::SimHandle;

/// An account on `sim` with a fresh Ed25519 key (kept in memory), of `tier` with a starting
/// balance of `balance` dollars: its signer and account id. Errors say which step failed.
pub fn fresh_account(
    sim: &SimHandle,
    tier: &str,
    balance: &str,
) -> Result<(Arc<Signer>, String), String> {
    let key = SigningKey::generate_ed25519().map_err(|e| format!("generating a key: {e}"))?;
    let public = key
        .public_key_pem()
        .map_err(|e| format!("public key: {e}"))?;
    let ids = sim.control().register_account(&public, tier, balance)?;
    let signer = Signer::new(ids.api_key_id, key).map_err(|e| format!("signer: {e}"))?;
    Ok((Arc::new(signer), ids.account_id))
}
