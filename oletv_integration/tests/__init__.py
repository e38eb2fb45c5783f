# -*- coding: utf-8 -*-
# Odoo's own test runner (--test-enable) runs the modules imported here;
# tests/test_addon_test_modules.py checks that none is missing.
from . import test_bulk_tracking
from . import test_contract_status
from . import test_contract_tv_line
from . import test_customer_notices
from . import test_delinquency
from . import test_delinquency_ladder
from . import test_e2e_sandbox
from . import test_link_subscribers
from . import test_migration_duplicates
from . import test_notice_delivery
from . import test_notice_jobs
from . import test_portal
from . import test_public_methods
from . import test_plan_change
from . import test_queue_job_contract
from . import test_request_suspension
from . import test_sales_flow
from . import test_security_roles
from . import test_security_rpc
from . import test_translations
from . import test_tv_concurrent_writes
from . import test_tv_dashboard
from . import test_tv_https
from . import test_tv_integration
from . import test_tv_jobs_locks
from . import test_tv_login_checks
from . import test_tv_product
from . import test_tv_reconcile_isolation
from . import test_tv_retry_after
from . import test_tv_user
from . import test_tv_user_binding
from . import test_tv_user_delete
