import { browser } from "@web/core/browser/browser";
import { download } from "@web/core/network/download";

/**
 * Download an XLSX export: the action the server's action_export_* return (a URL of
 * the read-only route /oms_reports/export/..., which a read replica may serve) is
 * fetched in place, so that an error shows in the web client's dialog.
 */
export async function downloadExport(action) {
    const url = new URL(action.url, browser.location.origin);
    await download({ url: url.pathname, data: Object.fromEntries(url.searchParams) });
}
