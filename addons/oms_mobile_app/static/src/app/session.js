/* The device's session: sign in (a key of the user's, kept on the device), the user's
 * language, sign out (the key revoked on the server and forgotten here). */
import { call, whenUnauthorized } from "./api.js";
import { _t, browserLanguages, textsChanged, useMessages } from "./i18n.js";
import { go } from "./router.js";
import { state, toast } from "./state.js";
import { store } from "./storage.js";
import { outbox } from "./sync.js";

export async function signIn(key) {
    const me = await call("GET", "/me", { key });
    state.key = key;
    state.me = me;
    store.set("key", key);
    store.set("me", me);
    await loadTranslations();
    useMessages((store.get("translations") || {}).messages); // not the browser's any more
    if (textsChanged()) {
        location.reload(); // the screens again, in the user's language
        return;
    }
    state.history = [];
    go("today", {}, { replace: true });
    outbox.flush();
}

/** Keeps the app's texts in the user's language; true when they changed. */
export async function loadTranslations() {
    let translations;
    try {
        translations = await call("GET", "/translations");
    } catch {
        return false; // the kept ones (or English) until the next start
    }
    const before = store.raw("translations");
    store.set("translations", translations);
    return (
        before !== JSON.stringify(translations) &&
        (before !== null || Object.keys(translations.messages).length > 0)
    );
}

/** Before sign-in: the app's texts in the browser's language (navigator.languages), from
 * the public GET /oms/app/translations (the sign-in screen shows them); kept on the device,
 * as the user's are. */
export async function loadBrowserTranslations() {
    let translations;
    try {
        const response = await fetch("/oms/app/translations", {
            headers: { Accept: "application/json", "Accept-Language": browserLanguages() },
            cache: "no-store",
        });
        if (!response.ok) {
            return;
        }
        translations = await response.json();
    } catch {
        return; // offline: the kept ones (or English)
    }
    store.set("translations", translations);
    useMessages(translations.messages);
}

export function forgetDevice(message) {
    state.key = null;
    state.me = null;
    store.remove("key");
    store.remove("me");
    store.clearCache();
    if (message) {
        toast(message, "error");
    }
}

whenUnauthorized(() => forgetDevice(_t("Your session ended: sign in again.")));

export async function signOut() {
    if (outbox.queue.length && !confirm(_t("Orders still wait to be sent. Sign out anyway?"))) {
        return;
    }
    try {
        await call("POST", "/auth/revoke");
    } catch {
        // offline or already revoked: the key is forgotten here anyway
    }
    outbox.clear();
    forgetDevice();
}

/** A name for this device's key, as the user will see it in Odoo. */
export function deviceName() {
    const agent = navigator.userAgent;
    const kind = /iPad|Tablet/i.test(agent)
        ? "tablet"
        : /Mobi|Android|iPhone/i.test(agent)
          ? "phone"
          : "browser";
    return kind === "tablet"
        ? _t("My tablet")
        : kind === "phone"
          ? _t("My phone")
          : _t("My browser");
}
