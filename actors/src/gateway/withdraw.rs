//! Taking placements back before they are sent: [`WithdrawPlacements`] removes every create for
//! a market that still waits in the gateway's queue, never attempted, and answers each
//! `Withdrawn` — certainly not sent. The order manager asks for it when a market's book goes
//! stale or the market pauses after an intent was priced: such an order must not go out late.

use actix::{Context, Handler};
use kalshi::rest::Endpoint;
use tracing::info;

use super::{Gateway, GatewayError, WithdrawPlacements};

impl Handler<WithdrawPlacements> for Gateway {
    type Result = usize;

    fn handle(&mut self, msg: WithdrawPlacements, ctx: &mut Context<Self>) -> usize {
        let gone = self.dispatcher.withdraw(|job| {
            job.endpoint == Endpoint::CreateOrder
                && job.attempts == 0
                && job.adoption.as_ref().is_some_and(|(t, _)| *t == msg.ticker)
        });
        let n = gone.len();
        for ticket in gone {
            let err = GatewayError::Withdrawn {
                reason: msg.reason.clone(),
            };
            self.deliver(ticket.payload, Err(err), ctx);
        }
        if n > 0 {
            info!(ticker = %msg.ticker, withdrawn = n, reason = %msg.reason, "placements withdrawn unsent");
        }
        n
    }
}
