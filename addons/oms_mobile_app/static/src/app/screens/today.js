/* Today: the day's orders and revenue, and the quotations waiting to be accepted. */
import { call } from "../api.js";
import { errorText } from "../errors.js";
import { isoToday } from "../format.js";
import { _t } from "../i18n.js";
import { toast } from "../state.js";
import { Loader, Screen } from "./screen.js";

export class Today extends Screen {
    static template = "oms_mobile_app.Today";
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
