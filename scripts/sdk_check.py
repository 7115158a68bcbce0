"""Kalshi's official Python SDK, unmodified, against kalshi-sim.

`scripts/sdk-check` makes the virtualenv (kalshi-python-sync 3.34.0, which needs Python 3.13),
starts `tradewind sim` and runs this file with the simulator's URLs and the key it wrote:

    python scripts/sdk_check.py --rest URL --admin URL --key-id ID --key-file FILE

It calls every market, event, series, trade, portfolio and V2 order operation of the SDK (plus
the exchange and rate-limit ones the simulator serves) through `KalshiClient`, each id coming
from an earlier answer, and prints one line per call, `PASS op: detail` or `FAIL op: detail`,
then a total. It exits 0 only if every call passes. A call passes when it answers 2xx and the
SDK turns the answer into its model without error; a failure names the HTTP status and error
body, or the pydantic validation errors (model.field: problem) for the whole answer. Calls the
simulator does not serve fail as "not implemented". Operations are enumerated from the
installed package's api modules: one that is neither called below nor skipped here fails, so
a new SDK version cannot add an operation unnoticed.

Setup goes through the simulator's admin interface (/_sim), not the SDK: market makers act
first so books are two-sided, and at the end the traded market is closed and determined so a
settlement exists (scripts/sdk-check.sim.toml sets a zero settlement timer); the historical
calls wait until that market is older than the simulator's historical cutoff (one second). The order calls
rest bids at 0.01-0.03, far below the market, then cancel them; one IOC order buys a single
YES contract at the ask so fills, positions, trades and settlements are not empty.

Skipped, because they lie outside what the simulator simulates (trading on its own markets):

- api_keys_api: API key management (the simulator registers keys through POST /_sim/accounts).
- communications_api: RFQs, quotes and block-trade proposals.
- fcm_api: FCM (futures commission merchant) sub-trader endpoints.
- multivariate_api and events_api.get_multivariate_events: multivariate (combo) collections
  and events; the simulator lists no combos.
- live_data_api, milestone_api, structured_targets_api: sports and weather data feeds and
  their metadata, not market, trade or portfolio data.
- search_api: tag and sport filters for Kalshi's web pages.
- incentive_programs_api: rewards programmes.
- account_api.get_account_api_usage_level_volume_progress and
  upgrade_account_api_usage_level: the API usage-level programme; the simulator fixes an
  account's tier when the account is made.
- portfolio_api subaccounts (create_subaccount, apply_subaccount_transfer,
  get_subaccount_balances, get_subaccount_transfers, get_subaccount_netting,
  update_subaccount_netting): subaccount management.
- portfolio_api funding and transfers (get_deposits, get_withdrawals,
  intra_exchange_instance_transfer, get_intra_exchange_instance_transfer(s),
  get/set_target_balance_allocation): money moved in or out or between exchange instances.

Traffic goes only to the simulator: the URLs must be loopback. Standard library and the SDK
only. Secrets stay out of the output: the key file is read, never printed.
"""

import argparse
import importlib
import inspect
import ipaddress
import json
import pkgutil
import re
import secrets
import sys
import time
import urllib.parse
import urllib.request

import kalshi_python_sync
import kalshi_python_sync.api as sdk_apis
from kalshi_python_sync import Configuration, KalshiClient
from kalshi_python_sync.exceptions import ApiException
from pydantic import ValidationError

SDK_VERSION = "3.34.0"

SKIPPED_MODULES = {
    "api_keys_api": "API key management",
    "communications_api": "RFQs, quotes and block trades",
    "fcm_api": "FCM sub-traders",
    "multivariate_api": "multivariate collections",
    "live_data_api": "live sports and weather data",
    "milestone_api": "milestones",
    "structured_targets_api": "structured targets",
    "search_api": "web search filters",
    "incentive_programs_api": "incentive programmes",
}

SKIPPED_OPS = {
    "get_multivariate_events": "multivariate events",
    "get_account_api_usage_level_volume_progress": "API usage-level programme",
    "upgrade_account_api_usage_level": "API usage-level programme",
    "create_subaccount": "subaccount management",
    "apply_subaccount_transfer": "subaccount management",
    "get_subaccount_balances": "subaccount management",
    "get_subaccount_transfers": "subaccount management",
    "get_subaccount_netting": "subaccount management",
    "update_subaccount_netting": "subaccount management",
    "get_deposits": "funding",
    "get_withdrawals": "funding",
    "intra_exchange_instance_transfer": "transfers",
    "get_intra_exchange_instance_transfer": "transfers",
    "get_intra_exchange_instance_transfers": "transfers",
    "get_target_balance_allocation": "transfers",
    "set_target_balance_allocation": "transfers",
}

OP_SUFFIXES = ("_with_http_info", "_without_preload_content", "_serialize")
CLIENT_ORDER_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def sdk_operations():
    """Every operation of every api module: {name: (module, api class)}."""
    ops = {}
    for info in pkgutil.iter_modules(sdk_apis.__path__):
        module = importlib.import_module(f"{sdk_apis.__name__}.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            for name, _ in inspect.getmembers(cls, inspect.isfunction):
                if not name.startswith("_") and not name.endswith(OP_SUFFIXES):
                    ops[name] = (info.name, cls)
    return ops


def in_scope(ops):
    """The operations this check must call, and the ones it skips (sorted by module)."""
    wanted = {
        name
        for name, (module, _) in ops.items()
        if module not in SKIPPED_MODULES and name not in SKIPPED_OPS
    }
    skipped = sorted(set(ops) - wanted, key=lambda op: (ops[op][0], op))
    return wanted, skipped


def response_types(cls, op):
    """The SDK's own status -> model name map for `op`, read from its source."""
    source = inspect.getsource(getattr(cls, op))
    return dict(re.findall(r"'(\d{3})': \"(\w+)\"", source))


def resource_path(cls, op):
    """The SDK's path template for `op`, e.g. `/markets/{ticker}`, read from its source."""
    source = inspect.getsource(getattr(cls, f"_{op}_serialize"))
    found = re.search(r"resource_path='([^']+)'", source)
    return found.group(1) if found else ""


def short(value, limit=160):
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def validation_summary(err):
    """`Model.field: message (input ...)` for each error of one pydantic ValidationError."""
    parts = []
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"])
        parts.append(f"{err.title}.{loc}: {e['msg']} (input {short(repr(e.get('input')), 40)})")
    return "; ".join(parts)


def all_validation_errors(model, raw):
    """Every place `raw` breaks the SDK's `model`, list indices folded: `markets[].x: msg`."""
    cls = getattr(kalshi_python_sync.models, model, None)
    if cls is None:
        return []
    try:
        cls.model_validate(raw)
    except ValidationError as err:
        seen = []
        for e in err.errors():
            loc = "".join("[]" if isinstance(p, int) else f".{p}" for p in e["loc"])
            line = f"{model}{loc}: {e['msg']}"
            if line not in seen:
                seen.append(line)
        return seen
    return []


class Checker:
    """Calls SDK operations, records PASS/FAIL lines, keeps the raw answers of failed reads."""

    def __init__(self, client, ops):
        self.client = client
        self.ops = ops
        self.called = set()
        self.passed = 0
        self.failed = []

    def report(self, ok, label, detail):
        print(f"{'PASS' if ok else 'FAIL'} {label}: {detail}", flush=True)
        if ok:
            self.passed += 1
        else:
            self.failed.append(label)

    def call(self, op, *args, label=None, describe=None, **kwargs):
        """Calls `op`; returns (model, raw JSON or None). The raw JSON of a failed GET is
        fetched again without the SDK's models so later steps can still take ids from it."""
        label = label or op
        self.called.add(op)
        try:
            out = getattr(self.client, op)(*args, **kwargs)
        except ApiException as err:
            self.report(False, label, api_error(err, resource_path(self.ops[op][1], op)))
            return None, None
        except ValidationError as err:
            if err.title == op or err.title.endswith("Request"):
                self.report(False, label, f"this check built a bad request: {err}")
                return None, None
            raw = self.raw(op, *args, **kwargs)
            detail = f"answer does not fit the SDK model: {validation_summary(err)}"
            whole = all_validation_errors(self.model_of(op), raw) if raw is not None else []
            if whole:
                detail += f" | whole answer: {'; '.join(whole)}"
            self.report(False, label, detail)
            return None, raw
        except Exception as err:  # noqa: BLE001 - any other SDK failure is a FAIL line
            self.report(False, label, f"{type(err).__name__}: {short(str(err), 300)}")
            return None, None
        try:
            detail = describe(out) if describe else "ok"
        except Exception as err:  # noqa: BLE001 - the call passed; only the summary failed
            detail = f"ok (summary failed: {type(err).__name__}: {err})"
        self.report(True, label, detail)
        return out, None

    def model_of(self, op):
        types = response_types(self.ops[op][1], op)
        return types.get("200") or types.get("201")

    def raw(self, op, *args, **kwargs):
        """The JSON a read answers, without the SDK's models (None for writes)."""
        if not op.startswith("get_") and op != "batch_get_market_candlesticks":
            return None
        try:
            resp = getattr(self.client, f"{op}_without_preload_content")(*args, **kwargs)
            return json.loads(resp.data)
        except Exception:  # noqa: BLE001 - the failure is already reported
            return None

    def finish(self):
        wanted, skipped = in_scope(self.ops)
        for op in sorted(wanted - self.called):
            self.report(False, op, "the SDK has this operation but this check does not call it")
        total = self.passed + len(self.failed)
        print(
            f"\n{self.passed}/{total} calls passed, {len(self.failed)} failed "
            f"({len(wanted)} SDK operations in scope)"
        )
        if self.failed:
            print("failed: " + ", ".join(self.failed))
        print(f"skipped {len(skipped)} operations outside the simulator's scope "
              f"(scripts/sdk_check.py header says why): {skip_summary(self.ops, skipped)}")
        return 0 if not self.failed else 1


def skip_summary(ops, skipped):
    """`reason (count), ...` over the skipped operations."""
    counts = {}
    for op in skipped:
        module = ops[op][0]
        reason = SKIPPED_MODULES.get(module) or SKIPPED_OPS[op]
        counts[reason] = counts.get(reason, 0) + 1
    return ", ".join(f"{reason} ({n})" for reason, n in counts.items())


def api_error(err, path):
    """`not implemented by the simulator (...)` or `HTTP 400 code: message`.

    A 404 from a path without parameters (`/series/fee_changes`) means the endpoint itself is
    missing, even when the simulator read it as an id of a neighbouring route
    (`/series/{series_ticker}`) and answered "series fee_changes not found"."""
    body = err.body or ""
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = None
    inner = parsed.get("error") if isinstance(parsed, dict) else None
    fields = inner if isinstance(inner, dict) else parsed if isinstance(parsed, dict) else {}
    message = fields.get("message") or short(body)
    if err.status == 405 or (err.status == 404 and ("no endpoint" in body or "{" not in path)):
        return f"not implemented by the simulator ({err.status} on {path}: {message})"
    shape = ""
    if isinstance(inner, dict):
        shape = ' [error body wrapped in {"error": ...}: the SDK\'s ErrorResponse reads nothing]'
    return f"HTTP {err.status} {fields.get('code', '')}: {message}{shape}"


def pick(obj, raw, key):
    """Field `key` of an SDK model, or of the raw JSON when the model failed."""
    if obj is not None:
        return getattr(obj, key)
    return (raw or {}).get(key)


def get(item, key):
    return item.get(key) if isinstance(item, dict) else getattr(item, key, None)


class Admin:
    """The simulator's unauthenticated admin interface (setup only; not part of the check)."""

    def __init__(self, base):
        self.base = base.rstrip("/")

    def post(self, path, body=None):
        data = json.dumps(body or {}).encode()
        req = urllib.request.Request(
            self.base + path, data=data, method="POST",
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 - loopback
                return resp.status
        except OSError as err:
            sys.exit(f"sdk_check: setup step POST /_sim{path} failed: {err}")


def require_loopback(url):
    host = urllib.parse.urlsplit(url).hostname or ""
    try:
        ok = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        ok = False
    if not ok:
        sys.exit(f"sdk_check: refusing to send traffic to {url}: not a loopback address")


def new_client(rest, key_id, key_file):
    config = Configuration(host=rest)
    config.api_key_id = key_id
    with open(key_file, encoding="ascii") as f:
        config.private_key_pem = f.read()
    return KalshiClient(config)


class Run:
    """The calls, in an order where every id comes from an earlier answer."""

    def __init__(self, check, admin):
        self.c = check
        self.admin = admin
        self.tag = secrets.token_hex(3)
        self.n = 0
        self.now = int(time.time())

    def client_order_id(self):
        self.n += 1
        cid = f"sdkcheck-{self.tag}-{self.n}"
        assert CLIENT_ORDER_ID.match(cid), cid
        return cid

    def exchange_and_account(self):
        c = self.c
        c.call("get_exchange_status", describe=lambda r: f"trading_active={r.trading_active}")
        c.call("get_exchange_schedule", describe=lambda r: "schedule")
        c.call("get_user_data_timestamp", describe=lambda r: f"as_of_time={r.as_of_time}")
        c.call(
            "get_series_fee_changes",
            describe=lambda r: f"{len(r.series_fee_change_arr or [])} changes",
        )
        c.call("get_account_api_limits", describe=lambda r: f"usage_tier={r.usage_tier}")
        c.call("get_account_endpoint_costs", describe=lambda r: f"default_cost={r.default_cost}")

    def markets(self):
        """Lists open markets and picks one with a two-sided book for the order calls."""
        c = self.c
        self.admin.post("/world/act", {"actions": 3000})
        out, raw = c.call(
            "get_markets", limit=200, status="open",
            describe=lambda r: f"{len(r.markets)} open markets",
        )
        markets = pick(out, raw, "markets") or []
        two_sided = [
            m for m in markets
            if 0.10 <= float(get(m, "yes_ask_dollars") or 0) <= 0.95
            and float(get(m, "yes_bid_dollars") or 0) > 0.05
        ]
        if not two_sided:
            sys.exit("sdk_check: no open market with a two-sided book to trade against")
        m = two_sided[0]
        self.ticker = get(m, "ticker")
        self.event = get(m, "event_ticker")
        self.yes_ask = get(m, "yes_ask_dollars")
        self.other = get(two_sided[-1], "ticker")
        c.call("get_market", self.ticker, describe=lambda r: f"{r.market.ticker} {r.market.status}")
        c.call("get_market_orderbook", self.ticker, depth=10, describe=describe_book)
        c.call(
            "get_market_orderbooks", tickers=[self.ticker, self.other],
            describe=lambda r: f"{len(r.orderbooks)} books",
        )
        self.candles()

    def candles(self):
        c, start = self.c, self.now - 3600
        c.call(
            "get_market_candlesticks", self.series(), self.ticker, start, self.now + 60, 1,
            describe=lambda r: f"{len(r.candlesticks)} candles",
        )
        c.call(
            "batch_get_market_candlesticks", f"{self.ticker},{self.other}", start,
            self.now + 60, 1, describe=lambda r: f"{len(r.markets)} markets",
        )

    def series(self):
        return self.event.split("-")[0]

    def events_and_series(self):
        c, start = self.c, self.now - 3600
        c.call(
            "get_events", limit=10, with_nested_markets=True,
            describe=lambda r: f"{len(r.events)} events",
        )
        c.call(
            "get_event", self.event, with_nested_markets=True,
            describe=lambda r: f"{r.event.event_ticker}, {len(r.event.markets or [])} markets",
        )
        c.call("get_event_metadata", self.event, describe=lambda r: "metadata")
        c.call("get_event_fee_changes", describe=lambda r: "fee changes")
        c.call(
            "get_market_candlesticks_by_event", self.event, self.series(), start,
            self.now + 60, 1, describe=lambda r: f"{len(r.market_tickers)} markets",
        )
        c.call(
            "get_event_forecast_percentiles_history", self.event, self.series(), [5000],
            start, self.now + 60, 60, describe=lambda r: "forecast history",
        )
        c.call("get_series_list", describe=lambda r: f"{len(r.series)} series")
        c.call("get_series", self.series(), describe=lambda r: r.series.ticker)

    def order(self, price, count="2", tif="good_till_canceled", **extra):
        return dict(
            ticker=self.ticker, side="bid", price=price, count=count, time_in_force=tif,
            self_trade_prevention_type="taker_at_cross",
            client_order_id=self.client_order_id(), **extra,
        )

    def resting_order(self):
        """Places a bid far below the market and runs the single-order calls on it."""
        c = self.c
        body = self.order("0.0200", count="3")
        out, _ = c.call(
            "create_order_v2", label="create_order_v2 (resting bid)",
            describe=lambda r: f"order {r.order_id}, remaining {r.remaining_count}", **body,
        )
        oid = out.order_id if out else self.find_order(body["client_order_id"])
        c.call("get_order", oid, describe=lambda r: f"{r.order.status}, {r.order.client_order_id}")
        c.call("get_orders", ticker=self.ticker, describe=lambda r: f"{len(r.orders)} orders")
        c.call("get_order_queue_position", oid, describe=lambda r: f"queue {r.queue_position_fp}")
        c.call(
            "get_order_queue_positions", market_tickers=self.ticker,
            describe=lambda r: f"{len(r.queue_positions or [])} positions",
        )
        c.call(
            "amend_order_v2", oid, ticker=self.ticker, side="bid", price="0.0300", count="3",
            describe=lambda r: f"remaining {r.remaining_count}",
        )
        c.call(
            "decrease_order_v2", oid, reduce_by="1",
            describe=lambda r: f"remaining {r.remaining_count}",
        )
        c.call("cancel_order_v2", oid, describe=lambda r: f"reduced_by {r.reduced_by}")

    def find_order(self, client_order_id):
        """The id of our order with `client_order_id`, read without the SDK's models."""
        try:
            resp = self.c.client.get_orders_without_preload_content(ticker=self.ticker)
            orders = json.loads(resp.data).get("orders", [])
        except Exception:  # noqa: BLE001 - an unknown id makes the next calls fail visibly
            return "unknown-order-id"
        ids = [o.get("order_id") for o in orders if o.get("client_order_id") == client_order_id]
        return ids[0] if ids else "unknown-order-id"

    def batches(self):
        c = self.c
        out, _ = c.call(
            "batch_create_orders_v2",
            orders=[self.order("0.0100"), self.order("0.0200")],
            describe=lambda r: f"{len(r.orders)} created",
        )
        ids = [o.order_id for o in (out.orders if out else []) if o.order_id]
        c.call(
            "batch_cancel_orders_v2",
            orders=[{"order_id": i} for i in ids] or [{"order_id": "unknown-order-id"}],
            describe=lambda r: f"{len(r.orders)} canceled",
        )
        c.call("create_order_v2", label="create_order_v2 (for cancel_all)",
               describe=lambda r: r.order_id, **self.order("0.0100"))
        c.call("cancel_all_orders", describe=lambda r: "canceled")

    def take(self):
        """Buys one YES at the ask, so fills, positions and trades have something in them."""
        c = self.c
        c.call(
            "create_order_v2", label="create_order_v2 (IOC taker)",
            describe=lambda r: f"filled {r.fill_count}, remaining {r.remaining_count}",
            **self.order(self.yes_ask, count="1", tif="immediate_or_cancel"),
        )
        c.call("get_fills", ticker=self.ticker, describe=lambda r: f"{len(r.fills)} fills")
        c.call(
            "get_trades", ticker=self.ticker, limit=50,
            describe=lambda r: f"{len(r.trades)} trades",
        )
        c.call("get_positions", describe=describe_positions)
        c.call("get_balance", describe=lambda r: f"balance {r.balance}")
        c.call(
            "get_portfolio_resting_order_total_value",
            describe=lambda r: f"{r.total_resting_order_value} cents resting",
        )

    def order_groups(self):
        c = self.c
        out, _ = c.call(
            "create_order_group", contracts_limit=10, describe=lambda r: r.order_group_id,
        )
        gid = out.order_group_id if out else "unknown-order-group"
        c.call("get_order_groups", describe=lambda r: f"{len(r.order_groups or [])} groups")
        c.call("get_order_group", gid, describe=lambda r: f"auto_cancel {r.is_auto_cancel_enabled}")
        c.call("update_order_group_limit", gid, contracts_limit=20, describe=lambda r: "updated")
        c.call("trigger_order_group", gid, describe=lambda r: "triggered")
        c.call("reset_order_group", gid, describe=lambda r: "reset")
        c.call("delete_order_group", gid, describe=lambda r: "deleted")

    def settle(self):
        """Closes and determines the traded market (admin), then reads the settlement."""
        c = self.c
        self.admin.post(f"/markets/{self.ticker}/close")
        self.admin.post(f"/markets/{self.ticker}/determine", {"result": "yes"})
        self.wait_finalized()
        c.call("get_settlements", describe=lambda r: f"{len(r.settlements)} settlements")
        c.call(
            "get_positions", label="get_positions (settlement_status=settled)",
            settlement_status="settled", describe=describe_positions,
        )

    def wait_finalized(self):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            resp = self.c.client.get_market_without_preload_content(self.ticker)
            if json.loads(resp.data).get("market", {}).get("status") in ("finalized", "settled"):
                return
            time.sleep(0.1)
        print(f"note: {self.ticker} was not finalized within 10 s", flush=True)

    def wait_historical(self):
        """Waits until the settled market is older than the historical cutoff
        (scripts/sdk-check.sim.toml sets historical_after_s = 1)."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            resp = self.c.client.get_historical_market_without_preload_content(self.ticker)
            if resp.status == 200:
                return
            time.sleep(0.2)
        print(f"note: {self.ticker} did not become historical within 10 s", flush=True)

    def historical(self):
        c, start = self.c, self.now - 3600
        self.wait_historical()
        c.call("get_historical_cutoff", describe=lambda r: "cutoff")
        c.call("get_historical_markets", limit=10, describe=lambda r: f"{len(r.markets)} markets")
        c.call("get_historical_market", self.ticker, describe=lambda r: r.market.ticker)
        c.call(
            "get_market_candlesticks_historical", self.ticker, start, self.now + 60, 60,
            describe=lambda r: f"{len(r.candlesticks)} candles",
        )
        c.call("get_trades_historical", limit=10, describe=lambda r: f"{len(r.trades)} trades")
        c.call("get_fills_historical", limit=10, describe=lambda r: f"{len(r.fills)} fills")
        c.call("get_historical_orders", limit=10, describe=lambda r: f"{len(r.orders)} orders")
        c.call("get_historical_positions", limit=10, describe=lambda r: "positions")


def describe_book(r):
    book = r.orderbook_fp
    return f"{len(book.yes_dollars or [])} yes / {len(book.no_dollars or [])} no levels"


def describe_positions(r):
    return f"{len(r.market_positions or [])} market, {len(r.event_positions or [])} event positions"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rest", required=True, help="REST base URL ending in /trade-api/v2")
    parser.add_argument("--admin", required=True, help="admin base URL ending in /_sim")
    parser.add_argument("--key-id", required=True)
    parser.add_argument("--key-file", required=True)
    args = parser.parse_args()
    require_loopback(args.rest)
    require_loopback(args.admin)
    if kalshi_python_sync.__version__ != SDK_VERSION:
        sys.exit(f"sdk_check: expected kalshi-python-sync {SDK_VERSION}, "
                 f"found {kalshi_python_sync.__version__}")
    ops = sdk_operations()
    check = Checker(new_client(args.rest, args.key_id, args.key_file), ops)
    run = Run(check, Admin(args.admin))
    run.exchange_and_account()
    run.markets()
    run.events_and_series()
    run.resting_order()
    run.batches()
    run.take()
    run.order_groups()
    run.settle()
    run.historical()
    return check.finish()


if __name__ == "__main__":
    sys.exit(main())
