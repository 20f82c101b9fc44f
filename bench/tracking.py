#!/usr/bin/env python3
"""Benchmark: signed carrier webhooks against Odoo's JSON-2 API for the same tracking events.

Usage::

    .venv/bin/python bench/tracking.py --db oms_tracking_bench --events 20000 --clients 8 \\
        --batch 50 --shipments 500 --latency 300 --seed 1

The database gets ``oms_shipping`` (without demo data) when it lacks it. The script adds a
carrier with a webhook secret and ``--shipments`` outgoing transfers with a tracking number
(each gets its shipment), then starts Odoo with 2 workers (``--workers``) and one cron worker
(the processor of stored webhook requests) on a free local port. It builds ``--events``
unique tracking events (each with a carrier event id, on random shipments, in a random
order) plus ``--duplicates`` (10%) of them sent again, and pushes them from ``--clients``
concurrent clients, four times (each time with its own event ids). A duplicate that a
client signs in the same second as the original is the same signed request: the webhook
refuses it as a replay (409), which counts as a duplicate:

* ours, one event per request: ``POST /oms/carrier/<code>/webhook``, signed; it stores the
  request and answers 202, the processor (cron) matches and replays the events after;
* ours, in batches of ``--batch`` events per request;
* baseline, one by one: Odoo's JSON-2 API with an API key of an OMS manager (the raw
  payload it stores is a field of managers):
  ``oms.shipment.event/search_read`` for the carrier's event id, then ``create`` when not
  found (a duplicate that two clients create at once is refused by the unique index:
  counted as a duplicate);
* baseline in batches: one ``search_read`` for the batch's event ids, one ``create`` of
  the new ones.

For each: events/s (all events sent, duplicates included, over the wall-clock time until
the last answer) and, for ours, also until the processor has processed every stored
request; then the number of events stored, which must equal the unique count. The webhook
also matches each event to its shipment and moves the shipment's status; the baseline only
stores the rows. Last, ``--latency`` single-event requests (8 clients), each putting its
own shipment in exception at a new time: the time from each request's 202 to the
shipment showing that status (the order's *Shipment Status* is computed from it), p50 and
p95 (goal: p95 < 5 s). The last line prints the ratios ours/JSON-2 (goal: >= 2 one by one,
>= 10 in batches).
"""

import hashlib
import hmac
import json
import random
import threading
import time
import uuid

import common
import requests

from odoo.fields import Command
from odoo.tools import SQL

CARRIER_CODE = "bench-tracking"
SECRET = "bench-tracking-secret"
BENCH_LOGIN = "oms_tracking_bench_clerk"
STATUSES = ["picked_up", "in_transit", "in_transit", "out_for_delivery", "delivered"]


def prepare_database(args):
    """oms_shipping when missing; the carrier, the shipments and the bench user."""
    common.install(args, ("oms_shipping",))
    with common.open_env(args, {"tracking_disable": True}) as env:
        cr = env.cr
        carrier = env["delivery.carrier"].search([("oms_code", "=", CARRIER_CODE)])
        if not carrier:
            product = env["product.product"].create(
                {"name": "Bench parcel", "type": "service", "list_price": 0.0}
            )
            carrier = env["delivery.carrier"].create(
                {
                    "name": "Bench Parcel",
                    "delivery_type": "fixed",
                    "product_id": product.id,
                    "oms_code": CARRIER_CODE,
                    "oms_webhook_secret": SECRET,
                }
            )
        numbers = (
            env["oms.shipment"].search([("carrier_id", "=", carrier.id)]).mapped("tracking_ref")
        )
        missing = args.shipments - len(numbers)
        if missing > 0:
            warehouse = env["stock.warehouse"].search([], limit=1)
            customer = env["res.partner"].create({"name": "Bench tracking customer"})
            start = len(numbers)
            env["stock.picking"].create(
                [
                    {
                        "picking_type_id": warehouse.out_type_id.id,
                        "partner_id": customer.id,
                        "carrier_id": carrier.id,
                        "carrier_tracking_ref": f"BT{start + i:07d}",
                    }
                    for i in range(missing)
                ]
            )
            numbers = (
                env["oms.shipment"].search([("carrier_id", "=", carrier.id)]).mapped("tracking_ref")
            )
        user = (
            env["res.users"].with_context(active_test=False).search([("login", "=", BENCH_LOGIN)])
        )
        # An OMS manager: the raw carrier payload the baseline stores is a field of managers.
        manager = env.ref("oms_extended.group_oms_manager")
        if not user:
            user = env["res.users"].create(
                {
                    "name": "Tracking bench clerk",
                    "login": BENCH_LOGIN,
                    "group_ids": [Command.set([manager.id])],
                }
            )
        elif manager not in user.group_ids:
            user.group_ids = [Command.link(manager.id)]
        cr.execute(SQL("DELETE FROM res_users_apikeys WHERE user_id = %s", user.id))
        # sudo: the clerk's own key, made as in its preferences without the password check
        key = env["res.users.apikeys"].with_user(user).sudo()._generate(None, "bench", None)
        common.analyze(cr, ("oms_shipment", "oms_shipment_event"))
        return carrier.id, numbers[: args.shipments], key


def make_events(args, numbers, prefix):
    """The unique events and the list to send (duplicates included, shuffled)."""
    rng = random.Random(f"{args.seed}-{prefix}")
    unique = []
    for i in range(args.events):
        unique.append(
            {
                "tracking_number": rng.choice(numbers),
                "status": rng.choice(STATUSES),
                "time": 1_767_000_000 + rng.randrange(3_000_000),
                "event_id": f"{prefix}-{i}",
                "description": "Scanned",
                "location": rng.choice(["Lyon", "Paris", "Lille", "Nantes"]),
            }
        )
    duplicates = [dict(rng.choice(unique)) for _ in range(int(args.events * args.duplicates))]
    to_send = unique + duplicates
    rng.shuffle(to_send)
    return unique, to_send


def chunks(items, size):
    return [items[i : i + size] for i in range(0, len(items), size)]


def push(args, requests_list, send):
    """Send ``requests_list`` (each a list of events) from ``args.clients`` threads."""
    queue = list(reversed(requests_list))
    lock = threading.Lock()
    errors = []

    def client():
        session = requests.Session()
        while True:
            with lock:
                if not queue:
                    return
                events = queue.pop()
            try:
                send(session, events)
            except Exception as error:
                errors.append(error)

    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit(f"error: {len(errors)} failed requests, first: {errors[0]!r}")
    return elapsed


def webhook_sender(base):
    url = f"{base}/oms/carrier/{CARRIER_CODE}/webhook"

    def send(session, events):
        body = json.dumps(events[0] if len(events) == 1 else {"events": events}).encode()
        timestamp = str(int(time.time()))
        signature = hmac.new(
            SECRET.encode(), timestamp.encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        response = session.post(
            url,
            data=body,
            timeout=300,
            headers={
                "Content-Type": "application/json",
                "X-OMS-Timestamp": timestamp,
                "X-OMS-Signature": signature,
            },
        )
        if response.status_code == 409 and "replayed_request" in response.text:
            # The same body signed in the same second as its first sending is the same signed
            # request: refused as a replay, its events already stored (a duplicate).
            return
        if response.status_code != 202:
            raise RuntimeError(f"{response.status_code} {response.text[:300]}")
        return time.perf_counter()

    return send


def json2_sender(base, key, db, carrier_id):
    def call(session, method, params):
        return session.post(
            f"{base}/json/2/oms.shipment.event/{method}",
            data=json.dumps(params),
            timeout=300,
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {key}",
                "X-Odoo-Database": db,
            },
        )

    def send(session, events):
        keys = {f"id:{event['event_id']}": event for event in events}
        response = call(
            session,
            "search_read",
            {
                "domain": [["carrier_id", "=", carrier_id], ["dedup_key", "in", list(keys)]],
                "fields": ["dedup_key"],
            },
        )
        response.raise_for_status()
        for row in response.json():
            keys.pop(row["dedup_key"], None)
        if not keys:
            return
        vals_list = [
            {
                "carrier_id": carrier_id,
                "tracking_number": event["tracking_number"],
                "status": event["status"],
                "event_date": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(event["time"])),
                "description": event["description"],
                "location": event["location"],
                "source": "webhook",
                "dedup_key": dedup_key,
                "raw_payload": json.dumps(event),
            }
            for dedup_key, event in keys.items()
        ]
        response = call(session, "create", {"vals_list": vals_list})
        duplicate = "already reported" in response.text or "dedup_uniq" in response.text
        if response.status_code >= 400 and not duplicate:
            raise RuntimeError(f"{response.status_code} {response.text[:300]}")
        if response.status_code >= 400 and len(vals_list) > 1:
            # Another client stored one of them meanwhile: one by one, as a client would.
            for vals in vals_list:
                call(session, "create", {"vals_list": [vals]})

    return send


def wait_processed(args, timeout=3600):
    """Seconds until no stored webhook request waits for the processor."""
    started = time.perf_counter()
    cnx = common.connect(args.db)
    cnx.autocommit = True
    try:
        with cnx.cursor() as cr:
            while time.perf_counter() - started < timeout:
                cr.execute("SELECT count(*) FROM oms_tracking_inbox WHERE state = 'new'")
                if not cr.fetchone()[0]:
                    return time.perf_counter() - started
                time.sleep(0.2)
    finally:
        cnx.close()
    raise SystemExit("error: the processor did not finish")


def parked(args):
    with common.open_env(args) as env:
        env.cr.execute("SELECT count(*) FROM oms_tracking_inbox WHERE state = 'parked'")
        return env.cr.fetchone()[0]


def measure_latency(args, base, run_id):
    """Time from each request's 202 to its shipment showing the new status."""
    with common.open_env(args) as env:
        env.cr.execute(
            "SELECT s.id, s.tracking_ref FROM oms_shipment s JOIN delivery_carrier c "
            "ON c.id = s.carrier_id WHERE c.oms_code = %s ORDER BY s.id LIMIT %s",
            [CARRIER_CODE, args.latency],
        )
        shipments = env.cr.fetchall()
    moment = int(time.time()) + 10 * 365 * 86400  # newer than any event of the run
    wanted = {}  # shipment id -> expected status_date
    requests_list = []
    for i, (shipment_id, number) in enumerate(shipments):
        when = moment + i
        wanted[shipment_id] = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(when))
        requests_list.append(
            [
                {
                    "tracking_number": number,
                    "status": "exception",
                    "time": when,
                    "event_id": f"{run_id}-latency-{i}",
                    "description": "Latency probe",
                    "_shipment": shipment_id,
                }
            ]
        )
    accepted = {}
    seen = {}
    done = threading.Event()

    def poll():
        cnx = common.connect(args.db)
        cnx.autocommit = True
        with cnx.cursor() as cr:
            while not done.is_set() or len(seen) < len(wanted):
                waiting = [sid for sid in wanted if sid not in seen]
                if not waiting:
                    break
                cr.execute(
                    "SELECT id, to_char(status_date, 'YYYY-MM-DD HH24:MI:SS') FROM oms_shipment "
                    "WHERE id = ANY(%s) AND status = 'exception'",
                    [waiting],
                )
                now = time.perf_counter()
                for sid, status_date in cr.fetchall():
                    if status_date == wanted[sid]:
                        seen[sid] = now
                time.sleep(0.05)
                if done.is_set() and time.perf_counter() - done.at > 120:
                    break
        cnx.close()

    send = webhook_sender(base)

    def send_one(session, events):
        shipment_id = events[0]["_shipment"]
        payload = [{k: v for k, v in event.items() if k != "_shipment"} for event in events]
        accepted[shipment_id] = send(session, payload)

    poller = threading.Thread(target=poll)
    poller.start()
    push(args, requests_list, send_one)
    done.at = time.perf_counter()
    done.set()
    poller.join()
    delays = sorted(seen[sid] - accepted[sid] for sid in seen if sid in accepted)
    missing = len(wanted) - len(delays)
    if not delays:
        return None, None, missing
    p50 = delays[len(delays) // 2]
    p95 = delays[min(len(delays) - 1, int(len(delays) * 0.95))]
    return p50, p95, missing


def stored(args, prefix):
    with common.open_env(args) as env:
        env.cr.execute(
            "SELECT count(*) FROM oms_shipment_event WHERE dedup_key LIKE %s",
            [f"id:{prefix}-%"],
        )
        return env.cr.fetchone()[0]


def main():
    parser = common.argument_parser(__doc__, db="oms_tracking_bench")
    parser.add_argument("--events", type=int, default=20000, help="unique events per run")
    parser.add_argument("--duplicates", type=float, default=0.1, help="share sent twice")
    parser.add_argument("--shipments", type=int, default=500)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--latency", type=int, default=300, help="requests timed from 202 to the new status"
    )
    args = parser.parse_args()

    carrier_id, numbers, key = prepare_database(args)
    run_id = uuid.uuid4().hex[:8]
    process, base = common.start_server(
        args,
        "tracking",
        f"--workers={args.workers}",
        "--max-cron-threads=1",
        "--limit-time-real=600",
        "--limit-time-cpu=600",
        ready_path="/web/login",
    )
    results = {}
    try:
        paths = [
            ("ours, 1 per request", webhook_sender(base), 1),
            ("JSON-2, 1 by 1", json2_sender(base, key, args.db, carrier_id), 1),
            (f"ours, batches of {args.batch}", webhook_sender(base), args.batch),
            (
                f"JSON-2, batches of {args.batch}",
                json2_sender(base, key, args.db, carrier_id),
                args.batch,
            ),
        ]
        for index, (name, send, size) in enumerate(paths):
            prefix = f"{run_id}-{index}"
            unique, to_send = make_events(args, numbers, prefix)
            elapsed = push(args, chunks(to_send, size), send)
            rate = len(to_send) / elapsed
            results[index] = rate
            extra = ""
            if index in (0, 2):
                drain = wait_processed(args)
                total = elapsed + drain
                extra = f"; processed {drain:6.1f} s later ({len(to_send) / total:7.1f} events/s)"
                results[f"{index}-processed"] = len(to_send) / total
            count = stored(args, prefix)
            check = "OK" if count == len(unique) else "MISMATCH"
            print(
                f"{name:28s} {len(to_send):6d} events in {elapsed:7.1f} s: {rate:8.1f} events/s"
                f"{extra}; stored {count} of {len(unique)} unique ({check})",
                flush=True,
            )
        if args.latency:
            p50, p95, missing = measure_latency(args, base, run_id)
            results["latency"] = (p50, p95)
            print(
                f"latency 202 -> status shown, {args.latency} requests: p50 {p50:.2f} s, "
                f"p95 {p95:.2f} s (goal < 5 s); not shown within 2 min: {missing}",
                flush=True,
            )
        print(f"requests parked by the processor: {parked(args)}", flush=True)
    finally:
        common.stop_server(process)
    common.print_ratio(
        "JSON-2",
        f"one by one {results[0] / results[1]:.2f}x (goal 2x), batches of {args.batch} "
        f"{results[2] / results[3]:.2f}x (goal 10x); until processed: one by one "
        f"{results['0-processed'] / results[1]:.2f}x, batches "
        f"{results['2-processed'] / results[3]:.2f}x",
    )


if __name__ == "__main__":
    main()
