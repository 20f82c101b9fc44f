/* The outbox: orders taken on the device wait here until the server has them.
 *
 * Each order gets its own Idempotency-Key when it is queued and keeps it for every attempt:
 * a retry after a lost answer gets the order the server already created, never a second one.
 * The queue is kept on the device (it survives a restart) and sent one order at a time:
 * - sent: the order leaves the queue (the server's answer is kept in `sent`);
 * - no network: every order waits, as it is;
 * - signed out (401), the same key still being processed (409), too many requests (429) or
 *   a server error (5xx): the order waits with the message, to be sent again later;
 * - any other refusal (the server will refuse it again, e.g. a product deleted since): the
 *   order is marked failed with the server's message, and the user retries or discards it.
 * An order is sent only with the key of the user who took it.
 *
 * No browser API here (the app passes its state, store and API call): it runs under Node
 * for the unit tests (static/tests/outbox.test.mjs). */
import { OfflineError, errorText } from "./errors.js";

/** Whether a refusal is worth sending again as it is. */
export function isTransient(error) {
    return [401, 409, 429].includes(error.status) || error.status >= 500;
}

export class Outbox {
    /**
     * @param {object} env
     * @param {object} env.state where the queue lives (`queue`), with the device's `key`,
     *     the user (`me`) and `syncing` (true while sending)
     * @param {object} env.store keeps the queue on the device (`set("queue", queue)`)
     * @param {Function} env.post sends an order: `post(body, idempotencyKey)` -> the order
     * @param {Function} env.uuid a new unique id
     * @param {Function} [env.now] the current time
     */
    constructor({ state, store, post, uuid, now = () => new Date() }) {
        Object.assign(this, { state, store, post, uuid, now });
        this.sent = new Map(); // queue item id -> the order created on the server
        this.flushing = null;
    }

    get queue() {
        return this.state.queue;
    }

    get waiting() {
        return this.queue.filter((item) => item.status === "waiting");
    }

    save() {
        this.store.set("queue", this.queue);
    }

    /** Queue an order (the body of POST /orders); returns the id of its queue item. */
    add(body, summary) {
        const item = {
            id: this.uuid(),
            idempotencyKey: this.uuid(),
            body,
            summary,
            created: this.now().toISOString(),
            status: "waiting",
            error: null,
            attempts: 0,
            uid: this.state.me && this.state.me.id, // sent only with this user's key
        };
        this.queue.push(item);
        this.save();
        return item.id;
    }

    /** Send the waiting orders; a call while they are being sent waits for that run. */
    flush() {
        if (!this.flushing) {
            this.flushing = this.sendWaiting().finally(() => {
                this.flushing = null;
                this.state.syncing = false;
            });
        }
        return this.flushing;
    }

    isMine(item) {
        const me = this.state.me;
        return !item.uid || !me || item.uid === me.id;
    }

    async sendWaiting() {
        if (!this.state.key) {
            return;
        }
        this.state.syncing = true;
        for (const item of this.waiting.filter((i) => this.isMine(i))) {
            item.attempts++;
            try {
                const order = await this.post(item.body, item.idempotencyKey);
                this.sent.set(item.id, order);
                this.remove(item);
            } catch (error) {
                if (error instanceof OfflineError) {
                    break; // still offline: all wait
                }
                if (isTransient(error)) {
                    item.error = error.message; // worth sending again later, as is
                    break;
                }
                item.status = "failed"; // the server refused it: the user decides
                item.error = errorText(error);
            } finally {
                this.save();
            }
        }
    }

    remove(item) {
        const index = this.queue.findIndex((i) => i.id === item.id);
        if (index >= 0) {
            this.queue.splice(index, 1);
        }
    }

    /** A failed order waits again (to be sent by the next flush). */
    retry(item) {
        item.status = "waiting";
        item.error = null;
        this.save();
    }

    /** Drop an order that was not sent. */
    discard(item) {
        this.remove(item);
        this.save();
    }

    /** Forget every order (sign-out). */
    clear() {
        this.queue.splice(0);
        this.save();
    }
}
