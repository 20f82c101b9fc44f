/* The texts are in English in the scripts (_t("...")) and in the templates; the user's
 * language comes from the server (GET /translations: Odoo's code translations of the
 * module, i18n/<lang>.po), kept on the device for offline starts. Before sign-in, no user
 * is known: the texts are in the browser's language (GET /oms/app/translations). */
import { store } from "./storage.js";

const messages = (store.get("translations") || {}).messages || {};
// The texts the modules started with: some are translated when a module loads.
const started = JSON.stringify(messages);

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

/** Uses these texts from now on (the screens rendered next show them). */
export function useMessages(newMessages) {
    for (const text of Object.keys(messages)) {
        delete messages[text];
    }
    Object.assign(messages, newMessages || {});
}

/** True when the kept texts are not those the app started with: a restart shows them
 * everywhere (the texts translated when the modules loaded too). */
export function textsChanged() {
    return JSON.stringify((store.get("translations") || {}).messages || {}) !== started;
}

/** The browser's languages, by preference (navigator.languages), as an Accept-Language
 * header: "lt-LT, lt;q=0.9, en;q=0.8". */
export function browserLanguages() {
    const languages = navigator.languages && navigator.languages.length
        ? navigator.languages
        : [navigator.language || "en"];
    return languages
        .slice(0, 10)
        .map((language, index) =>
            index ? `${language};q=${(1 - index / 10).toFixed(1)}` : language
        )
        .join(", ");
}
