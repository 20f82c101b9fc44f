/* What every screen shares: loading its data (this.view = {loading, error, stale, data}),
 * lists by pages, and the formats and navigation its template uses. */
import { call, get } from "../api.js";
import { errorText } from "../errors.js";
import { date, money, number } from "../format.js";
import { _t } from "../i18n.js";
import { go } from "../router.js";
import { state, toast } from "../state.js";

const { Component, useState, onMounted } = owl;

export const ORDER_STATES = [
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

/** The notices of a screen: offline copy, error, loading. */
export class Loader extends Component {
    static template = "oms_mobile_app.Loader";
    static props = ["view"];
}

/** A screen that loads data: this.view = {loading, error, stale, data}. */
export class Screen extends Component {
    static props = ["params?"];

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
            this.view.data = {
                items: [...shown.items, ...page.items],
                next_cursor: page.next_cursor,
            };
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

/** A list with a search box: the first page of `static path`, searched by its text. */
export class SearchList extends Screen {
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
