/* Service worker of the OMS mobile app: keeps the app's shell (its page, OWL, its modules,
 * templates, style and icons) so that the app opens without network. Requests to the API
 * are not touched: the app keeps its own copy of the data it saw and its queue of orders to
 * send. The shell's URLs carry the app's version (?v=); the copies are kept by path, the
 * last one fetched of each. */
const CACHE = "oms-app-v1";
const SHELL = __SHELL__;
const path = (url) => new URL(url, self.location.href).pathname;
const PATHS = new Set(SHELL.map(path));

self.addEventListener("install", (event) => {
    event.waitUntil(
        caches
            .open(CACHE)
            .then((cache) =>
                Promise.all(
                    SHELL.map((url) =>
                        fetch(url).then((response) => {
                            if (!response.ok) {
                                throw new TypeError(`${url}: ${response.status}`);
                            }
                            return cache.put(path(url), response);
                        })
                    )
                )
            )
            .then(() => self.skipWaiting())
    );
});

self.addEventListener("activate", (event) => {
    event.waitUntil(
        caches
            .keys()
            .then((keys) =>
                Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k)))
            )
            .then(() => self.clients.claim())
    );
});

self.addEventListener("fetch", (event) => {
    const url = new URL(event.request.url);
    if (event.request.method !== "GET" || url.origin !== self.location.origin) {
        return;
    }
    if (!PATHS.has(url.pathname)) {
        return; // the API and anything else: straight to the network
    }
    // Network first (a new version of the app shows at once), the kept copy offline.
    event.respondWith(
        fetch(event.request)
            .then((response) => {
                if (response.ok) {
                    const copy = response.clone();
                    caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
                }
                return response;
            })
            .catch(() => caches.match(url.pathname))
    );
});
