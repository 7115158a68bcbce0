//! WebSocket commands and responses against the examples of kalshi-api.md §6
//! (`tests/fixtures/ws/*.json`): every fixture decodes exactly and re-encodes to the same JSON,
//! and bad commands get the error code Kalshi answers.

mod ws_support;

use ws_support::*;

#[test]
fn command_fixtures_decode_and_encode_exactly() {
    let cases: [(&str, Command); 7] = [
        (
            "cmd_subscribe_market_ticker.json",
            Command::subscribe(
                1,
                vec![Channel::OrderbookDelta],
                MarketFilter::Ticker(t("CPI-22DEC-TN0.1")),
            ),
        ),
        ("cmd_subscribe_market_tickers.json", {
            let mut cmd = Command::subscribe(
                2,
                vec![Channel::Ticker],
                MarketFilter::Tickers(vec![t("A"), t("B")]),
            );
            if let CommandKind::Subscribe(params) = &mut cmd.kind {
                params.send_initial_snapshot = Some(true);
            }
            cmd
        }),
        (
            "cmd_unsubscribe.json",
            Command::unsubscribe(124, vec![1, 2]),
        ),
        (
            "cmd_list_subscriptions.json",
            Command::list_subscriptions(3),
        ),
        (
            "cmd_update_add_markets.json",
            Command::update(125, 456, UpdateAction::AddMarkets, vec![t("NEW-1")]),
        ),
        (
            "cmd_update_delete_markets.json",
            Command::update(126, 456, UpdateAction::DeleteMarkets, vec![t("X")]),
        ),
        (
            "cmd_update_get_snapshot.json",
            Command::update(
                127,
                2,
                UpdateAction::GetSnapshot,
                vec![t("FED-23DEC-T3.00")],
            ),
        ),
    ];
    for (name, want) in cases {
        let text = fixture(name);
        assert_eq!(
            Command::from_json(&text).unwrap(),
            want,
            "{name}: from_json"
        );
        assert_eq!(
            serde_json::from_str::<Command>(&text).unwrap(),
            want,
            "{name}: serde"
        );
        let encoded = want.to_json();
        assert_eq!(
            Command::from_json(&encoded).unwrap(),
            want,
            "{name}: round trip"
        );
        if name != "cmd_update_delete_markets.json" {
            // The one-`sid` form is accepted; encoding always writes `sids`.
            assert_eq!(encoded, text.trim(), "{name}: documented JSON");
        }
    }
}

#[test]
fn bad_commands_get_the_code_kalshi_answers() {
    let cases: &[(&str, WsErrorCode)] = &[
        (
            r#"{"id":9,"cmd":"subscribe_all","params":{}}"#,
            WsErrorCode::UNKNOWN_COMMAND,
        ),
        (
            r#"{"id":9,"cmd":"subscribe"}"#,
            WsErrorCode::PARAMS_REQUIRED,
        ),
        (
            r#"{"id":9,"cmd":"unsubscribe","params":null}"#,
            WsErrorCode::PARAMS_REQUIRED,
        ),
        (
            r#"{"id":9,"cmd":"subscribe","params":{}}"#,
            WsErrorCode::CHANNELS_REQUIRED,
        ),
        (
            r#"{"id":9,"cmd":"subscribe","params":{"channels":[]}}"#,
            WsErrorCode::CHANNELS_REQUIRED,
        ),
        (
            r#"{"id":9,"cmd":"subscribe","params":{"channels":["ticker"],"market_ticker":"A","market_tickers":["B"]}}"#,
            WsErrorCode::INVALID_PARAMETER,
        ),
        (
            r#"{"id":9,"cmd":"subscribe","params":{"channels":"ticker"}}"#,
            WsErrorCode::INVALID_PARAMETER,
        ),
        (
            r#"{"id":9,"cmd":"subscribe","params":{"channels":["ticker"],"shard_factor":0}}"#,
            WsErrorCode::SHARD_FACTOR_NOT_POSITIVE,
        ),
        (
            r#"{"id":9,"cmd":"subscribe","params":{"channels":["ticker"],"shard_key":1}}"#,
            WsErrorCode::SHARD_FACTOR_REQUIRED,
        ),
        (
            r#"{"id":9,"cmd":"subscribe","params":{"channels":["ticker"],"shard_factor":2,"shard_key":2}}"#,
            WsErrorCode::SHARD_KEY_OUT_OF_RANGE,
        ),
        (
            r#"{"id":9,"cmd":"subscribe","params":{"channels":["ticker"],"shard_factor":101}}"#,
            WsErrorCode::SHARD_FACTOR_TOO_LARGE,
        ),
        (
            r#"{"id":9,"cmd":"unsubscribe","params":{"sids":[]}}"#,
            WsErrorCode::SIDS_REQUIRED,
        ),
        (
            r#"{"id":9,"cmd":"update_subscription","params":{"sids":[1,2],"market_tickers":["A"],"action":"add_markets"}}"#,
            WsErrorCode::EXACTLY_ONE_SID,
        ),
        (
            r#"{"id":9,"cmd":"update_subscription","params":{"sid":1,"market_tickers":["A"]}}"#,
            WsErrorCode::ACTION_REQUIRED,
        ),
        (
            r#"{"id":9,"cmd":"update_subscription","params":{"sid":1,"market_tickers":["A"],"action":"replace"}}"#,
            WsErrorCode::UNSUPPORTED_ACTION,
        ),
        (
            r#"{"id":9,"cmd":"update_subscription","params":{"sid":1,"action":"add_markets"}}"#,
            WsErrorCode::MARKET_TICKER_REQUIRED,
        ),
    ];
    for (text, code) in cases {
        let err = Command::from_json(text).unwrap_err();
        assert_eq!((err.code(), err.id), (*code, Some(9)), "{text}: {err}");
        assert!(
            serde_json::from_str::<Command>(text).is_err(),
            "{text}: serde accepted it"
        );
        assert_eq!(err.to_response().code, *code);
    }
    for text in [
        "{\"id\":1,\"cmd\":",
        "[1]",
        r#"{"id":1}"#,
        r#"{"id":"x","cmd":"subscribe"}"#,
    ] {
        let err = Command::from_json(text).unwrap_err();
        assert_eq!(err.code(), WsErrorCode::UNABLE_TO_PROCESS, "{text}");
    }
    let list = r#"{"id":3,"cmd":"list_subscriptions","params":{}}"#;
    assert_eq!(Command::from_json(list), Ok(Command::list_subscriptions(3)));
    assert!(serde_json::from_str::<Command>(list).is_err());
    let unknown = Command::from_json(r#"{"id":4,"cmd":"subscribe_all"}"#).unwrap_err();
    assert!(unknown.message.contains("subscribe_all"), "{unknown}");
}

#[test]
fn response_fixtures_decode_exactly() {
    let Incoming::Subscribed(r) = decode_round_trip("resp_subscribed.json") else {
        panic!()
    };
    assert_eq!((r.id, r.subscription.sid), (Some(1), 1));
    assert_eq!(r.subscription.channel, Channel::OrderbookDelta);

    let Incoming::Unsubscribed(r) = decode_round_trip("resp_unsubscribed.json") else {
        panic!()
    };
    assert_eq!((r.id, r.sid, r.seq), (Some(102), 2, Some(7)));

    let Incoming::Ok(r) = decode_round_trip("resp_ok_update.json") else {
        panic!()
    };
    assert_eq!((r.id, r.sid, r.seq), (Some(123), Some(456), Some(222)));
    assert_eq!(
        r.body,
        OkBody::MarketTickers(vec![t("MARKET-1"), t("MARKET-2")])
    );

    let Incoming::Ok(r) = decode_round_trip("resp_ok_list.json") else {
        panic!()
    };
    let OkBody::Subscriptions(list) = &r.body else {
        panic!("{r:?}")
    };
    assert_eq!((r.id, r.sid, list.len()), (Some(3), None, 2));
    assert_eq!((&list[1].channel, list[1].sid), (&Channel::Ticker, 2));

    let Incoming::Error(r) = decode_round_trip("resp_error.json") else {
        panic!()
    };
    assert_eq!(
        (r.id, r.code, r.message.as_str()),
        (Some(123), WsErrorCode::PARAMS_REQUIRED, "Params required")
    );
    assert_eq!(r.market_ticker.as_deref(), Some("(optional)"));
    assert_eq!(r.market_id.as_deref(), Some("(optional)"));

    let Incoming::Ok(r) = decode(r#"{"id":7,"type":"ok"}"#).unwrap() else {
        panic!()
    };
    assert_eq!(r.body, OkBody::Empty);
    let Incoming::Subscribed(r) =
        decode(r#"{"type":"subscribed","msg":{"channel":"rfq_feed","sid":9}}"#).unwrap()
    else {
        panic!()
    };
    assert_eq!(r.subscription.channel, Channel::Other("rfq_feed".into()));
}

#[test]
fn error_codes_name_the_dead_subscriptions() {
    let dead: Vec<u16> = (1..=30)
        .filter(|c| WsErrorCode(*c).is_subscription_dead())
        .collect();
    assert_eq!(dead, [10, 17, 25]);
    assert!((1..=27).all(|c| WsErrorCode(c).description().is_some()));
    assert_eq!(WsErrorCode(5).to_string(), "5 (unknown command)");
    assert_eq!(WsErrorCode(99).description(), None);
}
