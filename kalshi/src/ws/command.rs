//! Commands a client sends over the WebSocket: `{"id":N,"cmd":"...","params":{...}}`
//! (kalshi-api.md §6.1, <https://docs.kalshi.com/websockets/websocket-connection>).
//!
//! [`Command`] is one type for both ends: the engine builds and encodes it, the simulator
//! decodes it with [`Command::from_json`], which answers a bad command with the error code
//! Kalshi would send ([`CommandError::code`]: 5 unknown command, 2 params required, 3, 4,
//! 11–15, 19–22). The plain serde `Deserialize` impl applies the same params rules, but its
//! errors are only text, and it refuses `params` on `list_subscriptions`, which `from_json`
//! ignores.
//!
//! The params types and their rules are in `params.rs`, [`Channel`] in `channel.rs`.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::{
    channel::Channel,
    params::{
        self as wire, MarketFilter, ParamsError, SubscribeParams, UnsubscribeParams, UpdateAction,
        UpdateSubscriptionParams,
    },
    response::{ErrorResponse, WsErrorCode},
};
use crate::ids::Ticker;

/// A command frame. `id` is unique per connection (start at 1; `0` counts as no id and is
/// what a frame without `id` decodes to).
/// `{"id":1,"cmd":"subscribe","params":{"channels":["orderbook_delta"],"market_ticker":"CPI-22DEC-TN0.1"}}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Command {
    /// Client-chosen command id, echoed in the reply.
    #[serde(default)]
    pub id: u64,
    /// The command and its parameters.
    #[serde(flatten)]
    pub kind: CommandKind,
}

/// The `cmd` and its `params`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "cmd", content = "params", rename_all = "snake_case")]
pub enum CommandKind {
    /// Subscribe to channels, optionally filtered by markets.
    Subscribe(SubscribeParams),
    /// Remove subscriptions.
    Unsubscribe(UnsubscribeParams),
    /// Add or remove markets of one subscription, or ask for a fresh snapshot.
    UpdateSubscription(UpdateSubscriptionParams),
    /// List this connection's subscriptions; has no `params`.
    ListSubscriptions,
}

impl Command {
    /// `subscribe` to `channels` for `markets`.
    pub fn subscribe(id: u64, channels: Vec<Channel>, markets: MarketFilter) -> Command {
        let params = SubscribeParams {
            channels,
            markets,
            ..SubscribeParams::default()
        };
        Command {
            id,
            kind: CommandKind::Subscribe(params),
        }
    }

    /// `unsubscribe` from `sids`.
    pub fn unsubscribe(id: u64, sids: Vec<u64>) -> Command {
        Command {
            id,
            kind: CommandKind::Unsubscribe(UnsubscribeParams { sids }),
        }
    }

    /// `update_subscription` of `sid`.
    pub fn update(id: u64, sid: u64, action: UpdateAction, market_tickers: Vec<Ticker>) -> Command {
        let params = UpdateSubscriptionParams {
            sid,
            market_tickers,
            action,
        };
        Command {
            id,
            kind: CommandKind::UpdateSubscription(params),
        }
    }

    /// `list_subscriptions`.
    pub fn list_subscriptions(id: u64) -> Command {
        Command {
            id,
            kind: CommandKind::ListSubscriptions,
        }
    }

    /// The wire name of the command.
    pub fn name(&self) -> &'static str {
        match self.kind {
            CommandKind::Subscribe(_) => "subscribe",
            CommandKind::Unsubscribe(_) => "unsubscribe",
            CommandKind::UpdateSubscription(_) => "update_subscription",
            CommandKind::ListSubscriptions => "list_subscriptions",
        }
    }

    /// The JSON text frame.
    pub fn to_json(&self) -> String {
        // unwrap: every field serializes infallibly to a string (no maps with non-string keys).
        serde_json::to_string(self).unwrap()
    }

    /// Decodes a command frame, refusing a bad one with the code Kalshi would answer.
    pub fn from_json(text: &str) -> Result<Command, CommandError> {
        #[derive(Deserialize)]
        struct Raw<'a> {
            #[serde(default)]
            id: Option<u64>,
            #[serde(default, borrow, deserialize_with = "super::borrow::opt_cow")]
            cmd: Option<Cow<'a, str>>,
            #[serde(default, borrow)]
            params: Option<&'a RawValue>,
        }
        let fail = |id, code, message: String| CommandError { id, code, message };
        let raw: Raw<'_> = serde_json::from_str(text)
            .map_err(|e| fail(None, WsErrorCode::UNABLE_TO_PROCESS, e.to_string()))?;
        let id = raw.id;
        let Some(cmd) = raw.cmd else {
            return Err(fail(
                id,
                WsErrorCode::UNABLE_TO_PROCESS,
                "missing cmd".into(),
            ));
        };
        fn params<'a, T: Deserialize<'a>>(
            raw: Option<&'a RawValue>,
        ) -> Result<T, (WsErrorCode, String)> {
            let raw = raw.ok_or((WsErrorCode::PARAMS_REQUIRED, "params required".to_owned()))?;
            serde_json::from_str(raw.get())
                .map_err(|e| (WsErrorCode::INVALID_PARAMETER, e.to_string()))
        }
        let kind = match &*cmd {
            "subscribe" => params::<wire::Subscribe>(raw.params)
                .and_then(|w| SubscribeParams::try_from(w).map_err(ParamsError::into_pair))
                .map(CommandKind::Subscribe),
            "unsubscribe" => params::<wire::Unsubscribe>(raw.params)
                .and_then(|w| UnsubscribeParams::try_from(w).map_err(ParamsError::into_pair))
                .map(CommandKind::Unsubscribe),
            "update_subscription" => params::<wire::Update>(raw.params)
                .and_then(|w| UpdateSubscriptionParams::try_from(w).map_err(ParamsError::into_pair))
                .map(CommandKind::UpdateSubscription),
            "list_subscriptions" => Ok(CommandKind::ListSubscriptions),
            other => Err((
                WsErrorCode::UNKNOWN_COMMAND,
                format!("unknown command {other:?}"),
            )),
        };
        kind.map(|kind| Command {
            id: id.unwrap_or(0),
            kind,
        })
        .map_err(|(code, message)| fail(id, code, message))
    }
}

/// A command the simulator refuses: the code to answer and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("command {id:?} refused with code {code}: {message}")]
pub struct CommandError {
    /// The command's id, when it could be read.
    pub id: Option<u64>,
    /// The WebSocket error code Kalshi answers with.
    pub code: WsErrorCode,
    /// What was wrong, for logs.
    pub message: String,
}

impl CommandError {
    /// The numbered code.
    pub fn code(&self) -> WsErrorCode {
        self.code
    }

    /// The `error` frame body answering this command, with the code's documented wording.
    pub fn to_response(&self) -> ErrorResponse {
        ErrorResponse::new(self.id, self.code)
    }
}
