# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The link of existing subscribers at migration scale: a run (tv.link.run)
plans, then links, a CSV of up to link_csv.MAX_RUN_ROWS rows in queue_job
jobs of one chunk each (docs/configure.md, Linking existing Olé TV
subscribers).

- Start (the manager's request): the file is read and checked against the
  caps (refused with nothing written), kept as the run's attachment, and its
  rows stored as the run's lines in one INSERT (a malformed row, or a login
  already on an earlier row, is an error at once); one job per chunk is
  queued.
- A chunk job (tv.link.run._tv_link_chunk_job) plans its rows still to do
  (link_planner.py: one batch read per 200 account numbers, one look-up per
  login without one), links the rows to link when linking
  (subscriber_links.py, a savepoint per row) and stores their outcome, in
  its own transaction, then queues a check of the run's end. The chunks are
  independent: they run side by side, as many as the integration's
  *Concurrent platform calls* (each job takes a platform slot,
  platform_slots.py, or is postponed). A crash or a restart loses the
  chunks under way only: their jobs (or the manager's Resume) run them again;
  a row done is not done again (its status, or `applied`), and a row linked
  already comes back *Already linked*: nothing is linked twice, and nothing
  is created on the platform (the link only reads it).
- The end check (_tv_link_finish_job) ends the phase once no row is left:
  the report (a CSV attachment of the run) and the run's state. Each chunk
  queues one, so the one queued by the last chunk to commit sees every row.
- A run with many rows without an account number (LISTING_PARAM, 1,000 by
  default) first reads the platform's whole listing once (500 subscribers a
  call) and takes each such row's account from it (_tv_link_accounts_job):
  the dry run then reads those subscribers 200 a call instead of one
  look-up per login (25,000 look-ups of a 50,000-row file: 5 minutes at
  50 ms on 4 slots; the listing of 100,000 subscribers: 200 calls). The
  account found stands for the missing one only: the platform's answer for
  it is checked like a look-up's (its login).
- Linking plans every chunk again (the platform may have changed since the
  dry run) but reads the platform by the account numbers the dry run found,
  200 a call, instead of one look-up per login.

A transient platform failure postpones the chunk's job; another refusal
(wrong credentials) fails the run with its reason, and Resume goes on."""
import base64
import csv
import io

import psycopg2
from psycopg2.extras import execute_values

from odoo import _, fields
from odoo.exceptions import UserError
from odoo.addons.queue_job.exception import RetryableJobError

from .. import oletv_client as ole
from ..core import link_csv
from ..core.login_rules import spreadsheet_text
from .link_planner import ALREADY_LINKED, ERROR, LINK, LINKED
from .platform_history import load_listing
from .platform_slots import PlatformSlots
from .subscriber_links import SubscriberLinks
from .wake_ups import quiet_jobs

NEW = "new"
PLAN = "plan"
APPLY = "apply"
PHASE_STATES = {PLAN: "planning", APPLY: "applying"}
CHUNK_PARAM = "oletv_integration.link_chunk_size"
DEFAULT_CHUNK = 500
LISTING_PARAM = "oletv_integration.link_listing_rows"
DEFAULT_LISTING_ROWS = 1000
BUSY_RETRY_SECONDS = 5
# after the TV users' syncs (queue_job's default priority is 10): a migration
# does not hold back the status changes' platform calls while it runs
CHUNK_PRIORITY = 20
TRANSIENT_RETRY_SECONDS = 30
# a line still to do, in each phase (SQL on tv_link_run_line)
TODO_SQL = {PLAN: "status = 'new'", APPLY: "NOT applied AND NOT file_error"}


class LinkRuns:
    """The runs of the link of existing subscribers, as the system (`env`
    is sudo, its language the messages' and the report's; the callers
    checked the rights)."""

    def __init__(self, env):
        self.env = env

    def chunk_size(self):
        return max(1, int(self.env["ir.config_parameter"].sudo().get_param(
            CHUNK_PARAM, DEFAULT_CHUNK)))

    def listing_rows(self):
        """Rows without an account number from which the dry run reads the
        platform's listing first."""
        return max(1, int(self.env["ir.config_parameter"].sudo().get_param(
            LISTING_PARAM, DEFAULT_LISTING_ROWS)))

    # -- start ------------------------------------------------------------------

    def start(self, integration, data, filename=None):
        """A new run of `integration` (the caller's record: its environment
        gives the messages their language) for the CSV `data` (text or
        bytes), its dry run queued. A file over the caps or unreadable is
        refused before anything is written."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        links = SubscriberLinks(integration)
        csv_rows = links.parse(data, link_csv.MAX_RUN_FILE_BYTES, link_csv.MAX_RUN_ROWS)
        if not csv_rows:
            raise UserError(_("The file has no line of TV users: nothing to link."))
        filename = filename or "subscribers.csv"
        run = self.env["tv.link.run"].create({
            "integration_id": integration.id, "csv_filename": filename,
            "user_id": integration.env.uid, "date_start": fields.Datetime.now(),
            "state": PHASE_STATES[PLAN], "phase": PLAN})
        run.write({"name": _("Link %(number)d: %(file)s") % {"number": run.id, "file": filename},
                   "csv_attachment_id": self._attach(run, filename, data).id})
        self._insert_lines(run, csv_rows, links)
        if self._rows_without_account(run) >= self.listing_rows():
            self.queue_accounts(run)
        else:
            self.queue_phase(run, PLAN)
        return run

    def _attach(self, run, filename, data):
        return self.env["ir.attachment"].create({
            "name": filename, "datas_fname": filename, "datas": base64.b64encode(data),
            "res_model": run._name, "res_id": run.id, "mimetype": "text/csv"})

    def _insert_lines(self, run, csv_rows, links):
        """The file's rows in one INSERT (a run may have 100,000 of them; an
        ORM create each would take minutes). A malformed row, or a login
        already on an earlier row of the file, is stored as an error with its
        reason (so the chunks are independent); the others wait for the dry
        run."""
        uid = self.env.uid
        first_rows = {}
        values = []
        for row in csv_rows:
            reason = links.csv_error(row.error, row.error_args) if row.error else None
            if not row.error and row.login in first_rows:
                reason = _("The login %(login)s is already on row %(row)d of the file.") % {
                    "login": row.login, "row": first_rows[row.login]}
            elif not row.error:
                first_rows[row.login] = row.row
            values.append((run.id, row.row, row.contract or None, row.vat or None,
                           row.login or None, row.account or None, row.product or None,
                           bool(reason), ERROR if reason else NEW, reason, uid, uid))
        execute_values(
            self.env.cr,
            "INSERT INTO tv_link_run_line (run_id, row, file_contract, file_vat, login, "
            "file_account, file_product, file_error, status, reason, applied, create_uid, "
            "write_uid, create_date, write_date) VALUES %s", values,
            template="(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, false, %s, %s, "
                     "now() at time zone 'UTC', now() at time zone 'UTC')", page_size=1000)

    # -- the accounts of rows without one ----------------------------------------

    def _rows_without_account(self, run):
        self.env.cr.execute(
            "SELECT count(*) FROM tv_link_run_line WHERE run_id = %s AND " + TODO_SQL[PLAN] +
            " AND NOT file_error AND file_account IS NULL AND account_number IS NULL",
            (run.id,))
        return self.env.cr.fetchone()[0]

    def queue_accounts(self, run):
        return quiet_jobs(run).with_delay(
            max_retries=0, priority=CHUNK_PRIORITY,
            identity_key="tv_link_run:%d:accounts" % run.id,
            description=_("Olé TV: accounts of %(name)s from the platform's listing") % {
                "name": run.name},
        )._tv_link_accounts_job()

    def accounts(self, run):
        """The platform's listing, read once (a job): each row without an
        account number takes its login's, then the dry run's chunks are
        queued. A login the listing lacks keeps its look-up."""
        if run.state != PHASE_STATES[PLAN]:
            return _("Nothing to do: the run is no longer in progress (cancelled or failed).")
        PlatformSlots(self.env).take_or_postpone(run.integration_id)
        try:
            with run.integration_id._client() as client:
                load_listing(self.env.cr, client)
        except ole.OleTVError as exc:
            if exc.transient:
                raise RetryableJobError(run.integration_id._platform_error_message(exc),
                                        seconds=TRANSIENT_RETRY_SECONDS)
            # the chunks meet the same refusal and fail the run with its reason
            self.queue_phase(run, PLAN)
            return run.integration_id._platform_error_message(exc)
        found = self._take_listed_accounts(run)
        self.queue_phase(run, PLAN)
        return _("%d accounts found in the platform's listing.") % found

    def _take_listed_accounts(self, run):
        """Each line without an account takes its login's from the listing.
        Matched in Python, written by id: a join of the fresh lines (no
        statistics yet) with the temporary table was planned as a nested
        loop, 2 minutes for 25,000 lines against 60,000 subscribers."""
        cr = self.env.cr
        cr.execute("SELECT lower(login), min(account_number) FROM tv_span_listing "
                   "GROUP BY lower(login)")
        listed = dict(cr.fetchall())
        cr.execute("SELECT id, login FROM tv_link_run_line WHERE run_id = %s AND " +
                   TODO_SQL[PLAN] + " AND NOT file_error AND file_account IS NULL "
                   "AND account_number IS NULL", (run.id,))
        values = [(line_id, listed[login]) for line_id, login in cr.fetchall()
                  if login in listed]
        execute_values(
            cr, "UPDATE tv_link_run_line AS line SET account_number = v.account "
            "FROM (VALUES %s) AS v(id, account) WHERE line.id = v.id", values, page_size=1000)
        self.env["tv.link.run.line"].invalidate_cache()
        return len(values)

    # -- the jobs ---------------------------------------------------------------

    def chunks(self, run, phase):
        """[(after row, last row)] of the run's chunks with rows still to do."""
        self.env.cr.execute(
            "SELECT row, " + TODO_SQL[phase] + " FROM tv_link_run_line WHERE run_id = %s "
            "ORDER BY row", (run.id,))
        lines = self.env.cr.fetchall()
        size, after, result = self.chunk_size(), 0, []
        for start in range(0, len(lines), size):
            part = lines[start:start + size]
            if any(todo for _row, todo in part):
                result.append((after, part[-1][0]))
            after = part[-1][0]
        return result

    def queue_phase(self, run, phase):
        """The jobs of the phase's chunks still to do (a chunk's job already
        waiting is kept), or the end check when none is left."""
        chunks = self.chunks(run, phase)
        for after, last in chunks:
            self.queue(run, phase, after, last)
        if not chunks:
            self.queue_finish(run, phase)
        return len(chunks)

    def queue(self, run, phase, after, last):
        """The job of the chunk of rows after `after` up to `last` (one
        waiting job per run, phase and chunk: its identity key)."""
        description = (_("Olé TV: dry run of %(name)s, lines %(first)d to %(last)d")
                       if phase == PLAN else
                       _("Olé TV: link of %(name)s, lines %(first)d to %(last)d"))
        return quiet_jobs(run).with_delay(
            max_retries=0, priority=CHUNK_PRIORITY,
            identity_key="tv_link_run:%d:%s:%d" % (run.id, phase, after),
            description=description % {"name": run.name, "first": after + 1, "last": last},
        )._tv_link_chunk_job(phase, after, last)

    def queue_finish(self, run, phase):
        return quiet_jobs(run).with_delay(
            description=_("Olé TV: end of %(name)s") % {"name": run.name},
        )._tv_link_finish_job(phase)

    def chunk(self, run, phase, after, last):
        """One chunk (a job, its own transaction)."""
        if run.state != PHASE_STATES[phase]:
            return _("Nothing to do: the run is no longer in progress (cancelled or failed).")
        lines = self._claim(run, phase, after, last)
        if not lines:
            return _("Nothing to do: these lines are done already.")
        todo = lines.filtered(lambda line: not line.file_error)
        PlatformSlots(self.env).take_or_postpone(run.integration_id)
        links = SubscriberLinks(run.integration_id)
        rows = [line._tv_csv_row() for line in todo]
        try:
            with self.env.cr.savepoint():
                planned = links.plan_rows(rows)
                if phase == APPLY:
                    links.link_each(planned)
        except UserError as exc:
            if getattr(exc.__cause__, "transient", False):
                raise RetryableJobError(exc.name, seconds=TRANSIENT_RETRY_SECONDS)
            run.write({"state": "failed", "message": exc.name})
            return exc.name
        self._store(todo, planned, applied=phase == APPLY)
        self.queue_finish(run, phase)
        return _("Lines %(first)d to %(last)d done.") % {"first": after + 1, "last": last}

    def _claim(self, run, phase, after, last):
        """The chunk's lines still to do, locked for this job: another job on
        the same chunk (a resumed duplicate) is postponed, then finds them
        done."""
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "SELECT id FROM tv_link_run_line WHERE run_id = %s AND row > %s AND "
                    "row <= %s AND " + TODO_SQL[phase] + " ORDER BY row FOR UPDATE NOWAIT",
                    (run.id, after, last))
                ids = [line_id for line_id, in self.env.cr.fetchall()]
        except psycopg2.OperationalError:
            raise RetryableJobError(_("Another job works on these lines: postponed."),
                                    seconds=BUSY_RETRY_SECONDS, ignore_retry=True)
        return self.env["tv.link.run.line"].browse(ids)

    def _store(self, lines, planned, applied):
        """Each planned row's outcome on its line, in one UPDATE."""
        values = []
        for line, row in zip(lines, planned):
            answer = row.as_dict()
            values.append((line.id, answer["status"], answer["reason"] or None,
                           answer["account_number"] or None, answer["contract_id"] or None,
                           answer["product_id"] or None, answer["tv_user_id"] or None))
        if values:
            execute_values(
                self.env.cr,
                "UPDATE tv_link_run_line AS line SET status = v.status, reason = v.reason, "
                "account_number = v.account, contract_id = v.contract_id, "
                "product_id = v.product_id, tv_user_id = v.tv_user_id, applied = %s, "
                "write_uid = %s, write_date = now() at time zone 'UTC' "
                "FROM (VALUES %%s) AS v(id, status, reason, account, contract_id, product_id, "
                "tv_user_id) WHERE line.id = v.id" % (bool(applied), int(self.env.uid)),
                values, template="(%s, %s, %s, %s, %s::int, %s::int, %s::int)",
                page_size=1000)
        lines.invalidate_cache()

    def counts(self, run):
        """{total, planned, applied, link, linked, already_linked, error} of
        the run's lines (one query)."""
        self.env.cr.execute(
            "SELECT count(*), count(*) FILTER (WHERE status != 'new'), "
            "count(*) FILTER (WHERE applied OR file_error), "
            "count(*) FILTER (WHERE status = %s), count(*) FILTER (WHERE status = %s), "
            "count(*) FILTER (WHERE status = %s), count(*) FILTER (WHERE status = %s) "
            "FROM tv_link_run_line WHERE run_id = %s",
            (LINK, LINKED, ALREADY_LINKED, ERROR, run.id))
        return dict(zip(("total", "planned", "applied", LINK, LINKED, ALREADY_LINKED, ERROR),
                        self.env.cr.fetchone()))

    def finish(self, run, phase):
        """The end check (a job): once no line is left, the report and the
        run's state."""
        self.env.cr.execute("SELECT id FROM tv_link_run WHERE id = %s FOR UPDATE", (run.id,))
        run.invalidate_cache()
        if run.state != PHASE_STATES[phase]:
            return _("Nothing to do: the run is no longer in progress.")
        self.env.cr.execute(
            "SELECT count(*) FROM tv_link_run_line WHERE run_id = %s AND " + TODO_SQL[phase],
            (run.id,))
        left = self.env.cr.fetchone()[0]
        if left:
            return _("%d lines left: a later check ends the run.") % left
        counts = self.counts(run)
        values = {"report_attachment_id": self._report(run, phase).id}
        if phase == PLAN:
            values.update(state="planned", date_planned=fields.Datetime.now())
            run.write(values)
            return _("Dry run done: %(link)d to link, %(already)d already linked, "
                     "%(errors)d errors.") % {"link": counts[LINK],
                                              "already": counts[ALREADY_LINKED],
                                              "errors": counts[ERROR]}
        values.update(state="done", date_done=fields.Datetime.now())
        run.write(values)
        run.integration_id._tv_link_post_summary(run.csv_filename, counts[LINKED],
                                                 counts[ALREADY_LINKED], counts[ERROR])
        return _("Link done: %(linked)d linked, %(already)d already linked, "
                 "%(errors)d errors.") % {"linked": counts[LINKED],
                                          "already": counts[ALREADY_LINKED],
                                          "errors": counts[ERROR]}

    # -- the report -------------------------------------------------------------

    def _report(self, run, phase):
        """The run's report: one line per row of the file, as a CSV
        attachment of the run (replacing the previous phase's)."""
        labels = self._status_labels()
        self.env.cr.execute(  # one line per line of the file, 100,000 at most
            "SELECT line.row, coalesce(line.file_contract, line.file_vat, ''), "
            "coalesce(line.login, ''), coalesce(line.account_number, line.file_account, ''), "
            "coalesce(contract.code, contract.name, ''), "
            "coalesce(product.default_code, template.name, ''), line.status, "
            "coalesce(line.reason, ''), line.tv_user_id "
            "FROM tv_link_run_line line "
            "LEFT JOIN account_analytic_account contract ON contract.id = line.contract_id "
            "LEFT JOIN product_product product ON product.id = line.product_id "
            "LEFT JOIN product_template template ON template.id = product.product_tmpl_id "
            "WHERE line.run_id = %s ORDER BY line.row", (run.id,))
        lines = self.env.cr.fetchall()  # before _(), whose look-ups use the cursor
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(self._report_header())
        for row, file_ref, login, account, contract, product, status, reason, user_id in lines:
            writer.writerow([row] + [_cell(value) for value in (
                file_ref, login, account, contract, product, labels.get(status, status),
                reason)] + [user_id or ""])
        if run.report_attachment_id:
            run.report_attachment_id.unlink()
        name = "%s-%s.csv" % (run.name.replace("/", "-"),
                              "dry-run" if phase == PLAN else "report")
        return self._attach(run, name, ("\ufeff" + out.getvalue()).encode("utf-8"))

    def _report_header(self):
        return [_("Line"), _("Contract / VAT in the file"), _("Login"), _("Account number"),
                _("Contract"), _("Product"), _("Outcome"), _("Reason"), _("TV user ID")]

    def _status_labels(self):
        return {NEW: _("Not planned"), LINK: _("To link"), LINKED: _("Linked"),
                ALREADY_LINKED: _("Already linked"), ERROR: _("Error")}


def _cell(value):
    """A text cell a spreadsheet will not read as a formula."""
    return spreadsheet_text(value)
