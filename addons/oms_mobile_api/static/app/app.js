/* OMS mobile app: an installable, offline-capable web app on the OMS JSON API.
 *
 * Written with OWL (Odoo's own framework, loaded from /web/static/lib/owl/owl.js), no build
 * step. It talks only to /oms/api/v1 with the API key of the device (kept in localStorage).
 * Offline: the service worker keeps the shell, the app keeps the last answer of every GET
 * it made, and new orders wait in a queue with their Idempotency-Key until they are sent.
 */
(function () {
    "use strict";

    const { Component, mount, xml, useState, reactive, onMounted, onWillUnmount } = owl;

    const API = "/oms/api/v1";
    const ORDER_STATES = [
        ["quotation", "Quotation"],
        ["awaiting_payment", "Awaiting payment"],
        ["ready_to_ship", "Ready to ship"],
        ["partially_shipped", "Partially shipped"],
        ["shipped", "Shipped"],
        ["delivered", "Delivered"],
        ["invoiced", "Invoiced"],
        ["done", "Done"],
        ["cancelled", "Cancelled"],
        ["exception", "Exception"],
    ];
    const STATE_LABELS = Object.fromEntries(ORDER_STATES);

    // ------------------------------------------------------------------ storage

    const store = {
        get(name, fallback = null) {
            try {
                const value = localStorage.getItem("oms." + name);
                return value === null ? fallback : JSON.parse(value);
            } catch {
                return fallback;
            }
        },
        set(name, value) {
            try {
                localStorage.setItem("oms." + name, JSON.stringify(value));
            } catch {
                // full: the app works on, without keeping this copy
            }
        },
        remove(name) {
            localStorage.removeItem("oms." + name);
        },
        clearCache() {
            for (const name of Object.keys(localStorage)) {
                if (name.startsWith("oms.cache:")) {
                    localStorage.removeItem(name);
                }
            }
        },
    };

    function uuid() {
        if (self.crypto && crypto.randomUUID) {
            return crypto.randomUUID();
        }
        return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, (c) => {
            const r = (Math.random() * 16) | 0;
            return (c === "x" ? r : (r & 0x3) | 0x8).toString(16);
        });
    }

    // ------------------------------------------------------------------ state

    const state = reactive({
        key: store.get("key"),
        me: store.get("me"),
        online: navigator.onLine,
        screen: "today",
        params: {},
        history: [],
        nav: 0,
        queue: store.get("queue", []),
        toast: null,
        syncing: false,
    });

    function go(screen, params = {}, { replace = false } = {}) {
        if (!replace && state.screen !== screen) {
            state.history.push({ screen: state.screen, params: state.params });
        }
        state.screen = screen;
        state.params = params;
        state.nav++;
        window.scrollTo(0, 0);
    }

    function back() {
        const previous = state.history.pop();
        if (previous) {
            state.screen = previous.screen;
            state.params = previous.params;
            state.nav++;
        }
    }

    let toastTimer = null;
    function toast(message, kind = "info") {
        state.toast = { message, kind };
        clearTimeout(toastTimer);
        toastTimer = setTimeout(() => (state.toast = null), 4000);
    }

    // ------------------------------------------------------------------ formats

    function locale() {
        const lang = (state.me && state.me.lang) || navigator.language || "en-US";
        return lang.replace("_", "-");
    }

    function money(amount, currency) {
        try {
            return new Intl.NumberFormat(locale(), {
                style: "currency",
                currency: currency || (state.me && state.me.currency) || "USD",
            }).format(amount || 0);
        } catch {
            return `${(amount || 0).toFixed(2)} ${currency || ""}`;
        }
    }

    function number(value) {
        return new Intl.NumberFormat(locale(), { maximumFractionDigits: 3 }).format(value || 0);
    }

    function date(value) {
        if (!value) {
            return "";
        }
        return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(
            new Date(value)
        );
    }

    function isoToday() {
        const now = new Date();
        const pad = (n) => String(n).padStart(2, "0");
        return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
    }

    // ------------------------------------------------------------------ API

    class ApiError extends Error {
        constructor(status, code, message, details) {
            super(message);
            this.status = status;
            this.code = code;
            this.details = details || {};
        }
    }

    class OfflineError extends Error {}

    async function call(method, path, { body, key = state.key, idempotencyKey } = {}) {
        const headers = { Accept: "application/json" };
        if (key) {
            headers.Authorization = `Bearer ${key}`;
        }
        if (body !== undefined) {
            headers["Content-Type"] = "application/json";
        }
        if (idempotencyKey) {
            headers["Idempotency-Key"] = idempotencyKey;
        }
        if (state.me && state.me.lang) {
            headers["Accept-Language"] = locale();
        }
        let response;
        try {
            response = await fetch(API + path, {
                method,
                headers,
                body: body === undefined ? undefined : JSON.stringify(body),
                cache: "no-store",
            });
        } catch {
            state.online = false;
            throw new OfflineError("No network: try again when you are back online.");
        }
        state.online = true;
        let data = null;
        try {
            data = await response.json();
        } catch {
            data = null;
        }
        if (!response.ok) {
            const error = (data && data.error) || {};
            if (response.status === 401 && key && key === state.key) {
                forgetDevice("Your session ended: sign in again.");
            }
            throw new ApiError(
                response.status,
                error.code || "http_error",
                error.message || `${response.status} ${response.statusText}`,
                error.details
            );
        }
        return data;
    }

    /** A GET whose answer is kept for offline use: {data, stale}. */
    async function get(path) {
        try {
            const data = await call("GET", path);
            store.set("cache:" + path, data);
            return { data, stale: false };
        } catch (error) {
            if (error instanceof OfflineError) {
                const kept = store.get("cache:" + path);
                if (kept !== null) {
                    return { data: kept, stale: true };
                }
            }
            throw error;
        }
    }

    function errorText(error) {
        if (error instanceof ApiError && error.details && error.details.fields) {
            const fields = error.details.fields
                .map((field) => `${field.field || field.location}: ${field.message}`)
                .join("; ");
            return `${error.message} ${fields}`;
        }
        return error.message || String(error);
    }

    // ------------------------------------------------------------------ session

    async function signIn(key) {
        const me = await call("GET", "/me", { key });
        state.key = key;
        state.me = me;
        store.set("key", key);
        store.set("me", me);
        state.history = [];
        go("today", {}, { replace: true });
        flushQueue();
    }

    function forgetDevice(message) {
        state.key = null;
        state.me = null;
        store.remove("key");
        store.remove("me");
        store.clearCache();
        if (message) {
            toast(message, "error");
        }
    }

    async function signOut() {
        if (state.queue.length && !confirm("Orders still wait to be sent. Sign out anyway?")) {
            return;
        }
        try {
            await call("POST", "/auth/revoke");
        } catch {
            // offline or already revoked: the key is forgotten here anyway
        }
        state.queue.splice(0);
        store.set("queue", []);
        forgetDevice();
    }

    // ------------------------------------------------------------------ outbox

    function saveQueue() {
        store.set("queue", state.queue);
    }

    function queueOrder(body, summary) {
        const item = {
            id: uuid(),
            idempotencyKey: uuid(),
            body,
            summary,
            created: new Date().toISOString(),
            status: "waiting",
            error: null,
            attempts: 0,
            uid: state.me && state.me.id, // sent only with this user's key
        };
        state.queue.push(item);
        saveQueue();
        return item.id;
    }

    const sent = new Map(); // queue item id -> order created on the server

    let flushing = null;
    /** Send the waiting orders, one at a time, each with its own Idempotency-Key: a retry of
     * an order the server already created answers that order and creates nothing. */
    function flushQueue() {
        if (!flushing) {
            flushing = sendWaiting().finally(() => {
                flushing = null;
                state.syncing = false;
            });
        }
        return flushing;
    }

    async function sendWaiting() {
        if (!state.key) {
            return;
        }
        state.syncing = true;
        const mine = (i) => !i.uid || !state.me || i.uid === state.me.id;
        for (const item of state.queue.filter((i) => i.status === "waiting" && mine(i))) {
            item.attempts++;
            try {
                const order = await call("POST", "/orders", {
                    body: item.body,
                    idempotencyKey: item.idempotencyKey,
                });
                sent.set(item.id, order);
                const index = state.queue.findIndex((i) => i.id === item.id);
                if (index >= 0) {
                    state.queue.splice(index, 1);
                }
            } catch (error) {
                if (error instanceof OfflineError) {
                    break; // still offline: all wait
                }
                if (
                    error.status === 401 ||
                    error.status === 409 ||
                    error.status === 429 ||
                    error.status >= 500
                ) {
                    item.error = error.message; // worth retrying later, as is
                    break;
                }
                item.status = "failed"; // the server refused it: the user decides
                item.error = errorText(error);
            } finally {
                saveQueue();
            }
        }
    }

    window.addEventListener("online", () => {
        state.online = true;
        flushQueue().then(() => {
            if (!state.queue.some((i) => i.status === "waiting") && sent.size) {
                toast("Back online: waiting orders sent.");
            }
        });
    });
    window.addEventListener("offline", () => (state.online = false));
    // The "online" event may not come (a captive portal, a flaky network): retry now and then.
    setInterval(() => {
        if (state.key && navigator.onLine && state.queue.some((i) => i.status === "waiting")) {
            flushQueue();
        }
    }, 30000);

    // ------------------------------------------------------------------ components

    class Loader extends Component {
        static template = xml`
            <div class="notice" t-if="props.view.stale">Offline: showing the data from your last connection.</div>
            <div class="notice error" t-if="props.view.error" t-esc="props.view.error"/>
            <div class="loading" t-if="props.view.loading">Loading…</div>`;
        static props = ["view"];
    }

    /** A screen that loads data: this.view = {loading, error, stale, data}. */
    class Screen extends Component {
        setup() {
            this.state = useState(state);
            this.view = useState({ loading: true, error: null, stale: false, data: null });
            onMounted(() => this.reload());
        }
        async fetch() {
            return null;
        }
        async reload() {
            this.view.loading = true;
            this.view.error = null;
            try {
                this.view.data = await this.fetch();
            } catch (error) {
                this.view.error = errorText(error);
            } finally {
                this.view.loading = false;
            }
        }
        /** The first page of a list, remembered for more(). */
        async firstPage(path) {
            this.pagePath = path;
            return this.get(path);
        }
        /** The next page of the list, appended to the shown one. */
        async more() {
            const shown = this.view.data;
            try {
                const separator = this.pagePath.includes("?") ? "&" : "?";
                const page = await call(
                    "GET",
                    `${this.pagePath}${separator}cursor=${encodeURIComponent(shown.next_cursor)}`
                );
                this.view.data = { items: [...shown.items, ...page.items], next_cursor: page.next_cursor };
            } catch (error) {
                toast(errorText(error), "error");
            }
        }
        /** get(), noting whether the answer is the offline copy. */
        async get(path) {
            const { data, stale } = await get(path);
            this.view.stale = this.view.stale || stale;
            return data;
        }
        money(amount, currency) {
            return money(amount, currency);
        }
        number(value) {
            return number(value);
        }
        date(value) {
            return date(value);
        }
        stateLabel(order) {
            return STATE_LABELS[order.oms_state] || order.state;
        }
        go(screen, params) {
            go(screen, params);
        }
    }

    // ---- sign-in

    class SignIn extends Component {
        static template = xml`
        <main class="signin">
            <img src="/oms_mobile_api/static/app/icons/icon-192.png" alt="" class="logo"/>
            <h1>Order Management</h1>
            <form t-if="!form.withKey" t-on-submit.prevent="submit" class="card">
                <label>Login<input name="login" type="text" autocomplete="username" autocapitalize="none" required="1" t-model="form.login"/></label>
                <label>Password<input name="password" type="password" autocomplete="current-password" required="1" t-model="form.password"/></label>
                <label>This device<input name="device" type="text" t-model="form.device"/></label>
                <button type="submit" class="primary" t-att-disabled="form.busy">Sign in</button>
            </form>
            <form t-else="" t-on-submit.prevent="submitKey" class="card">
                <p>Paste an API key made in Odoo: <em>Preferences › Account Security › New API Key</em>.</p>
                <label>API key<input name="apikey" type="password" autocomplete="off" required="1" t-model="form.key"/></label>
                <button type="submit" class="primary" t-att-disabled="form.busy">Sign in with the key</button>
            </form>
            <div class="notice error" t-if="form.error" t-esc="form.error"/>
            <button class="link" t-on-click="() => this.form.withKey = !this.form.withKey"
                    t-esc="form.withKey ? 'Sign in with a password' : 'I use two-factor authentication: sign in with an API key'"/>
        </main>`;

        setup() {
            this.form = useState({
                login: "",
                password: "",
                device: deviceName(),
                key: "",
                busy: false,
                error: null,
                withKey: false,
            });
        }

        async submit() {
            this.form.busy = true;
            this.form.error = null;
            try {
                const token = await call("POST", "/auth/token", {
                    key: null,
                    body: {
                        login: this.form.login,
                        password: this.form.password,
                        device: this.form.device || "Mobile app",
                    },
                });
                await signIn(token.key);
            } catch (error) {
                this.form.error = errorText(error);
                if (error.code === "two_factor_required") {
                    this.form.withKey = true;
                }
            } finally {
                this.form.busy = false;
            }
        }

        async submitKey() {
            this.form.busy = true;
            this.form.error = null;
            try {
                await signIn(this.form.key.trim());
            } catch (error) {
                this.form.error = errorText(error);
            } finally {
                this.form.busy = false;
            }
        }
    }

    function deviceName() {
        const agent = navigator.userAgent;
        const kind = /iPad|Tablet/i.test(agent) ? "tablet" : /Mobi|Android|iPhone/i.test(agent) ? "phone" : "browser";
        return `My ${kind}`;
    }

    // ---- today

    class Today extends Screen {
        static template = xml`
        <section>
            <Loader view="view"/>
            <t t-if="view.data">
                <div class="kpis">
                    <div class="kpi" data-kpi="orders"><span class="value" t-esc="view.data.count"/><span>Orders today</span></div>
                    <div class="kpi" data-kpi="revenue"><span class="value" t-esc="money(view.data.revenue)"/><span>Revenue today</span></div>
                    <div class="kpi" data-kpi="waiting"><span class="value" t-esc="view.data.waiting.length"/><span>Waiting to be accepted</span></div>
                </div>
                <h2>Waiting to be accepted</h2>
                <p t-if="!view.data.waiting.length" class="empty">Nothing waits.</p>
                <ul class="list waiting">
                    <li t-foreach="view.data.waiting" t-as="order" t-key="order.id" class="row">
                        <button class="row-main" t-on-click="() => this.go('order', {id: order.id})">
                            <strong t-esc="order.name"/> <span t-esc="order.customer.name"/>
                            <span class="amount" t-esc="money(order.amount_total, order.currency)"/>
                        </button>
                        <button class="small primary" t-on-click="() => this.accept(order)">Accept</button>
                    </li>
                </ul>
                <h2>Today's orders</h2>
                <p t-if="!view.data.today.length" class="empty">No order yet today.</p>
                <ul class="list today">
                    <li t-foreach="view.data.today" t-as="order" t-key="order.id" class="row">
                        <button class="row-main" t-on-click="() => this.go('order', {id: order.id})">
                            <strong t-esc="order.name"/> <span t-esc="order.customer.name"/>
                            <span class="badge" t-esc="stateLabel(order)"/>
                            <span class="amount" t-esc="money(order.amount_total, order.currency)"/>
                        </button>
                    </li>
                </ul>
            </t>
        </section>`;
        static components = { Loader };

        async fetch() {
            const [today, waiting] = await Promise.all([
                this.get(`/orders?date_from=${isoToday()}&limit=200`),
                this.get("/orders?oms_state=quotation&limit=200"),
            ]);
            const currency = this.state.me && this.state.me.currency;
            const confirmed = today.items.filter((o) => o.state === "sale" && o.currency === currency);
            return {
                today: today.items,
                count: today.items.filter((o) => o.state !== "cancel").length,
                revenue: confirmed.reduce((total, o) => total + o.amount_total, 0),
                waiting: waiting.items,
            };
        }

        async accept(order) {
            try {
                const accepted = await call("POST", `/orders/${order.id}/confirm`, { body: undefined });
                toast(`${accepted.name} accepted.`);
                this.reload();
            } catch (error) {
                toast(errorText(error), "error");
            }
        }
    }

    // ---- orders

    class Orders extends Screen {
        static template = xml`
        <section>
            <form class="filters" t-on-submit.prevent="() => this.reload()">
                <input type="search" name="q" placeholder="Order, reference or customer" t-model="filters.q"/>
                <select name="oms_state" t-model="filters.oms_state" t-on-change="onStatus">
                    <option value="">All statuses</option>
                    <option t-foreach="states" t-as="s" t-key="s[0]" t-att-value="s[0]" t-esc="s[1]"/>
                </select>
                <button type="submit" class="small">Search</button>
            </form>
            <Loader view="view"/>
            <t t-if="view.data">
                <p t-if="!view.data.items.length" class="empty">No order found.</p>
                <ul class="list">
                    <li t-foreach="view.data.items" t-as="order" t-key="order.id" class="row">
                        <button class="row-main" t-on-click="() => this.go('order', {id: order.id})">
                            <strong t-esc="order.name"/> <span t-esc="order.customer.name"/>
                            <span class="muted" t-esc="date(order.date_order)"/>
                            <span class="badge" t-esc="stateLabel(order)"/>
                            <span class="amount" t-esc="money(order.amount_total, order.currency)"/>
                        </button>
                    </li>
                </ul>
                <button t-if="view.data and view.data.next_cursor" class="more" t-on-click="more">More</button>
            </t>
        </section>`;
        static components = { Loader };

        setup() {
            super.setup();
            this.states = ORDER_STATES;
            this.filters = useState({ q: "", oms_state: "" });
        }

        onStatus() {
            // after t-model took the new value
            Promise.resolve().then(() => this.reload());
        }

        async fetch() {
            const params = new URLSearchParams({ limit: "50" });
            if (this.filters.q.trim()) {
                params.set("q", this.filters.q.trim());
            }
            if (this.filters.oms_state) {
                params.set("oms_state", this.filters.oms_state);
            }
            return this.firstPage(`/orders?${params}`);
        }
    }

    class OrderDetail extends Screen {
        static template = xml`
        <section>
            <Loader view="view"/>
            <t t-if="view.data">
                <div class="card">
                    <h2 t-esc="view.data.name"/>
                    <p><span class="badge" t-esc="stateLabel(view.data)"/> <span class="muted" t-esc="date(view.data.date_order)"/></p>
                    <p><strong t-esc="view.data.customer.name"/><br/><span class="muted" t-esc="view.data.customer.email or ''"/></p>
                    <p class="total">Total <span data-field="amount_total" t-esc="money(view.data.amount_total, view.data.currency)"/></p>
                    <p class="muted">Paid <t t-esc="money(view.data.amount_paid, view.data.currency)"/> · Due <t t-esc="money(view.data.amount_due, view.data.currency)"/></p>
                </div>
                <div class="actions">
                    <button class="primary" t-if="view.data.state === 'draft' or view.data.state === 'sent'" t-on-click="accept" t-att-disabled="busy.on">Accept order</button>
                    <button t-if="view.data.state === 'sale'" t-on-click="invoice" t-att-disabled="busy.on">Create invoice</button>
                    <button t-on-click="() => this.go('email', {order_id: view.data.id, name: view.data.name, customer: view.data.customer.name})">Send e-mail</button>
                </div>
                <h3>Lines</h3>
                <ul class="list">
                    <li t-foreach="view.data.lines" t-as="line" t-key="line.id" class="row static">
                        <span t-esc="line.description"/>
                        <span class="muted" t-if="line.product"><t t-esc="number(line.quantity)"/> × <t t-esc="money(line.price_unit, view.data.currency)"/></span>
                        <span class="amount" t-if="line.product" t-esc="money(line.price_subtotal, view.data.currency)"/>
                    </li>
                </ul>
                <t t-if="view.data.payments.length">
                    <h3>Payments</h3>
                    <ul class="list"><li t-foreach="view.data.payments" t-as="p" t-key="p.id" class="row static">
                        <span t-esc="p.name"/><span class="muted" t-esc="p.state"/><span class="amount" t-esc="money(p.amount, p.currency)"/>
                    </li></ul>
                </t>
                <t t-if="view.data.shipments.length">
                    <h3>Shipments</h3>
                    <ul class="list"><li t-foreach="view.data.shipments" t-as="s" t-key="s.id" class="row static">
                        <span t-esc="s.name"/><span class="badge" t-esc="s.state"/>
                        <span class="muted" t-esc="s.carrier or ''"/><span class="muted" t-esc="s.tracking_reference or ''"/>
                    </li></ul>
                </t>
                <t t-if="view.data.invoices.length">
                    <h3>Invoices</h3>
                    <ul class="list"><li t-foreach="view.data.invoices" t-as="inv" t-key="inv.id" class="row static">
                        <span t-esc="inv.name"/><span class="badge" t-esc="inv.payment_state"/>
                        <span class="amount" t-esc="money(inv.amount_total, inv.currency)"/>
                    </li></ul>
                </t>
            </t>
        </section>`;
        static components = { Loader };

        setup() {
            super.setup();
            this.busy = useState({ on: false });
            // One key per invoice attempt of this screen: a retry after a lost answer
            // creates no second invoice.
            this.invoiceKey = uuid();
        }

        async fetch() {
            return this.get(`/orders/${this.props.params.id}`);
        }

        async run(action) {
            this.busy.on = true;
            try {
                await action();
            } catch (error) {
                toast(errorText(error), "error");
            } finally {
                this.busy.on = false;
            }
        }

        accept() {
            return this.run(async () => {
                this.view.data = await call("POST", `/orders/${this.view.data.id}/confirm`);
                toast(`${this.view.data.name} accepted.`);
            });
        }

        invoice() {
            return this.run(async () => {
                const invoice = await call("POST", `/orders/${this.view.data.id}/invoice`, {
                    idempotencyKey: this.invoiceKey,
                });
                toast(`Invoice ${invoice.name} created: ${money(invoice.amount_total, invoice.currency)}.`);
                this.invoiceKey = uuid();
                await this.reload();
            });
        }
    }

    class Email extends Screen {
        static template = xml`
        <section>
            <form class="card" t-on-submit.prevent="send">
                <h2>E-mail about <t t-esc="props.params.name"/></h2>
                <p class="muted">To <t t-esc="props.params.customer"/></p>
                <label>Subject<input name="subject" required="1" t-model="form.subject"/></label>
                <label>Message<textarea name="body" rows="6" required="1" t-model="form.body"/></label>
                <button type="submit" class="primary" t-att-disabled="form.busy">Send</button>
            </form>
        </section>`;

        setup() {
            super.setup();
            this.form = useState({ subject: `About ${this.props.params.name}`, body: "", busy: false });
        }

        async fetch() {
            return null;
        }

        async send() {
            this.form.busy = true;
            try {
                await call("POST", "/emails", {
                    body: { order_id: this.props.params.order_id, subject: this.form.subject, body: this.form.body },
                    idempotencyKey: uuid(),
                });
                toast("E-mail queued for sending.");
                back();
            } catch (error) {
                toast(errorText(error), "error");
            } finally {
                this.form.busy = false;
            }
        }
    }

    // ---- new order (works offline)

    class NewOrder extends Screen {
        static template = xml`
        <section>
            <Loader view="view"/>
            <form class="card" t-on-submit.prevent="save">
                <h2>New order</h2>
                <t t-if="!form.customer">
                    <label>Customer<input type="search" name="customer_q" placeholder="Search a customer" t-model="form.customerQ" t-on-input="searchCustomers"/></label>
                    <ul class="list picks">
                        <li t-foreach="customerChoices" t-as="c" t-key="c.id">
                            <button type="button" class="row-main" t-on-click="() => this.form.customer = c" t-esc="c.name"/>
                        </li>
                    </ul>
                </t>
                <div t-else="" class="chosen">
                    <span>Customer: <strong data-field="customer" t-esc="form.customer.name"/></span>
                    <button type="button" class="small" t-on-click="() => this.form.customer = null">Change</button>
                </div>
                <label>Product<input type="search" name="product_q" placeholder="Search a product" t-model="form.productQ" t-on-input="searchProducts"/></label>
                <label>Barcode<input type="text" name="barcode" inputmode="numeric" placeholder="Scan or type, then Enter" t-model="form.barcode" t-on-keydown="onBarcode"/></label>
                <ul class="list picks">
                    <li t-foreach="productChoices" t-as="p" t-key="p.id">
                        <button type="button" class="row-main" t-on-click="() => this.addLine(p)">
                            <span t-esc="p.name"/> <span class="amount" t-esc="money(p.list_price, p.currency)"/>
                        </button>
                    </li>
                </ul>
                <ul class="list lines">
                    <li t-foreach="form.lines" t-as="line" t-key="line.product.id" class="row static line">
                        <span class="grow" t-esc="line.product.name"/>
                        <button type="button" class="small" t-on-click="() => this.step(line, -1)" aria-label="Less">−</button>
                        <input type="number" min="0" step="any" class="qty" t-att-name="'qty_' + line.product.id" t-model.number="line.quantity"/>
                        <button type="button" class="small" t-on-click="() => this.step(line, 1)" aria-label="More">+</button>
                    </li>
                </ul>
                <p class="total" t-if="form.lines.length">Total (before taxes) <t t-esc="money(total)"/></p>
                <label>Notes<textarea name="note" rows="3" t-model="form.note"/></label>
                <label class="check"><input type="checkbox" name="confirm" t-model="form.confirm"/> Accept the order at once</label>
                <button type="submit" class="primary" name="save" t-att-disabled="!form.customer or !form.lines.length">Save order</button>
            </form>
        </section>`;
        static components = { Loader };

        setup() {
            super.setup();
            this.form = useState(this.blank());
            this.remote = useState({ customers: null, products: null });
        }

        blank() {
            return { customer: null, customerQ: "", productQ: "", barcode: "", lines: [], note: "", confirm: false };
        }

        async fetch() {
            // Kept for offline use: the order form works from them without network.
            const [customers, products] = await Promise.all([
                this.get("/customers?limit=200"),
                this.get("/products?limit=200"),
            ]);
            return { customers: customers.items, products: products.items.filter((p) => p.sale_ok && p.active) };
        }

        match(text, ...values) {
            const q = text.trim().toLowerCase();
            return !q || values.some((v) => v && String(v).toLowerCase().includes(q));
        }

        get customerChoices() {
            const source = this.remote.customers || (this.view.data && this.view.data.customers) || [];
            return source.filter((c) => this.match(this.form.customerQ, c.name, c.email, c.phone, c.ref)).slice(0, 8);
        }

        get productChoices() {
            if (!this.form.productQ.trim()) {
                return [];
            }
            const source = this.remote.products || (this.view.data && this.view.data.products) || [];
            return source
                .filter((p) => this.match(this.form.productQ, p.name, p.default_code, p.barcode))
                .slice(0, 8);
        }

        async remoteSearch(kind, text) {
            if (!this.state.online || text.trim().length < 2) {
                this.remote[kind] = null;
                return;
            }
            try {
                const data = await call("GET", `/${kind}?limit=20&q=${encodeURIComponent(text.trim())}`);
                this.remote[kind] = data.items;
            } catch {
                this.remote[kind] = null; // the kept list answers
            }
        }

        searchCustomers() {
            this.remoteSearch("customers", this.form.customerQ);
        }

        searchProducts() {
            this.remoteSearch("products", this.form.productQ);
        }

        async onBarcode(ev) {
            if (ev.key !== "Enter") {
                return;
            }
            ev.preventDefault();
            const code = this.form.barcode.trim();
            if (!code) {
                return;
            }
            const kept = (this.view.data && this.view.data.products) || [];
            let product = kept.find((p) => p.barcode === code || p.default_code === code);
            if (!product && this.state.online) {
                try {
                    const data = await call("GET", `/products?limit=1&q=${encodeURIComponent(code)}`);
                    product = data.items[0];
                } catch {
                    product = null;
                }
            }
            if (product) {
                this.addLine(product);
                this.form.barcode = "";
            } else {
                toast(`No product with barcode ${code}.`, "error");
            }
        }

        addLine(product) {
            const line = this.form.lines.find((l) => l.product.id === product.id);
            if (line) {
                line.quantity += 1;
            } else {
                this.form.lines.push({ product, quantity: 1 });
            }
            this.form.productQ = "";
            this.remote.products = null;
        }

        step(line, delta) {
            line.quantity = Math.max(0, (Number(line.quantity) || 0) + delta);
            if (!line.quantity) {
                this.form.lines.splice(this.form.lines.indexOf(line), 1);
            }
        }

        get total() {
            return this.form.lines.reduce((t, l) => t + (Number(l.quantity) || 0) * l.product.list_price, 0);
        }

        async save() {
            const lines = this.form.lines
                .filter((l) => Number(l.quantity) > 0)
                .map((l) => ({ product_id: l.product.id, quantity: Number(l.quantity) }));
            if (!this.form.customer || !lines.length) {
                return;
            }
            const body = { customer_id: this.form.customer.id, lines, confirm: this.form.confirm };
            if (this.form.note.trim()) {
                body.note = this.form.note.trim();
            }
            const summary = `${this.form.customer.name}: ${lines.length} line(s), ${money(this.total)}`;
            const id = queueOrder(body, summary);
            Object.assign(this.form, this.blank());
            await flushQueue();
            if (sent.has(id)) {
                const order = sent.get(id);
                toast(`Order ${order.name} saved.`);
            } else {
                const item = this.state.queue.find((i) => i.id === id);
                if (item && item.status === "failed") {
                    toast(`The order was refused: ${item.error}`, "error");
                } else {
                    toast("Saved offline: the order will be sent when you are back online.");
                }
            }
        }
    }

    // ---- outbox

    class Outbox extends Screen {
        static template = xml`
        <section>
            <h2>Waiting to be sent</h2>
            <p t-if="!state.queue.length" class="empty">Nothing waits: every order was sent.</p>
            <ul class="list">
                <li t-foreach="state.queue" t-as="item" t-key="item.id" t-att-class="'row static queue ' + item.status">
                    <span class="grow"><strong t-esc="item.summary"/><br/>
                        <span class="muted"><t t-esc="date(item.created)"/> · <t t-esc="item.status === 'failed' ? 'Refused by the server' : 'Waiting'"/></span>
                        <span t-if="item.error" class="error-text" t-esc="item.error"/>
                    </span>
                    <button t-if="item.status === 'failed'" class="small" t-on-click="() => this.retry(item)">Retry</button>
                    <button class="small" t-on-click="() => this.discard(item)">Discard</button>
                </li>
            </ul>
            <button class="primary" t-if="state.queue.length" t-on-click="send" t-att-disabled="state.syncing">Send now</button>
        </section>`;

        async fetch() {
            return null;
        }

        async send() {
            await flushQueue();
            if (!this.state.online) {
                toast("Still offline: the orders keep waiting.", "error");
            }
        }

        retry(item) {
            item.status = "waiting";
            item.error = null;
            saveQueue();
            this.send();
        }

        discard(item) {
            if (confirm("Discard this order? It was not sent.")) {
                this.state.queue.splice(this.state.queue.indexOf(item), 1);
                saveQueue();
            }
        }
    }

    // ---- customers

    class Customers extends Screen {
        static template = xml`
        <section>
            <form class="filters" t-on-submit.prevent="() => this.reload()">
                <input type="search" name="q" placeholder="Name, e-mail, phone" t-model="filters.q"/>
                <button type="submit" class="small">Search</button>
                <button type="button" class="small primary" t-on-click="() => this.go('customer_new')">New</button>
            </form>
            <Loader view="view"/>
            <ul class="list" t-if="view.data">
                <li t-foreach="view.data.items" t-as="c" t-key="c.id" class="row">
                    <button class="row-main" t-on-click="() => this.go('customer', {id: c.id})">
                        <strong t-esc="c.name"/> <span class="muted" t-esc="c.city or ''"/> <span class="muted" t-esc="c.email or ''"/>
                    </button>
                </li>
            </ul>
            <button t-if="view.data and view.data.next_cursor" class="more" t-on-click="more">More</button>
        </section>`;
        static components = { Loader };

        setup() {
            super.setup();
            this.filters = useState({ q: "" });
        }

        async fetch() {
            const q = this.filters.q.trim();
            return this.firstPage(`/customers?limit=50${q ? "&q=" + encodeURIComponent(q) : ""}`);
        }
    }

    class CustomerDetail extends Screen {
        static template = xml`
        <section>
            <Loader view="view"/>
            <t t-if="view.data">
                <div class="card">
                    <h2 t-esc="view.data.customer.name"/>
                    <p class="muted"><t t-esc="view.data.customer.email or ''"/> <t t-esc="view.data.customer.phone or ''"/></p>
                    <p class="muted"><t t-esc="view.data.customer.street or ''"/> <t t-esc="view.data.customer.zip or ''"/> <t t-esc="view.data.customer.city or ''"/></p>
                    <p>Segment: <span class="badge" t-esc="view.data.customer.segment or 'not yet computed'"/></p>
                </div>
                <div class="kpis">
                    <div class="kpi"><span class="value" t-esc="view.data.customer.sales.order_count"/><span>Orders</span></div>
                    <div class="kpi"><span class="value" t-esc="view.data.customer.sales.quotation_count"/><span>Open quotations</span></div>
                    <div class="kpi" t-foreach="view.data.customer.sales.totals" t-as="t" t-key="t.currency">
                        <span class="value" t-esc="money(t.amount_total, t.currency)"/><span>Sales (due <t t-esc="money(t.amount_due, t.currency)"/>)</span>
                    </div>
                </div>
                <h3>Sales history</h3>
                <ul class="list">
                    <li t-foreach="view.data.orders" t-as="order" t-key="order.id" class="row">
                        <button class="row-main" t-on-click="() => this.go('order', {id: order.id})">
                            <strong t-esc="order.name"/> <span class="muted" t-esc="date(order.date_order)"/>
                            <span class="badge" t-esc="stateLabel(order)"/>
                            <span class="amount" t-esc="money(order.amount_total, order.currency)"/>
                        </button>
                    </li>
                </ul>
            </t>
        </section>`;
        static components = { Loader };

        async fetch() {
            const id = this.props.params.id;
            const [customer, orders] = await Promise.all([
                this.get(`/customers/${id}`),
                this.get(`/orders?customer_id=${id}&limit=20`),
            ]);
            return { customer, orders: orders.items };
        }
    }

    class CustomerNew extends Screen {
        static template = xml`
        <section>
            <form class="card" t-on-submit.prevent="save">
                <h2>New customer</h2>
                <label>Name<input name="name" required="1" t-model="form.name"/></label>
                <label class="check"><input type="checkbox" name="is_company" t-model="form.is_company"/> A company</label>
                <label>E-mail<input name="email" type="email" t-model="form.email"/></label>
                <label>Phone<input name="phone" type="tel" t-model="form.phone"/></label>
                <label>Street<input name="street" t-model="form.street"/></label>
                <div class="two">
                    <label>ZIP<input name="zip" t-model="form.zip"/></label>
                    <label>City<input name="city" t-model="form.city"/></label>
                </div>
                <label>Country code<input name="country_code" maxlength="2" placeholder="BE" t-model="form.country_code"/></label>
                <button type="submit" class="primary" t-att-disabled="form.busy">Create customer</button>
            </form>
        </section>`;

        setup() {
            super.setup();
            this.form = useState({ name: "", is_company: false, email: "", phone: "", street: "", zip: "", city: "", country_code: "", busy: false });
            this.key = uuid();
        }

        async fetch() {
            return null;
        }

        async save() {
            const body = {};
            for (const field of ["name", "email", "phone", "street", "zip", "city", "country_code"]) {
                if (this.form[field].trim()) {
                    body[field] = this.form[field].trim();
                }
            }
            body.is_company = this.form.is_company;
            this.form.busy = true;
            try {
                const customer = await call("POST", "/customers", { body, idempotencyKey: this.key });
                toast(`${customer.name} created.`);
                go("customer", { id: customer.id }, { replace: true });
            } catch (error) {
                toast(errorText(error), "error");
            } finally {
                this.form.busy = false;
            }
        }
    }

    // ---- catalog

    class Catalog extends Screen {
        static template = xml`
        <section>
            <form class="filters" t-on-submit.prevent="() => this.reload()">
                <input type="search" name="q" placeholder="Name, reference or barcode" t-model="filters.q"/>
                <button type="submit" class="small">Search</button>
            </form>
            <Loader view="view"/>
            <ul class="list" t-if="view.data">
                <li t-foreach="view.data.items" t-as="p" t-key="p.id" class="row">
                    <button class="row-main" t-on-click="() => this.go('product', {id: p.id})">
                        <strong t-esc="p.name"/> <span class="muted" t-esc="p.default_code or ''"/>
                        <span class="muted" t-if="p.is_storable">Free: <t t-esc="number(p.availability.free)"/></span>
                        <span class="amount" t-esc="money(p.list_price, p.currency)"/>
                    </button>
                </li>
            </ul>
            <button t-if="view.data and view.data.next_cursor" class="more" t-on-click="more">More</button>
        </section>`;
        static components = { Loader };

        setup() {
            super.setup();
            this.filters = useState({ q: "" });
        }

        async fetch() {
            const q = this.filters.q.trim();
            return this.firstPage(`/products?limit=50${q ? "&q=" + encodeURIComponent(q) : ""}`);
        }
    }

    class ProductEdit extends Screen {
        static template = xml`
        <section>
            <Loader view="view"/>
            <form class="card" t-if="view.data" t-on-submit.prevent="save">
                <h2 t-esc="view.data.name"/>
                <p class="muted">On hand <t t-esc="number(view.data.availability.on_hand)"/> · free <t t-esc="number(view.data.availability.free)"/> · forecast <t t-esc="number(view.data.availability.forecast)"/></p>
                <label>Name<input name="name" required="1" t-model="form.name"/></label>
                <label>Sales price (<t t-esc="view.data.currency"/>)<input name="list_price" type="number" min="0" step="0.01" inputmode="decimal" t-model="form.list_price"/></label>
                <label>Description<textarea name="description" rows="4" t-model="form.description"/></label>
                <label>Category<select name="category_id" t-model="form.category_id">
                    <option t-foreach="categories" t-as="cat" t-key="cat.id" t-att-value="cat.id" t-esc="cat.name"/>
                </select></label>
                <label class="photo">Photo<input name="photo" type="file" accept="image/*" capture="environment" t-on-change="onPhoto"/></label>
                <img t-if="form.preview" t-att-src="form.preview" class="preview" alt="New photo"/>
                <button type="submit" class="primary" name="save" t-att-disabled="form.busy">Save</button>
                <button type="button" t-on-click="() => this.go('buy', {product: view.data})">Buy stock</button>
            </form>
        </section>`;
        static components = { Loader };

        setup() {
            super.setup();
            this.form = useState({ name: "", list_price: 0, description: "", category_id: "", image: null, preview: null, busy: false });
            this.categories = [];
        }

        async fetch() {
            const [product, categories] = await Promise.all([
                this.get(`/products/${this.props.params.id}`),
                this.get("/product-categories?limit=200"),
            ]);
            this.categories = categories.items;
            if (product.category && !this.categories.some((c) => c.id === product.category.id)) {
                this.categories.push(product.category);
            }
            Object.assign(this.form, {
                name: product.name,
                list_price: product.list_price,
                description: product.description || "",
                category_id: product.category ? String(product.category.id) : "",
            });
            return product;
        }

        onPhoto(ev) {
            const file = ev.target.files[0];
            if (!file) {
                return;
            }
            const reader = new FileReader();
            reader.onload = () => {
                this.form.preview = reader.result;
                this.form.image = String(reader.result).split(",")[1];
            };
            reader.readAsDataURL(file);
        }

        async save() {
            const body = {
                name: this.form.name.trim(),
                list_price: Number(this.form.list_price),
                description: this.form.description,
            };
            if (this.form.category_id) {
                body.category_id = Number(this.form.category_id);
            }
            if (this.form.image) {
                body.image = this.form.image;
            }
            this.form.busy = true;
            try {
                this.view.data = await call("PATCH", `/products/${this.view.data.id}`, { body, idempotencyKey: uuid() });
                this.form.image = null;
                toast(`${this.view.data.name} saved: ${money(this.view.data.list_price, this.view.data.currency)}.`);
            } catch (error) {
                toast(errorText(error), "error");
            } finally {
                this.form.busy = false;
            }
        }
    }

    class BuyStock extends Screen {
        static template = xml`
        <section>
            <Loader view="view"/>
            <form class="card" t-on-submit.prevent="save">
                <h2>Buy <t t-esc="props.params.product.name"/></h2>
                <p class="muted">Free to use: <t t-esc="number(props.params.product.availability.free)"/> · forecast <t t-esc="number(props.params.product.availability.forecast)"/></p>
                <label>Vendor<input type="search" name="vendor_q" placeholder="Search a vendor" t-model="form.vendorQ" t-on-input="search"/></label>
                <ul class="list picks" t-if="!form.vendor">
                    <li t-foreach="vendors.items" t-as="v" t-key="v.id">
                        <button type="button" class="row-main" t-on-click="() => this.form.vendor = v" t-esc="v.name"/>
                    </li>
                </ul>
                <p t-if="form.vendor">Vendor: <strong t-esc="form.vendor.name"/></p>
                <label>Quantity<input name="quantity" type="number" min="1" step="any" t-model.number="form.quantity"/></label>
                <button type="submit" class="primary" name="buy" t-att-disabled="!form.vendor or form.busy">Order from the vendor</button>
            </form>
        </section>`;
        static components = { Loader };

        setup() {
            super.setup();
            this.form = useState({ vendorQ: "", vendor: null, quantity: 1, busy: false });
            this.vendors = useState({ items: [] });
            this.key = uuid();
        }

        async fetch() {
            this.vendors.items = (await this.get("/customers?role=vendor&limit=20")).items;
            return null;
        }

        async search() {
            const q = this.form.vendorQ.trim();
            this.form.vendor = null;
            try {
                const query = q ? `&q=${encodeURIComponent(q)}` : "";
                this.vendors.items = (await call("GET", `/customers?role=vendor&limit=20${query}`)).items;
            } catch (error) {
                toast(errorText(error), "error");
            }
        }

        async save() {
            this.form.busy = true;
            try {
                const po = await call("POST", "/purchase-orders", {
                    body: {
                        vendor_id: this.form.vendor.id,
                        lines: [{ product_id: this.props.params.product.id, quantity: Number(this.form.quantity) }],
                    },
                    idempotencyKey: this.key,
                });
                toast(`Purchase order ${po.name} sent to ${this.form.vendor.name}.`);
                back();
            } catch (error) {
                toast(errorText(error), "error");
            } finally {
                this.form.busy = false;
            }
        }
    }

    // ---- shell

    const SCREENS = {
        today: { C: Today, title: "Today", tab: "today" },
        orders: { C: Orders, title: "Orders", tab: "orders" },
        order: { C: OrderDetail, title: "Order", tab: "orders" },
        email: { C: Email, title: "E-mail", tab: "orders" },
        new_order: { C: NewOrder, title: "New order", tab: "new_order" },
        outbox: { C: Outbox, title: "Outbox", tab: null },
        customers: { C: Customers, title: "Customers", tab: "customers" },
        customer: { C: CustomerDetail, title: "Customer", tab: "customers" },
        customer_new: { C: CustomerNew, title: "New customer", tab: "customers" },
        catalog: { C: Catalog, title: "Catalog", tab: "catalog" },
        product: { C: ProductEdit, title: "Product", tab: "catalog" },
        buy: { C: BuyStock, title: "Buy stock", tab: "catalog" },
    };
    const TABS = [
        ["today", "Today", "◷"],
        ["orders", "Orders", "☰"],
        ["new_order", "New", "+"],
        ["customers", "Customers", "☺"],
        ["catalog", "Catalog", "▦"],
    ];

    class Root extends Component {
        static template = xml`
        <t t-if="!state.key"><SignIn/></t>
        <div t-else="" class="shell">
            <header class="bar">
                <button t-if="state.history.length" class="icon" aria-label="Back" t-on-click="back">‹</button>
                <h1 t-esc="current.title"/>
                <span t-att-class="'status ' + (state.online ? 'on' : 'off')" t-esc="state.online ? 'Online' : 'Offline'"/>
                <button class="icon outbox" aria-label="Outbox" t-on-click="() => this.go('outbox')">
                    ⇅<span class="count" t-if="state.queue.length" t-esc="state.queue.length"/>
                </button>
                <button class="icon" aria-label="Sign out" t-on-click="signOut">⎋</button>
            </header>
            <main class="content">
                <t t-component="current.C" t-key="state.nav" params="state.params"/>
            </main>
            <nav class="tabs">
                <button t-foreach="tabs" t-as="tab" t-key="tab[0]" t-att-class="current.tab === tab[0] ? 'active' : ''"
                        t-att-data-tab="tab[0]" t-on-click="() => this.tab(tab[0])">
                    <span class="glyph" t-esc="tab[2]"/><span t-esc="tab[1]"/>
                </button>
            </nav>
        </div>
        <div t-if="state.toast" t-att-class="'toast ' + state.toast.kind" role="status" t-esc="state.toast.message"/>`;
        static components = { SignIn };

        setup() {
            this.state = useState(state);
            this.tabs = TABS;
            const onFocus = () => flushQueue();
            onMounted(() => window.addEventListener("focus", onFocus));
            onWillUnmount(() => window.removeEventListener("focus", onFocus));
        }
        get current() {
            return SCREENS[this.state.screen] || SCREENS.today;
        }
        go(screen) {
            go(screen);
        }
        tab(screen) {
            state.history = [];
            go(screen, {}, { replace: true });
        }
        back() {
            back();
        }
        signOut() {
            signOut();
        }
    }

    // Screen components receive their parameters.
    for (const { C } of Object.values(SCREENS)) {
        C.props = ["params?"];
    }

    // ------------------------------------------------------------------ start

    window.omsApp = { state, flushQueue }; // for tests and debugging
    mount(Root, document.getElementById("app"), { dev: false }).then(() => {
        document.querySelector("#app .boot")?.remove();
    });
    if (state.key) {
        flushQueue(); // orders left waiting by the last session
    }
    if ("serviceWorker" in navigator) {
        navigator.serviceWorker.register("/oms/app/sw.js", { scope: "/oms/app" }).catch(() => {
            // no offline shell (e.g. not a secure context): the app works online
        });
    }
})();
