/* The client of the OMS API (/oms/api/v1) with the device's key. Every GET answer is kept
 * on the device: offline, get() answers the kept copy. */
import { ApiError, OfflineError } from "./errors.js";
import { _t, browserLanguages } from "./i18n.js";
import { state } from "./state.js";
import { store } from "./storage.js";

const API = "/oms/api/v1";

let onUnauthorized = () => {};

/** What to do when the server no longer knows the device's key (set by the session). */
export function whenUnauthorized(callback) {
    onUnauthorized = callback;
}

export async function call(method, path, { body, key = state.key, idempotencyKey } = {}) {
    const headers = { Accept: "application/json" };
    if (key) {
        headers.Authorization = `Bearer ${key}`;
    }
    if (body !== undefined) {
        headers["Content-Type"] = "application/json";
    }
    if (idempotencyKey) {
        headers["Idempotency-Key"] = idempotencyKey;
    }
    // Signed in, the user's language in Odoo (its preferences), not the browser's: the
    // server answers texts, errors and translations in it. Before (sign-in), the browser's.
    headers["Accept-Language"] = key ? "*" : browserLanguages();
    let response;
    try {
        response = await fetch(API + path, {
            method,
            headers,
            body: body === undefined ? undefined : JSON.stringify(body),
            cache: "no-store",
        });
    } catch {
        state.online = false;
        throw new OfflineError(_t("No network: try again when you are back online."));
    }
    state.online = true;
    let data = null;
    try {
        data = await response.json();
    } catch {
        data = null;
    }
    if (!response.ok) {
        const error = (data && data.error) || {};
        if (response.status === 401 && key && key === state.key) {
            onUnauthorized();
        }
        throw new ApiError(
            response.status,
            error.code || "http_error",
            error.message || `${response.status} ${response.statusText}`,
            error.details
        );
    }
    return data;
}

/** A GET whose answer is kept for offline use: {data, stale}. */
export async function get(path) {
    try {
        const data = await call("GET", path);
        store.set("cache:" + path, data);
        return { data, stale: false };
    } catch (error) {
        if (error instanceof OfflineError) {
            const kept = store.get("cache:" + path);
            if (kept !== null) {
                return { data: kept, stale: true };
            }
        }
        throw error;
    }
}
