/* The shell of the app: the bar (back, title, network, outbox, sign-out), the screen shown
 * and the tabs; the sign-in screen while the device has no key. */
import { _t } from "./i18n.js";
import { back, go, tab } from "./router.js";
import { SignIn } from "./screens/sign_in.js";
import { BuyStock, Catalog, ProductEdit } from "./screens/catalog.js";
import { CustomerDetail, CustomerNew, Customers } from "./screens/customers.js";
import { Email } from "./screens/email.js";
import { NewOrder } from "./screens/new_order.js";
import { OrderDetail, Orders } from "./screens/orders.js";
import { OutboxScreen } from "./screens/outbox.js";
import { Today } from "./screens/today.js";
import { signOut } from "./session.js";
import { state } from "./state.js";
import { outbox } from "./sync.js";

const { Component, useState, onMounted, onWillUnmount } = owl;

/** The screens by name: component, title, and the tab it belongs to. */
export const SCREENS = {
    today: { C: Today, title: _t("Today"), tab: "today" },
    orders: { C: Orders, title: _t("Orders"), tab: "orders" },
    order: { C: OrderDetail, title: _t("Order"), tab: "orders" },
    email: { C: Email, title: _t("E-mail"), tab: "orders" },
    new_order: { C: NewOrder, title: _t("New order"), tab: "new_order" },
    outbox: { C: OutboxScreen, title: _t("Outbox"), tab: null },
    customers: { C: Customers, title: _t("Customers"), tab: "customers" },
    customer: { C: CustomerDetail, title: _t("Customer"), tab: "customers" },
    customer_new: { C: CustomerNew, title: _t("New customer"), tab: "customers" },
    catalog: { C: Catalog, title: _t("Catalog"), tab: "catalog" },
    product: { C: ProductEdit, title: _t("Product"), tab: "catalog" },
    buy: { C: BuyStock, title: _t("Buy stock"), tab: "catalog" },
};
const TABS = [
    ["today", _t("Today"), "◷"],
    ["orders", _t("Orders"), "☰"],
    ["new_order", _t("New"), "+"],
    ["customers", _t("Customers"), "☺"],
    ["catalog", _t("Catalog"), "▦"],
];

export class Root extends Component {
    static template = "oms_mobile_app.Root";
    static components = { SignIn };
    static props = {};

    setup() {
        this.state = useState(state);
        this.tabs = TABS;
        const onFocus = () => outbox.flush();
        onMounted(() => window.addEventListener("focus", onFocus));
        onWillUnmount(() => window.removeEventListener("focus", onFocus));
    }
    get current() {
        return SCREENS[this.state.screen] || SCREENS.today;
    }
    go(screen) {
        go(screen);
    }
    tab(screen) {
        tab(screen);
    }
    back() {
        back();
    }
    signOut() {
        signOut();
    }
}
