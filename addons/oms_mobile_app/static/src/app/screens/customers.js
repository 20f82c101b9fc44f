/* Customers: the list, a customer's sales and history, a new customer. */
import { call } from "../api.js";
import { errorText } from "../errors.js";
import { _t } from "../i18n.js";
import { go } from "../router.js";
import { toast } from "../state.js";
import { uuid } from "../storage.js";
import { Loader, Screen, SearchList } from "./screen.js";

const { useState } = owl;

export class Customers extends SearchList {
    static template = "oms_mobile_app.Customers";
    static path = "/customers";
}

export class CustomerDetail extends Screen {
    static template = "oms_mobile_app.CustomerDetail";
    static components = { Loader };

    async fetch() {
        const id = this.props.params.id;
        const [customer, orders] = await Promise.all([
            this.get(`/customers/${id}`),
            this.get(`/orders?customer_id=${id}&limit=20`),
        ]);
        return { customer, orders: orders.items };
    }
}

const CUSTOMER_FIELDS = ["name", "email", "phone", "street", "zip", "city", "country_code"];

export class CustomerNew extends Screen {
    static template = "oms_mobile_app.CustomerNew";

    setup() {
        super.setup();
        this.form = useState({
            ...Object.fromEntries(CUSTOMER_FIELDS.map((field) => [field, ""])),
            is_company: false,
            busy: false,
        });
        this.key = uuid();
    }

    async fetch() {
        return null;
    }

    async save() {
        const body = {};
        for (const field of CUSTOMER_FIELDS) {
            if (this.form[field].trim()) {
                body[field] = this.form[field].trim();
            }
        }
        body.is_company = this.form.is_company;
        this.form.busy = true;
        try {
            const customer = await call("POST", "/customers", { body, idempotencyKey: this.key });
            toast(_t("%s created.", customer.name));
            go("customer", { id: customer.id }, { replace: true });
        } catch (error) {
            toast(errorText(error), "error");
        } finally {
            this.form.busy = false;
        }
    }
}
