//! Mutated config files: every one either loads or is refused with messages — no panic, no
//! empty error. 2,000 mutations here (`HOSTILE_CONFIGS=N` for more); `tests/cli_config.rs`
//! checks that a refused file exits 2.

use super::parse;

/// xorshift64*: reproducible mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const JUNK: [&str; 12] = [
    "\"",
    "[",
    "]]",
    "=",
    "\n[orders]\n",
    "-1",
    "1e309",
    "99999999999999999999999",
    "\"${NOPE}\"",
    "true",
    "{a = 1}",
    "\u{0}",
];

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for _ in 0..1 + rng.below(4) {
        let i = rng.below(lines.len());
        match rng.below(6) {
            0 => {
                lines.remove(i);
            }
            1 => {
                let l = &mut lines[i];
                let cut = rng.below(l.len() + 1);
                let cut = (0..=cut)
                    .rev()
                    .find(|c| l.is_char_boundary(*c))
                    .unwrap_or(0);
                l.truncate(cut);
            }
            2 => lines[i].push_str(JUNK[rng.below(JUNK.len())]),
            3 => {
                // Replace a value with junk.
                if let Some((k, _)) = lines[i].split_once('=') {
                    lines[i] = format!("{k}= {}", JUNK[rng.below(JUNK.len())]);
                }
            }
            4 => {
                let j = rng.below(lines.len());
                lines.swap(i, j);
            }
            _ => lines.insert(i, lines[rng.below(lines.len())].clone()),
        }
        if lines.is_empty() {
            break;
        }
    }
    lines.join("\n")
}

#[test]
fn mutated_configs_are_refused_with_messages_never_a_panic() {
    let n: usize = std::env::var("HOSTILE_CONFIGS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let base = include_str!("../../config/default.toml");
    let mut rng = Rng(0x5eed_c0f1);
    let (mut ok, mut refused) = (0, 0);
    for _ in 0..n {
        let text = mutate(base, &mut rng);
        match parse(&text, "mutated.toml") {
            Ok(_) => ok += 1,
            Err(e) => {
                refused += 1;
                assert!(!e.errors.is_empty(), "refused without a reason:\n{text}");
                assert!(
                    e.errors.iter().all(|m| !m.trim().is_empty()),
                    "an empty message for:\n{text}"
                );
                assert!(e.to_string().starts_with("mutated.toml"));
            }
        }
    }
    assert!(
        refused > n / 10,
        "the mutations rarely broke anything: {ok} ok"
    );
}
