/* OMS mobile app: an installable, offline-capable web app on the OMS JSON API.
 *
 * Written with OWL (Odoo's own framework, loaded from /web/static/lib/owl/owl.js) as ES
 * modules, no build step. It talks only to /oms/api/v1 with the API key of the device (kept
 * in localStorage). Offline: the service worker keeps the shell, the app keeps the last answer
 * of every GET it made, and new orders wait in the outbox with their Idempotency-Key until
 * they are sent.
 *
 * The modules: api (the API client), errors, storage, i18n (_t), format, state, router,
 * outbox (the queue of orders, unit-tested under Node), sync (the app's outbox and the
 * network), session (sign-in and out), root (the shell) and screens/ (one module and one
 * template file per screen). This one starts the app.
 */
import { translate } from "./i18n.js";
import { Root } from "./root.js";
import { loadBrowserTranslations, loadTranslations } from "./session.js";
import { state } from "./state.js";
import { outbox, watchNetwork } from "./sync.js";

const { App } = owl;

/** The OWL templates, one file per screen. */
const TEMPLATES = [
    "root.xml",
    "screens/screen.xml",
    "screens/sign_in.xml",
    "screens/today.xml",
    "screens/orders.xml",
    "screens/email.xml",
    "screens/new_order.xml",
    "screens/outbox.xml",
    "screens/customers.xml",
    "screens/catalog.xml",
];

/** A file of the app by its URL, as the page's import map versions it. */
function url(path) {
    return import.meta.resolve ? import.meta.resolve(`./${path}`) : new URL(path, import.meta.url);
}

async function start() {
    if (!state.key) {
        await loadBrowserTranslations(); // the sign-in screen in the browser's language
    }
    const app = new App(Root, {
        dev: false,
        translateFn: translate, // the texts of the templates
    });
    const files = await Promise.all(
        TEMPLATES.map((path) => fetch(url(path)).then((response) => response.text()))
    );
    for (const templates of files) {
        app.addTemplates(templates);
    }
    await app.mount(document.getElementById("app"));
    document.querySelector("#app .boot")?.remove();
}

window.omsApp = { state, flushQueue: () => outbox.flush() }; // for tests and debugging
watchNetwork();
start();
if (state.key) {
    outbox.flush(); // orders left waiting by the last session
    loadTranslations(); // a new language of the user shows at the next start
}
if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/oms/app/sw.js", { scope: "/oms/app" }).catch(() => {
        // no offline shell (e.g. not a secure context): the app works online
    });
}
