# -*- coding: utf-8 -*-
from . import tv_integration
from . import tv_catalog
from . import tv_product
from . import contract_tv_line
from . import contract_status
from . import tv_api_call
from . import tv_user
from . import tv_user_queue
from . import tv_user_sync
from . import tv_reconciliation
from . import tv_dashboard
from . import delinquency_policy
from . import trust_release
from . import contract_delinquency
from . import account_invoice
from . import sale_order
