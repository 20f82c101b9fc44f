/* What the app keeps on the device (localStorage, under "oms."): the key of the device,
 * the user, the queue of orders to send, the translations and the last answer of every GET
 * (under "oms.cache:"). */

/** A store over a Storage (localStorage by default, looked up when used). */
export function createStore(backend = () => globalThis.localStorage) {
    return {
        get(name, fallback = null) {
            try {
                const value = backend().getItem("oms." + name);
                return value === null ? fallback : JSON.parse(value);
            } catch {
                return fallback;
            }
        },
        set(name, value) {
            try {
                backend().setItem("oms." + name, JSON.stringify(value));
            } catch {
                // full: the app works on, without keeping this copy
            }
        },
        /** The stored text as it is (null when missing). */
        raw(name) {
            return backend().getItem("oms." + name);
        },
        remove(name) {
            backend().removeItem("oms." + name);
        },
        clearCache() {
            const storage = backend();
            for (const name of Object.keys(storage)) {
                if (name.startsWith("oms.cache:")) {
                    storage.removeItem(name);
                }
            }
        },
    };
}

export const store = createStore();

export function uuid() {
    if (globalThis.crypto && crypto.randomUUID) {
        return crypto.randomUUID();
    }
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, (c) => {
        const r = (Math.random() * 16) | 0;
        return (c === "x" ? r : (r & 0x3) | 0x8).toString(16);
    });
}
