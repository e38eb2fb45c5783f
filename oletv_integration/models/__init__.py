# -*- coding: utf-8 -*-
from . import tv_integration
from . import tv_catalog_mixin
from . import tv_package
from . import tv_equipment_model
from . import product_template
from . import product_tv_package_line
from . import account_analytic_invoice_line
from . import account_analytic_account
from . import tv_api_call
from . import tv_user
from . import res_partner
from . import tv_delinquency_policy
from . import tv_trust_release
from . import account_invoice
from . import sale_order
from . import customer_notice
from . import mail_mail
