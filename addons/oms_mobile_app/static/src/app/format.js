/* Amounts, quantities and dates in the user's language (Odoo's, else the browser's). */
import { state } from "./state.js";

function locale() {
    const lang = (state.me && state.me.lang) || navigator.language || "en-US";
    return lang.replace("_", "-");
}

export function money(amount, currency) {
    try {
        return new Intl.NumberFormat(locale(), {
            style: "currency",
            currency: currency || (state.me && state.me.currency) || "USD",
        }).format(amount || 0);
    } catch {
        return `${(amount || 0).toFixed(2)} ${currency || ""}`;
    }
}

export function number(value) {
    return new Intl.NumberFormat(locale(), { maximumFractionDigits: 3 }).format(value || 0);
}

export function date(value) {
    if (!value) {
        return "";
    }
    return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(
        new Date(value)
    );
}

/** Today's date on the device, as the API takes it (YYYY-MM-DD). */
export function isoToday() {
    const now = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
