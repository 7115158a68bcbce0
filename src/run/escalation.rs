//! Giving up: when the supervision tree escalates (one actor failing past its restart
//! intensity, or the journal failing), resting orders are cancelled — through the order
//! manager when it answers, then swept through a fresh gateway, which finds every resting
//! order carrying this engine's client order ids — and the process exits with the
//! escalation's code. The journal needs no flush: every commit is durable when it returns.

use std::time::Duration;

use actix::Actor;
use kalshi::{rest::portfolio_params::GetOrdersParams, types::OrderStatus};
use tracing::{error, info, warn};
use tradewind_actors::{
    gateway::{CancelOrder, Gateway, GetOrders},
    orders::{CancelAll, ids},
    root::{Engine, EngineSpec},
    supervision::Escalation,
};

/// Exit code after an actor failed more often than the policy tolerates.
pub const EXIT_ACTOR_FAILURES: u8 = 3;
/// Exit code after the journal failed.
pub const EXIT_JOURNAL: u8 = 4;

/// How long the order manager is given to send its cancels.
const ORDERS_CANCEL_WAIT: Duration = Duration::from_secs(5);
/// How long the sweep through a fresh gateway may take.
const SWEEP_WAIT: Duration = Duration::from_secs(20);

/// Cancels what rests and answers the exit code for `why`.
pub async fn give_up(engine: &Engine, spec: &EngineSpec, why: &Escalation) -> u8 {
    error!(reason = %why, "the engine gives up: cancelling resting orders, then exiting");
    let asked = tokio::time::timeout(
        ORDERS_CANCEL_WAIT,
        engine.orders.send(CancelAll { ticker: None }),
    )
    .await;
    match asked {
        Ok(Ok(n)) => info!(orders = n, "the order manager sent its cancels"),
        _ => warn!("the order manager did not answer; sweeping through a fresh gateway"),
    }
    match tokio::time::timeout(SWEEP_WAIT, sweep(spec)).await {
        Ok(Ok(n)) => info!(cancelled = n, "swept resting orders"),
        Ok(Err(e)) => error!(error = %e, "the sweep failed; orders may still rest"),
        Err(_) => error!("the sweep timed out; orders may still rest"),
    }
    match why {
        Escalation::ActorFailures { .. } => EXIT_ACTOR_FAILURES,
        Escalation::JournalUnusable { .. } => EXIT_JOURNAL,
    }
}

/// Cancels every resting order of this engine's strategy through a gateway of its own;
/// answers how many cancels were answered.
async fn sweep(spec: &EngineSpec) -> Result<usize, String> {
    let gateway = Gateway::new(
        spec.gateway.clone(),
        &spec.rest_url,
        spec.signer.clone(),
        spec.clock.clone(),
    )
    .map_err(|e| e.join("; "))?
    .start();
    let params = GetOrdersParams {
        status: Some(OrderStatus::Resting),
        limit: Some(1000),
        ..GetOrdersParams::default()
    };
    let page = gateway
        .send(GetOrders { params })
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    let strategy = &spec.orders.strategy_id;
    let ours = page.orders.into_iter().filter(|o| {
        o.client_order_id
            .as_ref()
            .is_some_and(|c| ids::is_ours(strategy, c.as_str()))
    });
    let mut cancelled = 0;
    for o in ours {
        let cancel = CancelOrder {
            order_id: o.order_id.clone(),
            ticker: Some(o.ticker.clone()),
        };
        match gateway.send(cancel).await {
            Ok(Ok(_)) => cancelled += 1,
            Ok(Err(e)) => warn!(order_id = %o.order_id, error = %e, "cancel refused"),
            Err(e) => warn!(order_id = %o.order_id, error = %e, "cancel not sent"),
        }
    }
    Ok(cancelled)
}
