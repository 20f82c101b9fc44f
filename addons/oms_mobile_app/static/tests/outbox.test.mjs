/* Unit tests of the app's outbox (static/src/app/outbox.js), under Node's test runner:
 *     node --test addons/oms_mobile_app/static/tests/
 * run by `make test` through tests/test_app_units.py. */
import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";

import { ApiError, OfflineError } from "../src/app/errors.js";
import { Outbox, isTransient } from "../src/app/outbox.js";
import { createStore } from "../src/app/storage.js";

/** A Storage in memory, as localStorage is in the browser. */
class MemoryStorage {
    getItem(name) {
        return Object.hasOwn(this, name) ? this[name] : null;
    }
    setItem(name, value) {
        this[name] = String(value);
    }
    removeItem(name) {
        delete this[name];
    }
}

/** A server for POST /orders that keeps its orders by Idempotency-Key, as the API does;
 * `answers` are played first (an error to throw, or "lost": the order is created and the
 * answer lost on the way). */
class Server {
    constructor() {
        this.orders = new Map(); // idempotency key -> order
        this.calls = [];
        this.answers = [];
    }
    async post(body, idempotencyKey) {
        this.calls.push({ body, idempotencyKey });
        const answer = this.answers.shift();
        if (answer instanceof Error) {
            throw answer;
        }
        if (!this.orders.has(idempotencyKey)) {
            const id = this.orders.size + 1;
            this.orders.set(idempotencyKey, { id, name: `S0${id}` });
        }
        if (answer === "lost") {
            throw new OfflineError("No network");
        }
        return this.orders.get(idempotencyKey);
    }
}

let storage, store, state, server, outbox, ids;

function newOutbox() {
    return new Outbox({
        state,
        store,
        post: (body, key) => server.post(body, key),
        uuid: () => `id-${++ids}`,
        now: () => new Date("2026-03-02T10:00:00Z"),
    });
}

beforeEach(() => {
    storage = new MemoryStorage();
    store = createStore(() => storage);
    state = { key: "device-key", me: { id: 7 }, queue: [], syncing: false };
    server = new Server();
    ids = 0;
    outbox = newOutbox();
});

const order = (n) => ({ customer_id: 1, lines: [{ product_id: n, quantity: 1 }] });

describe("queueing", () => {
    test("an order waits with an id and an Idempotency-Key of its own, kept on the device", () => {
        const first = outbox.add(order(1), "first");
        const second = outbox.add(order(2), "second");
        assert.equal(state.queue.length, 2);
        const [a, b] = state.queue;
        assert.equal(a.id, first);
        assert.equal(b.id, second);
        assert.notEqual(a.idempotencyKey, b.idempotencyKey);
        assert.notEqual(a.idempotencyKey, a.id);
        assert.deepEqual(
            { status: a.status, error: a.error, attempts: a.attempts, uid: a.uid },
            { status: "waiting", error: null, attempts: 0, uid: 7 }
        );
        assert.equal(a.created, "2026-03-02T10:00:00.000Z");
        assert.deepEqual(store.get("queue"), state.queue);
    });

    test("the queue kept on the device is sent after a restart, with the same keys", async () => {
        outbox.add(order(1), "first");
        const key = state.queue[0].idempotencyKey;
        state.key = null; // not sent yet: signed out
        await outbox.flush();
        assert.equal(server.calls.length, 0);
        // the app starts again: its state is read from the device
        state = { key: "device-key", me: { id: 7 }, queue: store.get("queue", []), syncing: false };
        outbox = newOutbox();
        await outbox.flush();
        assert.deepEqual(server.calls, [{ body: order(1), idempotencyKey: key }]);
        assert.equal(state.queue.length, 0);
        assert.deepEqual(store.get("queue"), []);
    });
});

describe("sending", () => {
    test("waiting orders are sent in order, each with its key, and leave the queue", async () => {
        const first = outbox.add(order(1), "first");
        const second = outbox.add(order(2), "second");
        const keys = state.queue.map((item) => item.idempotencyKey);
        await outbox.flush();
        assert.deepEqual(
            server.calls.map((c) => c.idempotencyKey),
            keys
        );
        assert.deepEqual(state.queue, []);
        assert.deepEqual(store.get("queue"), []);
        assert.equal(outbox.sent.get(first).name, "S01");
        assert.equal(outbox.sent.get(second).name, "S02");
        assert.equal(state.syncing, false);
    });

    test("offline, every order waits as it is", async () => {
        outbox.add(order(1), "first");
        outbox.add(order(2), "second");
        server.answers = [new OfflineError("No network")];
        await outbox.flush();
        assert.equal(server.calls.length, 1, "no second try while offline");
        assert.deepEqual(
            state.queue.map((i) => [i.status, i.error, i.attempts]),
            [
                ["waiting", null, 1],
                ["waiting", null, 0],
            ]
        );
        assert.deepEqual(store.get("queue"), state.queue);
    });

    test("a retry after a lost answer sends the same key: one order on the server", async () => {
        const id = outbox.add(order(1), "first");
        server.answers = ["lost"];
        await outbox.flush();
        assert.equal(server.orders.size, 1, "the server created it");
        assert.equal(state.queue.length, 1, "the app did not hear it: the order waits");
        await outbox.flush();
        assert.equal(server.calls.length, 2);
        assert.equal(server.calls[0].idempotencyKey, server.calls[1].idempotencyKey);
        assert.equal(server.orders.size, 1, "no second order");
        assert.equal(outbox.sent.get(id).name, "S01");
        assert.equal(state.queue.length, 0);
    });

    for (const [status, why] of [
        [401, "signed out"],
        [409, "the same key still being processed"],
        [429, "too many requests"],
        [500, "a server error"],
        [503, "the server unavailable"],
    ]) {
        test(`${status} (${why}): it and the next ones wait, it with the message`, async () => {
            outbox.add(order(1), "first");
            outbox.add(order(2), "second");
            server.answers = [new ApiError(status, "busy", `Refused ${status}`)];
            await outbox.flush();
            assert.equal(server.calls.length, 1);
            assert.deepEqual(
                state.queue.map((i) => [i.status, i.error]),
                [
                    ["waiting", `Refused ${status}`],
                    ["waiting", null],
                ]
            );
            await outbox.flush(); // later: sent as it is
            assert.equal(server.calls[1].idempotencyKey, server.calls[0].idempotencyKey);
            assert.equal(state.queue.length, 0);
        });
    }

    test("a refused order fails with the server's message; the next ones are sent", async () => {
        outbox.add(order(999999), "a deleted product");
        const second = outbox.add(order(2), "second");
        server.answers = [
            new ApiError(422, "validation_error", "Invalid order.", {
                fields: [{ field: "lines.0.product_id", message: "No product 999999." }],
            }),
        ];
        await outbox.flush();
        assert.equal(state.queue.length, 1);
        const [failed] = state.queue;
        assert.equal(failed.status, "failed");
        assert.equal(failed.error, "Invalid order. lines.0.product_id: No product 999999.");
        assert.ok(outbox.sent.has(second));
        assert.deepEqual(store.get("queue"), state.queue);
        await outbox.flush();
        assert.equal(server.calls.length, 2, "a failed order is not sent again by itself");
    });

    test("a failed order retried is sent again with its key; a discarded one is gone", async () => {
        outbox.add(order(1), "first");
        outbox.add(order(2), "second");
        server.answers = [
            new ApiError(404, "not_found", "No such customer."),
            new ApiError(403, "forbidden", "Not allowed."),
        ];
        await outbox.flush();
        const [first, second] = state.queue;
        assert.deepEqual([first.status, second.status], ["failed", "failed"]);
        outbox.retry(first);
        assert.deepEqual([first.status, first.error], ["waiting", null]);
        assert.equal(store.get("queue")[0].status, "waiting");
        outbox.discard(second);
        assert.deepEqual(
            store.get("queue").map((i) => i.summary),
            ["first"]
        );
        await outbox.flush();
        assert.equal(server.calls.at(-1).idempotencyKey, first.idempotencyKey);
        assert.deepEqual(state.queue, []);
    });

    test("flushing while sending waits for the same run: each order is sent once", async () => {
        outbox.add(order(1), "first");
        outbox.add(order(2), "second");
        const runs = [outbox.flush(), outbox.flush()];
        assert.equal(runs[0], runs[1]);
        assert.equal(state.syncing, true);
        await Promise.all(runs);
        assert.equal(server.calls.length, 2);
        assert.equal(state.syncing, false);
    });

    test("without a key nothing is sent", async () => {
        outbox.add(order(1), "first");
        state.key = null;
        await outbox.flush();
        assert.equal(server.calls.length, 0);
        assert.equal(state.queue[0].attempts, 0);
    });

    test("an order is sent only with the key of the user who took it", async () => {
        outbox.add(order(1), "by user 7");
        state.me = { id: 8 }; // another user signed in on the device
        outbox.add(order(2), "by user 8");
        await outbox.flush();
        assert.deepEqual(
            server.calls.map((c) => c.body),
            [order(2)]
        );
        assert.deepEqual(
            state.queue.map((i) => [i.summary, i.status]),
            [["by user 7", "waiting"]]
        );
    });

    test("sign-out forgets every order, on the device too", () => {
        outbox.add(order(1), "first");
        outbox.clear();
        assert.deepEqual(state.queue, []);
        assert.deepEqual(store.get("queue"), []);
    });
});

describe("helpers", () => {
    test("which refusals are worth sending again as they are", () => {
        for (const status of [401, 409, 429, 500, 502, 503]) {
            assert.equal(isTransient({ status }), true, status);
        }
        for (const status of [400, 403, 404, 422]) {
            assert.equal(isTransient({ status }), false, status);
        }
    });

    test("the store keeps JSON under oms., answers the fallback for what it cannot read", () => {
        store.set("queue", [{ id: 1 }]);
        assert.equal(storage.getItem("oms.queue"), '[{"id":1}]');
        assert.deepEqual(store.get("queue"), [{ id: 1 }]);
        assert.equal(store.get("missing", "fallback"), "fallback");
        storage.setItem("oms.broken", "{not json");
        assert.equal(store.get("broken", "fallback"), "fallback");
        store.set("cache:/orders", { items: [] });
        store.set("key", "k");
        store.clearCache();
        assert.equal(storage.getItem("oms.cache:/orders"), null);
        assert.equal(store.get("key"), "k");
    });

    test("a full device: the app works on without keeping the copy", () => {
        const full = createStore(() => ({
            setItem() {
                throw new Error("QuotaExceededError");
            },
        }));
        assert.doesNotThrow(() => full.set("queue", []));
    });
});
