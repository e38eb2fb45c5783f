# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The work that is not a model's behaviour: plain classes with explicit
inputs, the Odoo layer's engine room (they use the ORM and the cursor; the
rules they follow are in ..core, Odoo-free).

The contract's (models/account_analytic_account.py calls them):

- delinquency_ladder.py: the suspension ladder's daily run, the release on
  payment, trust releases and the termination proposal;
- customer_notices.py: the customer notices, queued, rendered with their
  figures only and put in the mail queue;
- contract_activation.py: the TV users proposed for a new contract;
- contract_billing.py, invoiced_days.py, settlement.py: invoicing that
  ends with the contract, the days an invoice line charges, the invoiced
  periods corrected (credit notes and invoices, none by hand);
- customer_documents.py: a Brazilian customer's CPF/CNPJ checked before a
  TV user is created.

The integration's (models/tv_integration.py calls it):

- revenue_month.py: a month's revenue assurance (what the ISP invoiced per
  package, Olé TV's vendor bill, the counts) and its leaks, stored.

The TV users' (models/tv_user.py calls them):

- wake_ups.py: the queue of the TV users' syncs (wake-up jobs per
  integration);
- row_locks.py: how a job and a request lock TV users' rows without waiting
  or logging an error;
- sync_batch.py: one sync batch of an integration (claim, one batch read,
  each TV user's convergence, the routine results stored once);
- convergence.py: one TV user's platform calls until a final step, and its
  outcomes (stored state, chatter, activities, failures);
- reconciliation.py: the scheduled reconciliation of an integration and the
  sweeps of work left behind;
- platform_slots.py: each integration's Concurrent platform calls, kept
  by the addon (advisory locks);
- errors.py: the addon's own refusals.

Every model's helpers:

- tv_roles.py: who may call what, and the system's own paths (as_system);
- owned_fields.py: every field's class (user, owned, secret), which
  models/tv_field_guard.py applies;
- rpc_arguments.py: the public methods' arguments, checked and refused in
  the caller's words;
- link_planner.py, subscriber_links.py: the link CSV's plan, and applying
  it all or nothing; link_runs.py, link_run_report.py: a migration's file
  linked in background runs, and their report;
- call_recorder.py, notice_view.py: the platform calls kept for the audit
  trail; what a notice template sees;
- company_day.py: the company's day in its time zone, a date field's value
  as a date;
- activities.py: the open activities (OCA mail_activity_done keeps those
  marked done).

Models call them (the models hold the entry points: the jobs, the crons,
the buttons, the methods other models call); they call the models' methods,
never a model's partial class, and import no model module
(tests/test_core_imports.py). State that lives for a batch lives in their
attributes, never in the context. Translated texts (`_`) are built in
methods of objects that carry `env` (Odoo's `_` reads the language from the
caller's `self.env`), and a TV user is never a local named `user` where `_`
is called: `_` would take that record's id for the uid whose language it
reads (a res.users read per TV user; test_tv_jobs_locks.py pins it)."""
