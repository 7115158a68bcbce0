//! `tradewind orders` and `tradewind positions`: read the order journal (read-only, safe while
//! the engine runs) and print its orders or positions as a table. The journal is `--journal
//! PATH`, or the `orders.journal_path` of `--config FILE` (default: the built-in config).

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
};

use chrono::DateTime;
use clap::Args;
use kalshi::Money;
use tradewind_actors::orders::{journal::Journal, state::OrderRecord};

use tradewind::config;

use crate::cli::BAD_CONFIG;

/// Where the journal is.
#[derive(Debug, Args)]
pub struct JournalArgs {
    /// The journal file (SQLite). Default: `orders.journal_path` of the config.
    #[arg(long, value_name = "PATH", conflicts_with = "config")]
    journal: Option<PathBuf>,
    /// Config whose `orders.journal_path` to read. Default: the built-in config.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

/// Options of `tradewind orders`.
#[derive(Debug, Args)]
pub struct OrdersArgs {
    #[command(flatten)]
    source: JournalArgs,
    /// Only orders still working (not executed, cancelled, rejected or never sent).
    #[arg(long)]
    open: bool,
}

/// `tradewind orders`.
pub fn orders(args: OrdersArgs) -> ExitCode {
    let journal = match open(&args.source) {
        Ok(j) => j,
        Err(code) => return code,
    };
    // Every order: open ones, and finished ones changed since the epoch.
    let loaded = match journal.load(DateTime::UNIX_EPOCH) {
        Ok(l) => l,
        Err(e) => return failed(&e),
    };
    let rows: Vec<Vec<String>> = loaded
        .orders
        .iter()
        .filter(|o| !args.open || !o.state.is_terminal())
        .map(order_row)
        .collect();
    let open = loaded
        .orders
        .iter()
        .filter(|o| !o.state.is_terminal())
        .count();
    println!(
        "{}",
        table(
            &[
                "CREATED (UTC)",
                "CLIENT ORDER ID",
                "TICKER",
                "SIDE",
                "PRICE",
                "COUNT",
                "FILLED",
                "STATE",
                "ORDER ID",
                "REASON",
            ],
            &rows,
        )
    );
    println!(
        "{} orders ({open} open) in {}",
        loaded.orders.len(),
        journal.path().display()
    );
    ExitCode::SUCCESS
}

fn order_row(o: &OrderRecord) -> Vec<String> {
    vec![
        o.created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
        o.key.clone(),
        o.spec.ticker.as_str().to_owned(),
        o.spec.side.as_str().to_owned(),
        o.spec.price.to_string(),
        o.spec.count.to_string(),
        o.filled().to_string(),
        o.state.as_str().to_owned(),
        o.order_id
            .as_ref()
            .map_or_else(|| "-".to_owned(), |i| i.as_str().to_owned()),
        o.reason.clone().unwrap_or_default(),
    ]
}

/// `tradewind positions`.
pub fn positions(args: JournalArgs) -> ExitCode {
    let journal = match open(&args) {
        Ok(j) => j,
        Err(code) => return code,
    };
    let positions = match journal.positions() {
        Ok(p) => p,
        Err(e) => return failed(&e),
    };
    let rows: Vec<Vec<String>> = positions
        .iter()
        .map(|(ticker, p)| {
            vec![
                ticker.as_str().to_owned(),
                p.position.to_string(),
                p.exposure.to_string(),
                p.realized.to_string(),
                p.fees.to_string(),
                p.last_price
                    .map_or_else(|| "-".to_owned(), |x| x.to_string()),
            ]
        })
        .collect();
    println!(
        "{}",
        table(
            &[
                "TICKER",
                "POSITION",
                "EXPOSURE $",
                "REALIZED $",
                "FEES $",
                "LAST PRICE"
            ],
            &rows
        )
    );
    let sum = |f: fn(&tradewind_actors::orders::positions::Position) -> Money| -> Money {
        positions.iter().map(|(_, p)| f(p)).sum()
    };
    println!(
        "{} markets; exposure ${}, realized ${}, fees ${} in {}",
        positions.len(),
        sum(|p| p.exposure),
        sum(|p| p.realized),
        sum(|p| p.fees),
        journal.path().display()
    );
    ExitCode::SUCCESS
}

/// Opens the journal read-only, or prints why not and answers the exit code: 2 for a bad
/// `--journal` path or config, 1 for a config's journal that is missing or unreadable.
fn open(args: &JournalArgs) -> Result<Journal, ExitCode> {
    let (path, from_args) = match journal_path(args) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return Err(ExitCode::from(BAD_CONFIG));
        }
    };
    if !path.is_file() {
        eprintln!(
            "error: no journal at {} ({})",
            path.display(),
            if from_args {
                "check --journal"
            } else {
                "the engine creates it on its first run; or pass --journal PATH"
            }
        );
        return Err(ExitCode::from(if from_args { BAD_CONFIG } else { 1 }));
    }
    Journal::open_read_only(&path).map_err(|e| failed(&e))
}

/// The journal's path and whether it came from `--journal`.
fn journal_path(args: &JournalArgs) -> Result<(PathBuf, bool), config::ConfigError> {
    if let Some(p) = &args.journal {
        return Ok((p.clone(), true));
    }
    let cfg = match &args.config {
        Some(file) => config::load_unvalidated(file)?,
        None => config::parse_unvalidated(config::DEFAULT_TOML, config::DEFAULT_ORIGIN)?,
    };
    Ok((Path::new(&cfg.orders.journal_path).to_owned(), false))
}

fn failed(e: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(1)
}

/// Left-aligned columns two spaces apart; `(none)` under the header when there are no rows.
fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if i + 1 == cells.len() {
                out.push_str(cell);
            } else {
                out.push_str(&format!("{cell:<w$}  "));
            }
        }
        out.trim_end().to_owned()
    };
    let mut out = line(headers.to_vec());
    if rows.is_empty() {
        out.push_str("\n(none)");
    }
    for row in rows {
        out.push('\n');
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_columns() {
        let t = table(
            &["A", "BB"],
            &[vec!["xxx".into(), "y".into()], vec!["z".into(), "".into()]],
        );
        assert_eq!(t, "A    BB\nxxx  y\nz");
        assert_eq!(table(&["A"], &[]), "A\n(none)");
    }
}
