/* An e-mail about an order: written here, or from one of the order's mail templates. */
import { call } from "../api.js";
import { errorText } from "../errors.js";
import { _t } from "../i18n.js";
import { back } from "../router.js";
import { toast } from "../state.js";
import { uuid } from "../storage.js";
import { Loader, Screen } from "./screen.js";

const { useState } = owl;

export class Email extends Screen {
    static template = "oms_mobile_app.Email";
    static components = { Loader };

    setup() {
        super.setup();
        this.form = useState({
            template_id: "",
            subject: _t("About %s", this.props.params.name),
            body: "",
            busy: false,
        });
    }

    async fetch() {
        // Kept for offline use like every GET; the e-mail itself needs the network.
        const templates = await this.get("/mail-templates?model=sale.order&limit=200");
        return { templates: templates.items };
    }

    async send() {
        const body = { order_id: this.props.params.order_id };
        if (this.form.template_id) {
            body.template_id = Number(this.form.template_id);
        } else {
            Object.assign(body, { subject: this.form.subject, body: this.form.body });
        }
        this.form.busy = true;
        try {
            await call("POST", "/emails", { body, idempotencyKey: uuid() });
            toast(_t("E-mail queued for sending."));
            back();
        } catch (error) {
            toast(errorText(error), "error");
        } finally {
            this.form.busy = false;
        }
    }
}
