/* The outbox: the orders waiting to be sent or refused by the server; send them now,
 * retry a refused one or discard it. */
import { _t } from "../i18n.js";
import { toast } from "../state.js";
import { outbox } from "../sync.js";
import { Screen } from "./screen.js";

export class OutboxScreen extends Screen {
    static template = "oms_mobile_app.Outbox";

    async fetch() {
        return null;
    }

    async send() {
        await outbox.flush();
        if (!this.state.online) {
            toast(_t("Still offline: the orders keep waiting."), "error");
        }
    }

    retry(item) {
        outbox.retry(item);
        this.send();
    }

    discard(item) {
        if (confirm(_t("Discard this order? It was not sent."))) {
            outbox.discard(item);
        }
    }
}
