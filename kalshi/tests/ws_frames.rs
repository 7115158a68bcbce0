//! WebSocket data frames against the examples of kalshi-api.md §6 (`tests/fixtures/ws/*.json`):
//! every fixture decodes with its key values exact and re-encodes to the same JSON; unknown and
//! bad frames come back as `Unknown` or `DecodeError`, never panics.

mod ws_support;

use ws_support::*;

#[test]
fn orderbook_fixtures_decode_exactly() {
    let Incoming::OrderbookSnapshot(f) = decode_round_trip("orderbook_snapshot.json") else {
        panic!()
    };
    assert_eq!((f.sid, f.seq, f.sending_ts_ms), (2, 2, None));
    assert_eq!(
        (&*f.msg.market_ticker, &*f.msg.market_id),
        ("FED-23DEC-T3.00", "9b0f6b43-...")
    );
    let lv = |a, b| PriceLevel::new(p(a), c(b));
    assert_eq!(f.msg.yes_dollars_fp, [lv("0.08", "300"), lv("0.22", "333")]);
    assert_eq!(f.msg.no_dollars_fp, [lv("0.54", "20"), lv("0.56", "146")]);

    let Incoming::OrderbookDelta(f) = decode_round_trip("orderbook_delta.json") else {
        panic!()
    };
    assert_eq!((f.sid, f.seq), (2, 3));
    let d = &f.msg;
    assert_eq!(
        (d.price_dollars, d.delta_fp, d.side),
        (p("0.96"), c("-54"), OutcomeSide::Yes)
    );
    assert_eq!(
        (d.ts.as_deref(), d.ts_ms),
        (Some("2022-11-22T20:44:01Z"), Some(1_669_149_841_000))
    );
    assert_eq!((d.client_order_id.as_deref(), d.subaccount), (None, None));

    let Incoming::OrderbookDelta(f) = decode_round_trip("orderbook_delta_own_order.json") else {
        panic!()
    };
    assert_eq!(
        (f.msg.side, f.msg.delta_fp, f.msg.subaccount),
        (OutcomeSide::No, c("10"), Some(0))
    );
    assert_eq!(
        f.msg.client_order_id.as_deref(),
        Some("tw:fv1:FED-23DEC-T3.00:4")
    );

    // Strings borrow from the frame; an escaped one is copied, not refused.
    let text = fixture("orderbook_delta.json");
    let Incoming::OrderbookDelta(f) = decode(&text).unwrap() else {
        panic!()
    };
    assert!(matches!(f.msg.market_ticker, Cow::Borrowed(_)));
    let escaped = text.replace("FED-23DEC", "FED\\u002d23DEC");
    let Incoming::OrderbookDelta(f) = decode(&escaped).unwrap() else {
        panic!()
    };
    assert_eq!(
        f.msg.market_ticker,
        Cow::<str>::Owned("FED-23DEC-T3.00".into())
    );
}

#[test]
fn empty_snapshot_sides_are_omitted_both_ways() {
    let text = r#"{"type":"orderbook_snapshot","sid":1,"seq":1,"msg":{"market_ticker":"A","market_id":"m"}}"#;
    let incoming = decode(text).unwrap();
    let Incoming::OrderbookSnapshot(f) = &incoming else {
        panic!()
    };
    assert!(f.msg.yes_dollars_fp.is_empty() && f.msg.no_dollars_fp.is_empty());
    assert_eq!(incoming.encode().unwrap(), text);
}

#[test]
fn user_channel_fixtures_decode_exactly() {
    let Incoming::Fill(f) = decode_round_trip("fill.json") else {
        panic!()
    };
    assert_eq!(
        (f.sid, f.seq, f.sending_ts_ms),
        (Some(13), None, Some(1_671_899_397_130))
    );
    let fill = &f.msg;
    assert_eq!(
        fill.order_id,
        OrderId::new("ee587a1c-8b87-4dcf-b721-9f6f790619fa").unwrap()
    );
    assert_eq!(fill.market_ticker, t("HIGHNY-22DEC23-B53.5"));
    assert_eq!(
        (fill.yes_price_dollars, fill.count_fp, fill.is_taker),
        (p("0.75"), c("278"), true)
    );
    assert_eq!(
        (fill.fee_cost, fill.post_position_fp),
        (Some(m("3.6488")), Some(c("500")))
    );
    assert_eq!(
        (fill.outcome_side, fill.book_side),
        (Some(OutcomeSide::Yes), Some(BookSide::Bid))
    );
    assert_eq!(
        (fill.action.clone(), fill.ts_ms),
        (Some(Action::Buy), Some(1_671_899_397_123))
    );

    let Incoming::UserOrder(f) = decode_round_trip("user_order.json") else {
        panic!()
    };
    let o = &f.msg;
    assert_eq!(
        (o.ticker.as_str(), o.status.clone()),
        ("FED-23DEC-T3.00", OrderStatus::Resting)
    );
    assert_eq!(
        (o.yes_price_dollars, o.fill_count_fp, o.remaining_count_fp),
        (p("0.35"), c("2"), c("8"))
    );
    assert_eq!(
        (o.initial_count_fp, o.taker_fees_dollars),
        (Some(c("10")), Some(m("0.03")))
    );
    assert_eq!(
        o.self_trade_prevention_type,
        Some(SelfTradePrevention::TakerAtCross)
    );
    assert_eq!(
        o.client_order_id.as_deref(),
        Some("tw:fv1:FED-23DEC-T3.00:4")
    );

    let Incoming::MarketPosition(f) = decode_round_trip("market_position.json") else {
        panic!()
    };
    let pos = &f.msg;
    assert_eq!((pos.count(), pos.cost()), (Some(c("100")), Some(m("50"))));
    assert_eq!(
        (pos.realized_pnl(), pos.fees()),
        (Some(m("10")), Some(m("1")))
    );
    assert_eq!(pos.volume_fp, Some(c("15")));
}

#[test]
fn market_channel_fixtures_decode_exactly() {
    let Incoming::Ticker(f) = decode_round_trip("ticker.json") else {
        panic!()
    };
    let tk = &f.msg;
    assert_eq!(
        (tk.yes_bid_dollars, tk.yes_ask_dollars),
        (Some(p("0.45")), Some(p("0.53")))
    );
    assert_eq!(
        (tk.yes_bid_size_fp, tk.volume_fp),
        (Some(c("300")), Some(c("33896")))
    );
    assert_eq!(
        (tk.dollar_volume, tk.ts),
        (Some(16948), Some(1_669_149_841))
    );

    let Incoming::Trade(f) = decode_round_trip("trade.json") else {
        panic!()
    };
    let tr = &f.msg;
    assert_eq!(
        (tr.yes_price_dollars, tr.no_price_dollars, tr.count_fp),
        (p("0.36"), Some(p("0.64")), c("136"))
    );
    assert_eq!(
        (tr.taker_outcome_side, tr.taker_book_side),
        (Some(OutcomeSide::No), Some(BookSide::Ask))
    );

    let Incoming::MarketLifecycle(f) = decode_round_trip("market_lifecycle_v2_created.json") else {
        panic!()
    };
    assert_eq!(
        (f.sid, f.seq, f.sending_ts_ms),
        (Some(13), Some(3), Some(1_770_735_600_123))
    );
    let l = &f.msg;
    assert_eq!(
        (l.event_type.clone(), l.close_ts),
        (LifecycleEventType::Created, Some(1_770_868_800))
    );
    assert_eq!(l.price_ranges.as_ref().map(|r| r.0.len()), Some(1));
    let meta = l.additional_metadata.as_ref().unwrap();
    assert_eq!(meta["event_ticker"], "KXHIGHNY-26FEB11");

    let Incoming::MarketLifecycle(f) = decode_round_trip("market_lifecycle_v2_determined.json")
    else {
        panic!()
    };
    assert_eq!(
        (f.msg.result.clone(), f.msg.settlement_value),
        (Some(MarketResult::Yes), Some(Price::ONE))
    );

    let Incoming::MarketLifecycle(f) =
        decode_round_trip("market_lifecycle_v2_metadata_updated.json")
    else {
        panic!()
    };
    assert_eq!(
        f.msg
            .floor_strike
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("94.5")
    );

    let Incoming::MarketLifecycle(f) = decode_round_trip("market_lifecycle_v2_deactivated.json")
    else {
        panic!()
    };
    assert_eq!(
        (f.msg.event_type.clone(), f.msg.is_deactivated),
        (LifecycleEventType::Deactivated, Some(true))
    );

    let Incoming::EventLifecycle(f) = decode_round_trip("event_lifecycle.json") else {
        panic!()
    };
    assert_eq!(
        (f.msg.event_ticker.as_str(), f.msg.series_ticker.as_str()),
        ("KXHIGHNY-26FEB11", "KXHIGHNY")
    );
    assert_eq!(
        (f.msg.collateral_return_type.as_str(), f.msg.strike_date),
        ("MECNET", Some(1_770_872_400))
    );
}

#[test]
fn unknown_type_keeps_the_whole_frame() {
    let text = r#"{"type":"event_fee_update","sid":8,"msg":{"event_ticker":"EVENT","fee_type_override":"quadratic"}}"#;
    let Incoming::Unknown(u) = decode(text).unwrap() else {
        panic!()
    };
    assert_eq!((&*u.kind, &*u.raw), ("event_fee_update", text));
    assert_eq!(Incoming::Unknown(u).encode().unwrap(), text);
}

#[test]
fn msg_before_type_decodes_the_same() {
    for name in [
        "orderbook_delta.json",
        "fill.json",
        "resp_ok_list.json",
        "resp_error.json",
    ] {
        let text = fixture(name);
        let value: Value = serde_json::from_str(&text).unwrap();
        let Value::Object(mut map) = value else {
            panic!()
        };
        let msg = map.remove("msg").unwrap();
        let rest = serde_json::to_string(&map).unwrap();
        let reordered = format!("{{\"msg\":{msg},{}", &rest[1..]);
        assert!(reordered.starts_with("{\"msg\""));
        assert_eq!(
            decode(&reordered).unwrap(),
            decode(&text).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn malformed_frames_are_errors_not_panics() {
    let delta = fixture("orderbook_delta.json");
    let delta = delta.trim();
    for cut in 0..delta.len() {
        let err = decode(&delta[..cut]).expect_err("a truncated frame decoded");
        assert!(err.payload.chars().count() <= 200);
    }
    let bad = [
        ("truncated", r#"{"type":"orderbook_delta","sid":2,"#),
        ("not an object", r#"["orderbook_delta"]"#),
        ("no type", r#"{"sid":2,"msg":{}}"#),
        ("type not a string", r#"{"type":7,"msg":{}}"#),
        ("type twice", r#"{"type":"ok","type":"ok"}"#),
        ("delta without seq", &delta.replace("\"seq\":3,", "")),
        ("delta without sid", &delta.replace("\"sid\":2,", "")),
        (
            "delta without msg",
            r#"{"type":"orderbook_delta","sid":2,"seq":3}"#,
        ),
        (
            "seq as string",
            &delta.replace("\"seq\":3", "\"seq\":\"3\""),
        ),
        ("price as number", &delta.replace("\"0.960\"", "0.96")),
        ("price above one", &delta.replace("\"0.960\"", "\"1.5\"")),
        (
            "price too precise",
            &delta.replace("\"0.960\"", "\"0.1234567\""),
        ),
        (
            "count not a decimal",
            &delta.replace("\"-54.00\"", "\"-54.0x\""),
        ),
        (
            "count too precise",
            &delta.replace("\"-54.00\"", "\"-54.001\""),
        ),
        (
            "side unknown",
            &delta.replace("\"side\":\"yes\"", "\"side\":\"maybe\""),
        ),
        (
            "ticker missing",
            &delta.replace("\"market_ticker\":\"FED-23DEC-T3.00\",", ""),
        ),
        ("trailing garbage", &format!("{delta} x")),
        (
            "fill bad ticker",
            &fixture("fill.json").replace("HIGHNY-22DEC23-B53.5", "bad ticker"),
        ),
        (
            "snapshot level short",
            r#"{"type":"orderbook_snapshot","sid":1,"seq":1,"msg":{"market_ticker":"A","market_id":"m","yes_dollars_fp":[["0.10"]]}}"#,
        ),
        ("subscribed without msg", r#"{"type":"subscribed","id":1}"#),
        (
            "unsubscribed without sid",
            r#"{"type":"unsubscribed","id":1}"#,
        ),
        (
            "error code negative",
            r#"{"type":"error","msg":{"code":-1,"msg":"x"}}"#,
        ),
    ];
    for (what, text) in bad {
        let err = decode(text).expect_err(what);
        assert!(!err.to_string().is_empty(), "{what}");
    }
    let long = format!(
        "{{\"type\":\"ticker\",\"msg\":{{\"market_ticker\":\"{}\"}}}}",
        "A".repeat(500)
    );
    let err = decode(&long).unwrap_err();
    assert_eq!(err.payload.chars().count(), 200);
    assert!(err.payload.ends_with('…'));
    assert!(decode("{").unwrap_err().is_syntax());
    assert!(!decode(r#"{"sid":1}"#).unwrap_err().is_syntax());
}

#[test]
fn responses_tolerate_unknown_fields() {
    let text = fixture("orderbook_delta.json")
        .replace("\"side\"", "\"new_field\":[1,{\"a\":null}],\"side\"");
    let text = text.replace("\"seq\":3", "\"seq\":3,\"future\":{\"x\":1}");
    let Incoming::OrderbookDelta(f) = decode(&text).unwrap() else {
        panic!()
    };
    assert_eq!(f.msg.delta_fp, c("-54"));
    let fill = fixture("fill.json").replace(
        "\"is_taker\"",
        "\"maker_rebate_dollars\":\"0.01\",\"is_taker\"",
    );
    assert!(matches!(decode(&fill).unwrap(), Incoming::Fill(_)));
}
