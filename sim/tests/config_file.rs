//! The shipped `config/sim.toml` loads and states the defaults, and a bad file names its
//! problems.

use kalshi_sim::SimConfig;

#[test]
fn shipped_sim_config_loads() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/sim.toml");
    let cfg = SimConfig::from_toml_file(&path).unwrap();
    // The file says its values are the defaults: every city the engine's default config
    // trades is in it, so `[sim] config = "config/sim.toml"` serves the same markets.
    assert_eq!(format!("{cfg:?}"), format!("{:?}", SimConfig::default()));
}

#[test]
fn bad_sim_config_names_file_and_fields() {
    let dir = std::env::temp_dir().join(format!("tw-simcfg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.toml");
    std::fs::write(
        &path,
        "workers = 0\nws_pong_timeout_ms = 5\nws_ping_interval_ms = 10\n",
    )
    .unwrap();
    let err = SimConfig::from_toml_file(&path).unwrap_err();
    assert!(err.contains("bad.toml"), "{err}");
    assert!(err.contains("workers"), "{err}");
    assert!(err.contains("ws_pong_timeout_ms"), "{err}");
    std::fs::write(&path, "no_such_key = 1\n").unwrap();
    let err = SimConfig::from_toml_file(&path).unwrap_err();
    assert!(err.contains("no_such_key"), "{err}");
}
