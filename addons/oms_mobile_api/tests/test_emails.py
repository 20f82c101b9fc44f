from .common import OmsApiCase


class TestEmails(OmsApiCase):
    def _outgoing(self, message_id):
        return self.env["mail.mail"].search([("mail_message_id", "=", message_id)])

    def test_email_about_an_order(self):
        order = self._order()
        response = self.api(
            "POST",
            "/emails",
            {"order_id": order.id, "subject": "Your order", "body": "It ships <today>."},
        )
        self.assertEqual(response.status_code, 202, response.text)
        body = response.json()
        self.assertEqual((body["model"], body["res_id"]), ("sale.order", order.id))
        self.assertEqual(body["state"], "queued")
        self.assertEqual([r["id"] for r in body["recipients"]], [self.customer.id])
        message = self.env["mail.message"].browse(body["message_id"])
        self.assertIn(message, order.message_ids, "logged on the order")
        self.assertEqual(message.author_id, self.clerk.partner_id)
        self.assertIn("It ships &lt;today&gt;.", str(message.body))
        mail = self._outgoing(message.id)
        self.assertEqual(mail.state, "outgoing", "waits in the mail queue")
        self.assertIn(self.customer, mail.recipient_ids)

    def test_email_from_a_template(self):
        order = self._order()
        template = self.env.ref("sale.email_template_edi_sale")
        response = self.api(
            "POST",
            "/emails",
            {"order_id": order.id, "customer_id": self.contact.id, "template_id": template.id},
        )
        self.assertEqual(response.status_code, 202, response.text)
        message = self.env["mail.message"].browse(response.json()["message_id"])
        self.assertIn(order.name, message.subject)
        self.assertIn(self.contact, message.partner_ids)
        self.assertIn(message, order.message_ids)
        self.assertTrue(self._outgoing(message.id))

    def test_email_to_a_customer(self):
        response = self.api(
            "POST",
            "/emails",
            {"customer_id": self.customer.id, "subject": "New catalog", "body": "Have a look."},
        )
        self.assertEqual(response.status_code, 202, response.text)
        message = self.env["mail.message"].browse(response.json()["message_id"])
        self.assertEqual((message.model, message.res_id), ("res.partner", self.customer.id))

    def test_refused(self):
        order = self._order()
        messages = self.env["mail.message"].search([])
        self.assertError(
            self.api("POST", "/emails", {"order_id": order.id, "subject": "Hi"}),
            400,
            "invalid_request",
        )
        self.assertError(
            self.api("POST", "/emails", {"subject": "Hi", "body": "Yo"}), 400, "invalid_request"
        )
        template = self.env.ref("sale.email_template_edi_sale")
        error = self.assertError(
            self.api(
                "POST", "/emails", {"customer_id": self.customer.id, "template_id": template.id}
            ),
            422,
            "business_rule",
        )
        self.assertIn("template", error["message"])
        self.customer.email = False
        self.assertError(
            self.api("POST", "/emails", {"order_id": order.id, "subject": "Hi", "body": "Yo"}),
            422,
            "business_rule",
        )
        self.assertError(
            self.api(
                "POST",
                "/emails",
                {"order_id": self.other_order.id, "subject": "Hi", "body": "Yo"},
            ),
            422,
            "unknown_reference",
        )
        new_messages = self.env["mail.message"].search([]) - messages
        self.assertFalse(new_messages.filtered(lambda message: message.message_type == "comment"))
        self.assertFalse(
            self.env["mail.mail"].search([("mail_message_id", "in", new_messages.ids)])
        )
