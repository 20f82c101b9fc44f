/* A new order, online or not: customers and products come from the kept lists (searched on
 * the server when online), and the order goes through the outbox. */
import { call } from "../api.js";
import { money } from "../format.js";
import { _t } from "../i18n.js";
import { toast } from "../state.js";
import { outbox } from "../sync.js";
import { Loader, Screen } from "./screen.js";

const { useState } = owl;

export class NewOrder extends Screen {
    static template = "oms_mobile_app.NewOrder";
    static components = { Loader };

    setup() {
        super.setup();
        this.form = useState(this.blank());
        this.remote = useState({ customers: null, products: null });
    }

    blank() {
        return {
            customer: null,
            customerQ: "",
            productQ: "",
            barcode: "",
            lines: [],
            note: "",
            confirm: false,
        };
    }

    async fetch() {
        // Kept for offline use: the order form works from them without network.
        const [customers, products] = await Promise.all([
            this.get("/customers?limit=200"),
            this.get("/products?limit=200"),
        ]);
        return {
            customers: customers.items,
            products: products.items.filter((p) => p.sale_ok && p.active),
        };
    }

    match(text, ...values) {
        const q = text.trim().toLowerCase();
        return !q || values.some((v) => v && String(v).toLowerCase().includes(q));
    }

    get customerChoices() {
        const source = this.remote.customers || (this.view.data && this.view.data.customers) || [];
        return source
            .filter((c) => this.match(this.form.customerQ, c.name, c.email, c.phone, c.ref))
            .slice(0, 8);
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
            const q = encodeURIComponent(text.trim());
            const data = await call("GET", `/${kind}?limit=20&q=${q}`);
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
        return this.form.lines.reduce(
            (t, l) => t + (Number(l.quantity) || 0) * l.product.list_price,
            0
        );
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
        const summary = _t(
            "%s: %s line(s), %s",
            this.form.customer.name,
            lines.length,
            money(this.total)
        );
        const id = outbox.add(body, summary);
        Object.assign(this.form, this.blank());
        await outbox.flush();
        if (outbox.sent.has(id)) {
            toast(_t("Order %s saved.", outbox.sent.get(id).name));
            return;
        }
        const item = outbox.queue.find((i) => i.id === id);
        if (item && item.status === "failed") {
            toast(_t("The order was refused: %s", item.error), "error");
        } else {
            toast(_t("Saved offline: the order will be sent when you are back online."));
        }
    }
}
