/* OMS mobile app: an installable, offline-capable web app on the OMS JSON API.
 *
 * Written with OWL (Odoo's own framework, loaded from /web/static/lib/owl/owl.js), no build
 * step. It talks only to /oms/api/v1 with the API key of the device (kept in localStorage).
 * Offline: the service worker keeps the shell, the app keeps the last answer of every GET
 * it made, and new orders wait in a queue with their Idempotency-Key until they are sent.
 */
(function () {
    "use strict";

    const { Component, mount, useState, reactive, onMounted, onWillUnmount } = owl;

    const API = "/oms/api/v1";
    const SOURCE = document.currentScript.src.replace(/app\.js(\?.*)?$/, "");

    // ------------------------------------------------------------------ translations

    /* The texts are in English in this script (_t("...")) and in app.xml; the user's
     * language comes from the server (GET /translations: Odoo's code translations of the
     * module, i18n/<lang>.po), kept in localStorage for offline starts. */
    let messages = {};
    try {
        messages = JSON.parse(localStorage.getItem("oms.translations") || "{}").messages || {};
    } catch {
        messages = {};
    }

    function translate(text) {
        return messages[text] || text;
    }

    /** The text in the user's language, each %s replaced by the next argument. */
    function _t(text, ...args) {
        let result = translate(text);
        for (const arg of args) {
            result = result.replace("%s", () => String(arg));
        }
        return result;
    }
    const ORDER_STATES = [
        ["quotation", _t("Quotation")],
        ["awaiting_payment", _t("Awaiting payment")],
        ["ready_to_ship", _t("Ready to ship")],
        ["partially_shipped", _t("Partially shipped")],
        ["shipped", _t("Shipped")],
        ["delivered", _t("Delivered")],
        ["invoiced", _t("Invoiced")],
        ["done", _t("Done")],
        ["cancelled", _t("Cancelled")],
        ["exception", _t("Exception")],
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
        // The user's language in Odoo (its preferences), not the browser's: the server
        // answers texts and translations in it.
        headers["Accept-Language"] = "*";
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
            throw new OfflineError(_t("No network: try again when you are back online."));
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
                forgetDevice(_t("Your session ended: sign in again."));
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
        if (await loadTranslations()) {
            location.reload(); // the screens again, in the user's language
            return;
        }
        state.history = [];
        go("today", {}, { replace: true });
        flushQueue();
    }

    /** Keeps the app's texts in the user's language; true when they changed. */
    async function loadTranslations() {
        let translations;
        try {
            translations = await call("GET", "/translations");
        } catch {
            return false; // the kept ones (or English) until the next start
        }
        const before = localStorage.getItem("oms.translations");
        store.set("translations", translations);
        return before !== JSON.stringify(translations) && (before !== null || Object.keys(translations.messages).length > 0);
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
        if (state.queue.length && !confirm(_t("Orders still wait to be sent. Sign out anyway?"))) {
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
                toast(_t("Back online: waiting orders sent."));
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
        static template = "oms_mobile_api.Loader";
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
        static template = "oms_mobile_api.SignIn";

        setup() {
            this.form = useState({
                login: "",
                password: "",
                totp: "",
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
                        device: this.form.device || _t("Mobile app"),
                        ...(this.form.totp.trim() ? { totp: this.form.totp.trim() } : {}),
                    },
                });
                await signIn(token.key);
            } catch (error) {
                this.form.error = errorText(error);
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
        return kind === "tablet" ? _t("My tablet") : kind === "phone" ? _t("My phone") : _t("My browser");
    }

    // ---- today

    class Today extends Screen {
        static template = "oms_mobile_api.Today";
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
                toast(_t("%s accepted.", accepted.name));
                this.reload();
            } catch (error) {
                toast(errorText(error), "error");
            }
        }
    }

    // ---- orders

    class Orders extends Screen {
        static template = "oms_mobile_api.Orders";
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
        static template = "oms_mobile_api.OrderDetail";
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
                toast(_t("%s accepted.", this.view.data.name));
            });
        }

        invoice() {
            return this.run(async () => {
                const invoice = await call("POST", `/orders/${this.view.data.id}/invoice`, {
                    idempotencyKey: this.invoiceKey,
                });
                toast(_t("Invoice %s created: %s.", invoice.name, money(invoice.amount_total, invoice.currency)));
                this.invoiceKey = uuid();
                await this.reload();
            });
        }
    }

    class Email extends Screen {
        static template = "oms_mobile_api.Email";
        static components = { Loader };

        setup() {
            super.setup();
            this.form = useState({ template_id: "", subject: _t("About %s", this.props.params.name), body: "", busy: false });
        }

        async fetch() {
            // Kept for offline use like every GET; the e-mail itself needs the network.
            const templates = await this.get("/mail-templates?model=sale.order&limit=200");
            return { templates: templates.items };
        }

        async send() {
            const body = { order_id: this.props.params.order_id };
            if (this.form.template_id) {
                body.template_id = Number(this.form.template_id);
            } else {
                Object.assign(body, { subject: this.form.subject, body: this.form.body });
            }
            this.form.busy = true;
            try {
                await call("POST", "/emails", { body, idempotencyKey: uuid() });
                toast(_t("E-mail queued for sending."));
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
        static template = "oms_mobile_api.NewOrder";
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
                toast(_t("No product with barcode %s.", code), "error");
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
            const summary = _t("%s: %s line(s), %s", this.form.customer.name, lines.length, money(this.total));
            const id = queueOrder(body, summary);
            Object.assign(this.form, this.blank());
            await flushQueue();
            if (sent.has(id)) {
                const order = sent.get(id);
                toast(_t("Order %s saved.", order.name));
            } else {
                const item = this.state.queue.find((i) => i.id === id);
                if (item && item.status === "failed") {
                    toast(_t("The order was refused: %s", item.error), "error");
                } else {
                    toast(_t("Saved offline: the order will be sent when you are back online."));
                }
            }
        }
    }

    // ---- outbox

    class Outbox extends Screen {
        static template = "oms_mobile_api.Outbox";

        async fetch() {
            return null;
        }

        async send() {
            await flushQueue();
            if (!this.state.online) {
                toast(_t("Still offline: the orders keep waiting."), "error");
            }
        }

        retry(item) {
            item.status = "waiting";
            item.error = null;
            saveQueue();
            this.send();
        }

        discard(item) {
            if (confirm(_t("Discard this order? It was not sent."))) {
                this.state.queue.splice(this.state.queue.indexOf(item), 1);
                saveQueue();
            }
        }
    }

    // ---- customers

    /** A list with a search box: the first page of `static path`, searched by its text. */
    class SearchList extends Screen {
        static components = { Loader };

        setup() {
            super.setup();
            this.filters = useState({ q: "" });
        }

        async fetch() {
            const q = this.filters.q.trim();
            const search = q ? "&q=" + encodeURIComponent(q) : "";
            return this.firstPage(`${this.constructor.path}?limit=50${search}`);
        }
    }

    class Customers extends SearchList {
        static template = "oms_mobile_api.Customers";
        static path = "/customers";
    }

    class CustomerDetail extends Screen {
        static template = "oms_mobile_api.CustomerDetail";
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
        static template = "oms_mobile_api.CustomerNew";

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
                toast(_t("%s created.", customer.name));
                go("customer", { id: customer.id }, { replace: true });
            } catch (error) {
                toast(errorText(error), "error");
            } finally {
                this.form.busy = false;
            }
        }
    }

    // ---- catalog

    class Catalog extends SearchList {
        static template = "oms_mobile_api.Catalog";
        static path = "/products";
    }

    class ProductEdit extends Screen {
        static template = "oms_mobile_api.ProductEdit";
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
                toast(_t("%s saved: %s.", this.view.data.name, money(this.view.data.list_price, this.view.data.currency)));
            } catch (error) {
                toast(errorText(error), "error");
            } finally {
                this.form.busy = false;
            }
        }
    }

    class BuyStock extends Screen {
        static template = "oms_mobile_api.BuyStock";
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
                toast(_t("Purchase order %s sent to %s.", po.name, this.form.vendor.name));
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
        today: { C: Today, title: _t("Today"), tab: "today" },
        orders: { C: Orders, title: _t("Orders"), tab: "orders" },
        order: { C: OrderDetail, title: _t("Order"), tab: "orders" },
        email: { C: Email, title: _t("E-mail"), tab: "orders" },
        new_order: { C: NewOrder, title: _t("New order"), tab: "new_order" },
        outbox: { C: Outbox, title: _t("Outbox"), tab: null },
        customers: { C: Customers, title: _t("Customers"), tab: "customers" },
        customer: { C: CustomerDetail, title: _t("Customer"), tab: "customers" },
        customer_new: { C: CustomerNew, title: _t("New customer"), tab: "customers" },
        catalog: { C: Catalog, title: _t("Catalog"), tab: "catalog" },
        product: { C: ProductEdit, title: _t("Product"), tab: "catalog" },
        buy: { C: BuyStock, title: _t("Buy stock"), tab: "catalog" },
    };
    const TABS = [
        ["today", _t("Today"), "◷"],
        ["orders", _t("Orders"), "☰"],
        ["new_order", _t("New"), "+"],
        ["customers", _t("Customers"), "☺"],
        ["catalog", _t("Catalog"), "▦"],
    ];

    class Root extends Component {
        static template = "oms_mobile_api.Root";
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
    fetch(SOURCE + "app.xml")
        .then((response) => response.text())
        .then((templates) =>
            mount(Root, document.getElementById("app"), {
                dev: false,
                templates,
                translateFn: translate, // the texts of the templates
            })
        )
        .then(() => {
            document.querySelector("#app .boot")?.remove();
        });
    if (state.key) {
        flushQueue(); // orders left waiting by the last session
        loadTranslations(); // a new language of the user shows at the next start
    }
    if ("serviceWorker" in navigator) {
        navigator.serviceWorker.register("/oms/app/sw.js", { scope: "/oms/app" }).catch(() => {
            // no offline shell (e.g. not a secure context): the app works online
        });
    }
})();
