//! [`Entry`]: a journal row that owns its data, so a batch can cross to the writer thread.
//! [`Entry::of`] copies a borrowed [`Write`]; [`Entry::as_write`] lends it back.

use kalshi::{Money, Ticker};

use crate::orders::{
    journal::Write,
    positions::{FillRecord, Position},
    reconcile::Difference,
    state::{Change, OrderRecord},
};

/// An owned [`Write`].
#[derive(Debug, Clone)]
pub enum Entry {
    /// [`Write::Intent`].
    Intent(Box<OrderRecord>, String),
    /// [`Write::Order`].
    Order(Box<OrderRecord>),
    /// [`Write::Event`].
    Event(Box<OrderRecord>, Option<Change>),
    /// [`Write::Fill`].
    Fill(Box<FillRecord>, String, Money),
    /// [`Write::Position`].
    Position(Ticker, Position),
    /// [`Write::Reconciliation`].
    Reconciliation(String, Vec<Difference>),
    /// [`Write::KillSwitch`].
    KillSwitch(bool, String),
}

impl Entry {
    /// A copy of `w`.
    pub fn of(w: &Write<'_>) -> Entry {
        match *w {
            Write::Intent { order, label } => {
                Entry::Intent(Box::new(order.clone()), label.to_owned())
            }
            Write::Order(o) => Entry::Order(Box::new(o.clone())),
            Write::Event(o, c) => Entry::Event(Box::new(o.clone()), c.cloned()),
            Write::Fill(f, source, realized) => {
                Entry::Fill(Box::new(f.clone()), source.to_owned(), realized)
            }
            Write::Position(t, p) => Entry::Position(t.clone(), p.clone()),
            Write::Reconciliation(kind, diffs) => {
                Entry::Reconciliation(kind.to_owned(), diffs.to_vec())
            }
            Write::KillSwitch { halted, reason } => Entry::KillSwitch(halted, reason.to_owned()),
        }
    }

    /// This entry as a [`Write`].
    pub fn as_write(&self) -> Write<'_> {
        match self {
            Entry::Intent(order, label) => Write::Intent { order, label },
            Entry::Order(o) => Write::Order(o),
            Entry::Event(o, c) => Write::Event(o, c.as_ref()),
            Entry::Fill(f, source, realized) => Write::Fill(f, source, *realized),
            Entry::Position(t, p) => Write::Position(t, p),
            Entry::Reconciliation(kind, diffs) => Write::Reconciliation(kind, diffs),
            Entry::KillSwitch(halted, reason) => Write::KillSwitch {
                halted: *halted,
                reason,
            },
        }
    }
}
