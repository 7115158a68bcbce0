//! What waits to be written to the process, pure: a FIFO of lines in which a market's book
//! holds one place at most — a newer book replaces the pending one where it stands
//! (conflation: the process reads the latest state of a book, never a backlog). Other lines
//! (fills, orders, ticks, …) are never dropped; more than `max_others` of them waiting is an
//! overflow (the process is not reading: the caller treats it as stuck).

use std::collections::{HashMap, VecDeque};

use kalshi::Ticker;

/// One place in the queue.
#[derive(Debug)]
enum Slot {
    /// A line to write as is.
    Line(String),
    /// The pending book of this market (its line is in `books`).
    Book(Ticker),
}

/// The lines waiting for the writer.
#[derive(Debug)]
pub struct Outbox {
    queue: VecDeque<Slot>,
    books: HashMap<Ticker, String>,
    others: usize,
    max_others: usize,
    /// Books replaced before they were written.
    pub conflated: u64,
}

/// More non-book lines wait than allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

impl Outbox {
    /// An empty outbox holding at most `max_others` non-book lines.
    pub fn new(max_others: usize) -> Outbox {
        Outbox {
            queue: VecDeque::new(),
            books: HashMap::new(),
            others: 0,
            max_others,
            conflated: 0,
        }
    }

    /// Queues a line (not a book).
    pub fn push(&mut self, line: String) -> Result<(), Overflow> {
        if self.others >= self.max_others {
            return Err(Overflow);
        }
        self.others += 1;
        self.queue.push_back(Slot::Line(line));
        Ok(())
    }

    /// Queues `ticker`'s book, replacing one still pending (in its place).
    pub fn push_book(&mut self, ticker: Ticker, line: String) {
        match self.books.get_mut(&ticker) {
            Some(pending) => {
                *pending = line;
                self.conflated += 1;
            }
            None => {
                self.books.insert(ticker.clone(), line);
                self.queue.push_back(Slot::Book(ticker));
            }
        }
    }

    /// The next line to write.
    pub fn pop(&mut self) -> Option<String> {
        loop {
            match self.queue.pop_front()? {
                Slot::Line(line) => {
                    self.others -= 1;
                    return Some(line);
                }
                Slot::Book(t) => {
                    if let Some(line) = self.books.remove(&t) {
                        return Some(line);
                    }
                }
            }
        }
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// Lines waiting.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.queue.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Ticker {
        Ticker::new(s).unwrap()
    }

    #[test]
    fn a_newer_book_replaces_the_pending_one_where_it_stands() {
        let mut o = Outbox::new(10);
        o.push_book(t("A"), "A1".into());
        o.push("fill".into()).unwrap();
        o.push_book(t("B"), "B1".into());
        o.push_book(t("A"), "A2".into());
        o.push_book(t("A"), "A3".into());
        assert_eq!(o.conflated, 2);
        assert_eq!(o.len(), 3);
        let drained: Vec<String> = std::iter::from_fn(|| o.pop()).collect();
        assert_eq!(drained, ["A3", "fill", "B1"]);
        assert!(o.is_empty());
        // Once written, a market's next book queues again.
        o.push_book(t("A"), "A4".into());
        assert_eq!(o.pop().as_deref(), Some("A4"));
    }

    #[test]
    fn books_never_overflow_other_lines_do() {
        let mut o = Outbox::new(2);
        for i in 0..1_000 {
            o.push_book(t("A"), format!("A{i}"));
        }
        assert_eq!(o.len(), 1);
        o.push("x".into()).unwrap();
        o.push("y".into()).unwrap();
        assert_eq!(o.push("z".into()), Err(Overflow));
        assert_eq!(o.pop().as_deref(), Some("A999"));
        assert_eq!(o.pop().as_deref(), Some("x"));
        o.push("z".into()).unwrap();
    }
}
