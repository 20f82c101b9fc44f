/* The state of the app, shared by every screen (OWL's reactive object): the device's key
 * and user, the network, the screen shown, the queue of orders to send, the message shown. */
import { store } from "./storage.js";

const { reactive } = owl;

export const state = reactive({
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

let toastTimer = null;

/** A message at the bottom of the screen for a few seconds ("info" or "error"). */
export function toast(message, kind = "info") {
    state.toast = { message, kind };
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => (state.toast = null), 4000);
}
