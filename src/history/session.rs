//! What every step of a download shares: the gateway, the output directory, the checkpoint
//! and the tally (single-threaded: one actix system), and the stop flag a SIGINT raises —
//! after it no new request is sent, while answers already asked for are still written.

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
        if self.stop.get() {
            return Err(Halt::Interrupted);
        }
        let answer = self.gateway.send(req).await;
        match answer {
            Ok(Ok(out)) => Ok(out),
            Ok(Err(e)) => Err(Halt::Failed(format!("{what}: {e}"))),
            Err(_) => Err(Halt::Failed(format!("{what}: {}", GatewayError::Stopped))),
        }
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
