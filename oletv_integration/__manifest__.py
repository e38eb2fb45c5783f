# -*- coding: utf-8 -*-
# Copyright 2026 oletv_integration authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Olé TV Integration",
    "summary": "Sell and control Olé TV (IPTV/OTT) access from subscription contracts",
    "version": "11.0.1.4.0",
    "category": "Contract Management",
    "license": "AGPL-3",
    "author": "oletv_integration authors",
    "depends": [
        "account",
        "account_invoicing",
        "base_automation",
        "contract",
        "mail",
        "product",
        "queue_job",
        "sale",
    ],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "security/oletv_security.xml",
        "security/ir.model.access.csv",
        "data/ir_config_parameter.xml",
        "data/base_automation.xml",
        "data/ir_cron.xml",
        "views/tv_integration_views.xml",
        "views/product_template_views.xml",
        "views/tv_user_views.xml",
        "views/contract_views.xml",
        "views/tv_dashboard_views.xml",
        "data/delinquency_cron.xml",
        "data/contract_server_actions.xml",
        "views/delinquency_views.xml",
        "views/tv_link_subscribers_views.xml",
    ],
    "demo": [
        "demo/oletv_demo.xml",
        "demo/delinquency_demo.xml",
    ],
}
