/* Orders: the list (searched, filtered by status, by pages) and an order's detail, where
 * it is accepted or invoiced. */
import { call } from "../api.js";
import { errorText } from "../errors.js";
import { money } from "../format.js";
import { _t } from "../i18n.js";
import { toast } from "../state.js";
import { uuid } from "../storage.js";
import { Loader, ORDER_STATES, Screen } from "./screen.js";

const { useState } = owl;

export class Orders extends Screen {
    static template = "oms_mobile_app.Orders";
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

export class OrderDetail extends Screen {
    static template = "oms_mobile_app.OrderDetail";
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
            toast(
                _t(
                    "Invoice %s created: %s.",
                    invoice.name,
                    money(invoice.amount_total, invoice.currency)
                )
            );
            this.invoiceKey = uuid();
            await this.reload();
        });
    }
}
