//! What every step of a download shares: the gateway, the output directory, the checkpoint
//! and the tally (single-threaded: one actix system), and the stop flag a SIGINT raises —
//! after it no new request is sent, while answers already asked for are still written. A
//! 404 can be asked for as "not there" ([`Session::ask_found`]).

use std::{
    cell::{Cell, RefCell},
    path::PathBuf,
    rc::Rc,
};

use actix::{Addr, Handler};
use tradewind_actors::gateway::{ApiRequest, Gateway, GatewayError};

use super::{checkpoint::Checkpoint, tally::Tally};

/// Why a step stopped early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Halt {
    /// SIGINT: nothing more is asked.
    Interrupted,
    /// A request or a write failed.
    Failed(String),
}

/// The shared state of one download.
#[derive(Debug, Clone)]
pub struct Session {
    /// The gateway every request goes through.
    pub gateway: Addr<Gateway>,
    /// The output directory.
    pub out: PathBuf,
    /// Page size of the lists.
    pub page_size: u32,
    /// The checkpoint (saved after every part file).
    pub checkpoint: Rc<RefCell<Checkpoint>>,
    /// Rows and parts written.
    pub tally: Rc<RefCell<Tally>>,
    /// Raised by SIGINT or a failure elsewhere.
    pub stop: Rc<Cell<bool>>,
}

impl Session {
    /// Sends `req` through the gateway unless stopping.
    ///
    /// # Errors
    /// [`Halt::Interrupted`] when stopping; the gateway's error, naming `what`.
    pub async fn ask<R>(&self, what: &str, req: R) -> Result<R::Output, Halt>
    where
        R: ApiRequest,
        Gateway: Handler<R>,
    {
        let answer = self.answer(req).await?;
        answer.map_err(|e| Halt::Failed(format!("{what}: {e}")))
    }

    /// As [`Session::ask`], but the exchange's 404 (the resource is not there) is `None`.
    ///
    /// # Errors
    /// [`Halt::Interrupted`] when stopping; any other error of the gateway, naming `what`.
    pub async fn ask_found<R>(&self, what: &str, req: R) -> Result<Option<R::Output>, Halt>
    where
        R: ApiRequest,
        Gateway: Handler<R>,
    {
        match self.answer(req).await? {
            Ok(out) => Ok(Some(out)),
            Err(e) if not_found(&e) => Ok(None),
            Err(e) => Err(Halt::Failed(format!("{what}: {e}"))),
        }
    }

    async fn answer<R>(&self, req: R) -> Result<Result<R::Output, GatewayError>, Halt>
    where
        R: ApiRequest,
        Gateway: Handler<R>,
    {
        if self.stop.get() {
            return Err(Halt::Interrupted);
        }
        Ok(self
            .gateway
            .send(req)
            .await
            .unwrap_or(Err(GatewayError::Stopped)))
    }

    /// Saves the checkpoint.
    ///
    /// # Errors
    /// The file cannot be written.
    pub fn save(&self) -> Result<(), Halt> {
        let path = self.out.join("checkpoint.json");
        self.checkpoint.borrow().save(&path).map_err(Halt::Failed)
    }
}

/// Whether the exchange answered 404.
fn not_found(e: &GatewayError) -> bool {
    matches!(e, GatewayError::Rejected(api) if api.status == 404)
}

#[cfg(test)]
mod tests {
    use kalshi::ApiError;

    use super::*;

    fn rejected(status: u16) -> GatewayError {
        GatewayError::Rejected(ApiError {
            status,
            code: "not_found".into(),
            message: "market not found".into(),
            details: None,
            service: None,
        })
    }

    #[test]
    fn only_the_exchange_s_404_means_not_there() {
        assert!(not_found(&rejected(404)));
        assert!(!not_found(&rejected(400)));
        assert!(!not_found(&GatewayError::RateLimited));
        assert!(!not_found(&GatewayError::Stopped));
    }
}
