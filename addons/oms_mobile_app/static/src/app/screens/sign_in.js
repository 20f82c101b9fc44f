/* Sign-in: login and password give the device a key of its own; a user with two-factor
 * authentication pastes a key made in Odoo instead. */
import { call } from "../api.js";
import { errorText } from "../errors.js";
import { _t } from "../i18n.js";
import { deviceName, signIn } from "../session.js";

const { Component, useState } = owl;

export class SignIn extends Component {
    static template = "oms_mobile_app.SignIn";
    static props = {};

    setup() {
        this.form = useState({
            login: "",
            password: "",
            totp: "",
            device: deviceName(),
            key: "",
            busy: false,
            error: null,
            withKey: false,
        });
    }

    async submit() {
        this.form.busy = true;
        this.form.error = null;
        try {
            const token = await call("POST", "/auth/token", {
                key: null,
                body: {
                    login: this.form.login,
                    password: this.form.password,
                    device: this.form.device || _t("Mobile app"),
                    ...(this.form.totp.trim() ? { totp: this.form.totp.trim() } : {}),
                },
            });
            await signIn(token.key);
        } catch (error) {
            this.form.error = errorText(error);
        } finally {
            this.form.busy = false;
        }
    }

    async submitKey() {
        this.form.busy = true;
        this.form.error = null;
        try {
            await signIn(this.form.key.trim());
        } catch (error) {
            this.form.error = errorText(error);
        } finally {
            this.form.busy = false;
        }
    }
}
