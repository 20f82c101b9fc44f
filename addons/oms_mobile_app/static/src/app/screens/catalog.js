/* The catalog: products (searched, by pages), a product's edit (price, description,
 * category, a photo from the camera) and buying stock from a vendor. */
import { call } from "../api.js";
import { errorText } from "../errors.js";
import { money } from "../format.js";
import { _t } from "../i18n.js";
import { back } from "../router.js";
import { toast } from "../state.js";
import { uuid } from "../storage.js";
import { Loader, Screen, SearchList } from "./screen.js";

const { useState } = owl;

export class Catalog extends SearchList {
    static template = "oms_mobile_app.Catalog";
    static path = "/products";
}

export class ProductEdit extends Screen {
    static template = "oms_mobile_app.ProductEdit";
    static components = { Loader };

    setup() {
        super.setup();
        this.form = useState({
            name: "",
            list_price: 0,
            description: "",
            category_id: "",
            image: null,
            preview: null,
            busy: false,
        });
        this.categories = [];
    }

    async fetch() {
        const [product, categories] = await Promise.all([
            this.get(`/products/${this.props.params.id}`),
            this.get("/product-categories?limit=200"),
        ]);
        this.categories = categories.items;
        if (product.category && !this.categories.some((c) => c.id === product.category.id)) {
            this.categories.push(product.category);
        }
        Object.assign(this.form, {
            name: product.name,
            list_price: product.list_price,
            description: product.description || "",
            category_id: product.category ? String(product.category.id) : "",
        });
        return product;
    }

    onPhoto(ev) {
        const file = ev.target.files[0];
        if (!file) {
            return;
        }
        const reader = new FileReader();
        reader.onload = () => {
            this.form.preview = reader.result;
            this.form.image = String(reader.result).split(",")[1];
        };
        reader.readAsDataURL(file);
    }

    async save() {
        const body = {
            name: this.form.name.trim(),
            list_price: Number(this.form.list_price),
            description: this.form.description,
        };
        if (this.form.category_id) {
            body.category_id = Number(this.form.category_id);
        }
        if (this.form.image) {
            body.image = this.form.image;
        }
        this.form.busy = true;
        try {
            const product = await call("PATCH", `/products/${this.view.data.id}`, {
                body,
                idempotencyKey: uuid(),
            });
            this.view.data = product;
            this.form.image = null;
            toast(_t("%s saved: %s.", product.name, money(product.list_price, product.currency)));
        } catch (error) {
            toast(errorText(error), "error");
        } finally {
            this.form.busy = false;
        }
    }
}

export class BuyStock extends Screen {
    static template = "oms_mobile_app.BuyStock";
    static components = { Loader };

    setup() {
        super.setup();
        this.form = useState({ vendorQ: "", vendor: null, quantity: 1, busy: false });
        this.vendors = useState({ items: [] });
        this.key = uuid();
    }

    async fetch() {
        this.vendors.items = (await this.get("/customers?role=vendor&limit=20")).items;
        return null;
    }

    async search() {
        const q = this.form.vendorQ.trim();
        this.form.vendor = null;
        try {
            const query = q ? `&q=${encodeURIComponent(q)}` : "";
            const vendors = await call("GET", `/customers?role=vendor&limit=20${query}`);
            this.vendors.items = vendors.items;
        } catch (error) {
            toast(errorText(error), "error");
        }
    }

    async save() {
        this.form.busy = true;
        try {
            const product = this.props.params.product;
            const po = await call("POST", "/purchase-orders", {
                body: {
                    vendor_id: this.form.vendor.id,
                    lines: [{ product_id: product.id, quantity: Number(this.form.quantity) }],
                },
                idempotencyKey: this.key,
            });
            toast(_t("Purchase order %s sent to %s.", po.name, this.form.vendor.name));
            back();
        } catch (error) {
            toast(errorText(error), "error");
        } finally {
            this.form.busy = false;
        }
    }
}
