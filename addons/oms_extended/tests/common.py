from odoo.tests import TransactionCase, new_test_user


class OmsCommon(TransactionCase):
    """Users shared by the OMS tests: none of them is a system administrator."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.oms_user = new_test_user(
            cls.env, login="oms_user", name="OMS User", groups="oms_extended.group_oms_user"
        )
        cls.oms_manager = new_test_user(
            cls.env,
            login="oms_manager",
            name="OMS Manager",
            groups="oms_extended.group_oms_manager",
        )
        cls.employee = new_test_user(cls.env, login="oms_employee", groups="base.group_user")
