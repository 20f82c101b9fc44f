/* The app's outbox (outbox.js) on its state, its store and the API, sent again when the
 * network comes back, now and then, and when the app gets the focus. */
import { call } from "./api.js";
import { _t } from "./i18n.js";
import { Outbox } from "./outbox.js";
import { state, toast } from "./state.js";
import { store, uuid } from "./storage.js";

export const outbox = new Outbox({
    state,
    store,
    uuid,
    post: (body, idempotencyKey) => call("POST", "/orders", { body, idempotencyKey }),
});

export function watchNetwork() {
    window.addEventListener("online", () => {
        state.online = true;
        outbox.flush().then(() => {
            if (!outbox.waiting.length && outbox.sent.size) {
                toast(_t("Back online: waiting orders sent."));
            }
        });
    });
    window.addEventListener("offline", () => (state.online = false));
    // The "online" event may not come (a captive portal, a flaky network): retry now and then.
    setInterval(() => {
        if (state.key && navigator.onLine && outbox.waiting.length) {
            outbox.flush();
        }
    }, 30000);
}
