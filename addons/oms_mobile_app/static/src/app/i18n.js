/* The texts are in English in the scripts (_t("...")) and in the templates; the user's
 * language comes from the server (GET /translations: Odoo's code translations of the
 * module, i18n/<lang>.po), kept on the device for offline starts. */
import { store } from "./storage.js";

const messages = (store.get("translations") || {}).messages || {};

/** The text in the user's language (the translation function of the templates too). */
export function translate(text) {
    return messages[text] || text;
}

/** The text in the user's language, each %s replaced by the next argument. */
export function _t(text, ...args) {
    let result = translate(text);
    for (const arg of args) {
        result = result.replace("%s", () => String(arg));
    }
    return result;
}
