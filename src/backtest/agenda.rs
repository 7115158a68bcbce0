//! The virtual clock's agenda: what happens at which instant (ns), in the order it was
//! scheduled among equal instants — deterministic, no wall clock anywhere.

use std::collections::BTreeMap;

/// Things due at virtual instants.
#[derive(Debug)]
pub struct Agenda<T> {
    due: BTreeMap<(u64, u64), T>,
    next: u64,
}

impl<T> Default for Agenda<T> {
    fn default() -> Self {
        Agenda {
            due: BTreeMap::new(),
            next: 0,
        }
    }
}

impl<T> Agenda<T> {
    /// Schedules `item` at `ns` (after anything already due then).
    pub fn at(&mut self, ns: u64, item: T) {
        self.due.insert((ns, self.next), item);
        self.next += 1;
    }

    /// The earliest item due at or before `ns`, with its instant.
    pub fn pop_due(&mut self, ns: u64) -> Option<(u64, T)> {
        let (&(at, _), _) = self.due.first_key_value()?;
        if at > ns {
            return None;
        }
        self.due.pop_first().map(|((at, _), t)| (at, t))
    }

    /// Items left.
    pub fn len(&self) -> usize {
        self.due.len()
    }

    /// True when nothing is due.
    pub fn is_empty(&self) -> bool {
        self.due.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_come_by_instant_then_by_scheduling_order() {
        let mut a = Agenda::default();
        a.at(20, "c");
        a.at(10, "a");
        a.at(10, "b");
        assert_eq!(a.pop_due(9), None);
        assert_eq!(a.pop_due(15), Some((10, "a")));
        assert_eq!(a.pop_due(15), Some((10, "b")));
        assert_eq!(a.pop_due(15), None);
        assert_eq!(a.pop_due(u64::MAX), Some((20, "c")));
        assert!(a.is_empty());
    }
}
