# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The link of existing subscribers at migration scale (tv.link.run): the dry
run and the link in chunk jobs against a live sandbox, the report, the
resume after an interrupted chunk, the caps, one run linking per
integration, and who may start, see and drive a run."""
import base64
import csv
import io
from unittest.mock import patch

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job
from odoo.exceptions import AccessError, UserError

from ..core import link_csv
from ..services import link_run_report, link_runs
from .security_common import RolesCase
from .test_link_subscribers import LinkSandboxCase, csv_text

CHUNK = 5
N_ROWS = 12  # three chunks of CHUNK rows


class TestLinkRuns(LinkSandboxCase, RolesCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = [cls.make_customer(700 + number, [cls.tv_product])
                         for number in range(N_ROWS)]
        cls.env["ir.config_parameter"].sudo().set_param(link_runs.CHUNK_PARAM, CHUNK)
        cls.manager = cls.users_a["manager"]

    def setUp(self):
        super().setUp()
        rows, self.accounts = [], {}
        for number, contract in enumerate(self.customers):
            login = "run%02d@example.com" % number
            account = self.seed(login, self.tv_product, ("active", "blocked")[number % 2])
            self.accounts[login] = account
            # half with the account number (batch read), half by login
            rows.append([contract.code, "", login, account if number % 2 else "", ""])
        rows[3] = [self.customers[3].code, "", "nobody@example.com", "", ""]  # unknown
        rows[7] = [self.customers[7].code, "", "", "", ""]  # malformed: no login
        rows[10] = [self.customers[1].code, "", "run01@example.com", "", ""]  # login twice
        self.text = csv_text(rows)
        self.linkable = {"run%02d@example.com" % number for number in range(N_ROWS)} - {
            "run03@example.com", "run07@example.com", "run10@example.com"}

    # -- helpers ---------------------------------------------------------------------

    def start(self, text=None, user=None):
        run_id = self.rpc(user or self.manager, "tv.integration", "start_link_run",
                          [self.integration.id], text or self.text, "migration.csv")
        return self.env["tv.link.run"].browse(run_id)

    def chunk_jobs(self, states=("pending",), methods=("_tv_link_chunk_job",)):
        return self.env["queue.job"].search([("method_name", "in", list(methods)),
                                             ("state", "in", list(states))], order="id")

    def run_chunk_jobs(self, limit=None):
        """Run the link runs' pending jobs (chunks and end checks, in the
        order queued) as queue_job's runner would, each in a savepoint
        standing for its transaction (a failure rolls its work back and fails
        the job). Returns the jobs run."""
        count = 0
        for _round in range(100):
            records = self.chunk_jobs(methods=("_tv_link_accounts_job", "_tv_link_chunk_job",
                                               "_tv_link_finish_job"))
            if not records or (limit and count >= limit):
                break
            for record in records[:1]:
                job = Job.load(self.env, record.uuid)
                job.set_started()
                job.store()
                try:
                    with self.env.cr.savepoint():
                        job.perform()
                    job.set_done()
                except RetryableJobError as err:
                    job.postpone(result=str(err), seconds=err.seconds)
                    job.set_pending(reset_retry=False)
                except Exception as exc:  # pylint: disable=broad-except
                    self.env.clear()
                    job.set_failed(exc_info=str(exc))
                job.store()
                count += 1
        self.env["tv.link.run"].invalidate_cache()
        return count

    def report(self, run):
        data = base64.b64decode(run.report_attachment_id.datas).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(data), delimiter=";"))
        return rows[0], {int(row[0]): row for row in rows[1:]}

    def linked_users(self):
        return self.env["tv.user"].search([("login", "like", "run%@example.com")])

    # -- the dry run and the link -------------------------------------------------

    def test_dry_run_then_link_in_chunks_with_the_report(self):
        platform_before = self.platform()
        run = self.start()
        self.assertEqual((run.state, run.total_count, run.user_id),
                         ("planning", N_ROWS, self.manager))
        self.assertEqual(run.csv_attachment_id.datas_fname, "migration.csv")
        self.assertEqual(base64.b64decode(run.csv_attachment_id.datas).decode(), self.text)
        jobs = self.chunk_jobs()
        self.assertEqual(len(jobs), 3, "one job per chunk of %d lines" % CHUNK)
        self.assertEqual(set(jobs.mapped("channel")), {"root.oletv.sync"})
        self.assertEqual(set(jobs.mapped("priority")), {link_runs.CHUNK_PRIORITY})
        self.assertEqual(self.run_chunk_jobs(), 6, "and an end check after each")
        self.assertEqual(run.state, "planned")
        self.assertEqual((run.link_count, run.already_count, run.error_count, run.progress),
                         (len(self.linkable), 0, 3, 100.0))
        self.assertFalse(self.linked_users(), "a dry run links nothing")
        header, rows = self.report(run)
        self.assertEqual(header[:3], ["Line", "Contract / VAT in the file", "Login"])
        self.assertEqual(sorted(rows), list(range(2, N_ROWS + 2)), rows)
        self.assertEqual(rows[2][1:7], [self.customers[0].code, "run00@example.com",
                                        self.accounts["run00@example.com"],
                                        self.customers[0].code, "TVB", "To link"])
        self.assertIn("unknown on Olé TV", rows[5][7])
        self.assertIn("login is empty", rows[9][7])
        self.assertIn("already on row 3", rows[12][7])
        self.assertEqual(len(rows), N_ROWS)

        requests_before = self.sandbox.stats()["total_requests"]
        run.sudo(self.manager).action_apply()
        self.assertEqual((run.state, run.progress), ("applying", round(2 * 100.0 / N_ROWS, 1)),
                         "the lines refused as read are done")
        self.assertEqual(self.run_chunk_jobs(), 6)
        self.assertEqual(run.state, "done")
        self.assertEqual((run.linked_count, run.already_count, run.error_count),
                         (len(self.linkable), 0, 3))
        users = self.linked_users()
        self.assertEqual(set(users.mapped("login")), self.linkable)
        for user in users:
            self.assertEqual(user.account_number, self.accounts[user.login])
        # the link reads the accounts the dry run found, 200 a call: no look-up per login
        self.assertLessEqual(self.sandbox.stats()["total_requests"] - requests_before, 6)
        self.assertEqual(self.platform(), platform_before, "nothing created on the platform")
        header, rows = self.report(run)
        self.assertEqual(rows[2][6], "Linked")
        self.assertEqual(rows[2][8], str(users.filtered(
            lambda user: user.login == "run00@example.com").id))
        self.assertTrue(run.report_attachment_id.datas_fname.endswith("-report.csv"))
        self.assertIn("3 errors", self.integration.message_ids[0].body)
        action = run.sudo(self.manager).action_download_report()
        self.assertEqual(action["url"], "/web/content/%d?download=true"
                         % run.report_attachment_id.id)

        # the same file again: every row already linked, nothing linked twice
        again = self.start()
        self.run_chunk_jobs()
        again.sudo(self.manager).action_apply()
        self.run_chunk_jobs()
        self.assertEqual((again.state, again.linked_count, again.already_count),
                         ("done", 0, len(self.linkable)))
        self.assertEqual(self.linked_users(), users)

    def test_the_report_is_read_a_page_at_a_time_in_the_files_order(self):
        run = self.start()
        with patch.object(link_run_report, "PAGE_ROWS", CHUNK):  # three pages of 12 lines
            self.run_chunk_jobs()
        data = base64.b64decode(run.report_attachment_id.datas)
        self.assertTrue(data.startswith(b"\xef\xbb\xbf"), "a BOM: spreadsheets read UTF-8")
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))[1:]
        self.assertEqual([int(row[0]) for row in rows], list(range(2, N_ROWS + 2)))

    def test_a_large_dry_run_finds_the_missing_accounts_in_the_platforms_listing(self):
        self.env["ir.config_parameter"].sudo().set_param(link_runs.LISTING_PARAM, 4)
        requests_before = self.sandbox.stats()["requests"]
        run = self.start()
        self.assertFalse(self.chunk_jobs(), "the listing first")
        listing = self.chunk_jobs(methods=("_tv_link_accounts_job",))
        self.assertEqual(listing.channel, "root.oletv.sync", "a platform call")
        self.run_chunk_jobs()
        self.assertEqual(run.state, "planned")
        self.assertEqual((run.link_count, run.error_count), (len(self.linkable), 3))
        made = {operation: count - requests_before.get(operation, 0)
                for operation, count in self.sandbox.stats()["requests"].items()}
        # the rows without an account read in the listing: only the login the platform does
        # not know is looked up (5 without an account would be 5 look-ups)
        self.assertEqual(made.get("find_subscriber_by_login"), 1)
        self.assertGreaterEqual(made.get("list_subscribers_page", 0), 1)
        lines = run.line_ids.filtered(lambda line: line.login == "run00@example.com")
        self.assertEqual(lines.account_number, self.accounts["run00@example.com"])
        _header, rows = self.report(run)
        self.assertIn("unknown on Olé TV", rows[5][7])
        run.sudo(self.manager).action_apply()
        self.run_chunk_jobs()
        self.assertEqual(set(self.linked_users().mapped("login")), self.linkable)
        for user in self.linked_users():
            self.assertEqual(user.account_number, self.accounts[user.login])

    def test_a_small_dry_run_looks_the_logins_up(self):
        requests_before = self.sandbox.stats()["requests"]
        run = self.start()
        self.run_chunk_jobs()
        self.assertEqual(run.state, "planned")
        made = self.sandbox.stats()["requests"].get("list_subscribers_page", 0)
        self.assertEqual(made - requests_before.get("list_subscribers_page", 0), 0,
                         "under %d rows without an account, no listing"
                         % link_runs.DEFAULT_LISTING_ROWS)

    def test_resume_after_an_interrupted_chunk(self):
        run = self.start()
        self.run_chunk_jobs()
        run.sudo(self.manager).action_apply()
        self.assertEqual(self.run_chunk_jobs(limit=1), 1)
        self.assertEqual((run.done_count, run.state), (CHUNK + 2, "applying"))
        first_chunk_users = self.linked_users()
        self.assertEqual(len(first_chunk_users), 4)  # rows 2 to 6, row 5 unknown
        first_job = self.chunk_jobs(("done",))[-1]

        # the second chunk's job dies after linking, before its commit: rolled back
        original = link_runs.LinkRuns._store

        def crash(runs, lines, planned):
            self.assertEqual(len([row for row in planned if row.status == "linked"]), 4)
            raise RuntimeError("worker killed")

        with patch.object(link_runs.LinkRuns, "_store", crash):
            self.run_chunk_jobs(limit=1)
        self.assertIs(link_runs.LinkRuns._store, original)
        self.assertEqual(len(self.chunk_jobs(("failed",))), 1)
        self.assertEqual(self.linked_users(), first_chunk_users, "the chunk rolled back")
        self.assertEqual((run.done_count, run.state), (CHUNK + 2, "applying"))

        # the first chunk's job again (a duplicate delivery): nothing to do
        job = Job.load(self.env, first_job.uuid)
        self.assertIn("Nothing to do", job.perform())
        self.assertEqual(self.linked_users(), first_chunk_users)

        # the third chunk's job still waits; the second's is queued again
        run.sudo(self.manager).action_resume()
        self.assertEqual(len(self.chunk_jobs()), 2)
        run.sudo(self.manager).action_resume()  # jobs wait already: not a second one each
        self.assertEqual(len(self.chunk_jobs()), 2)
        self.run_chunk_jobs()
        self.assertEqual((run.state, run.linked_count), ("done", len(self.linkable)))
        users = self.linked_users()
        self.assertEqual(sorted(users.mapped("login")), sorted(self.linkable),
                         "each login linked once")

    def test_platform_down_postpones_then_a_refusal_fails_the_run(self):
        run = self.start()
        self.sandbox.set_faults(down=True)
        self.run_chunk_jobs(limit=1)
        self.assertEqual((run.state, run.done_count), ("planning", 2))
        self.assertEqual(len(self.chunk_jobs()), 3, "postponed, not failed")
        self.sandbox.set_faults(down=False)
        skip = self.integration.sudo().with_context(tv_skip_connection_check=True)
        skip.write({"api_password": "wrong"})
        self.run_chunk_jobs(limit=1)
        self.assertEqual(run.state, "failed")
        self.assertIn("refused the credentials", run.message)
        self.assertNotIn("wrong", run.message)
        skip.write({"api_password": self.sandbox.password})
        run.sudo(self.manager).action_resume()
        self.run_chunk_jobs()
        self.assertEqual((run.state, run.link_count), ("planned", len(self.linkable)))

    def test_cancel_stops_after_the_chunks_under_way(self):
        run = self.start()
        self.run_chunk_jobs(limit=1)
        run.sudo(self.manager).action_cancel()
        self.run_chunk_jobs()
        self.assertEqual((run.state, run.done_count), ("cancelled", CHUNK + 2))
        with self.assertRaises(UserError):
            run.sudo(self.manager).action_apply()

    # -- caps -----------------------------------------------------------------------

    def snapshot(self):
        return (self.env["tv.link.run"].search_count([]),
                self.env["tv.link.run.line"].search_count([]),
                self.env["ir.attachment"].search_count([("res_model", "=", "tv.link.run")]),
                self.env["queue.job"].search_count([]))

    def test_a_file_over_the_caps_is_refused_and_nothing_is_written(self):
        before = self.snapshot()
        lines = ["contract;login"] + ["CT-%06d;user%06d@example.com" % (number, number)
                                      for number in range(link_csv.MAX_RUN_ROWS + 1)]
        with self.assertRaises(UserError) as raised:
            self.start("\n".join(lines))
        self.assertIn("more than 100000 lines of TV users", raised.exception.name)
        self.assertEqual(self.snapshot(), before)
        with patch.object(link_csv, "MAX_RUN_FILE_BYTES", 100), \
                self.assertRaises(UserError) as raised:
            self.start()
        self.assertIn("larger than", raised.exception.name)
        with self.assertRaises(UserError) as raised:
            self.start("login;product\na@example.com;TVB\n")
        self.assertIn("contract column", raised.exception.name)
        self.assertEqual(self.snapshot(), before)
        # the synchronous path keeps its own, lower caps
        self.assertEqual((link_csv.MAX_ROWS, link_csv.MAX_FILE_BYTES), (20000, 5 << 20))

    def test_one_run_links_at_a_time_per_integration(self):
        first, second = self.start(), self.start()
        self.run_chunk_jobs()
        first.sudo(self.manager).action_apply()
        with self.assertRaises(UserError) as raised:
            second.sudo(self.manager).action_apply()
        self.assertIn("one run links at a time", raised.exception.name)
        self.assertEqual(second.state, "planned")
        self.run_chunk_jobs()
        second.sudo(self.manager).action_apply()
        self.assertEqual(second.state, "applying")

    # -- roles ----------------------------------------------------------------------

    def test_only_the_companys_tv_managers_start_see_and_drive_runs(self):
        before = self.snapshot()
        for role in ("operator", "clerk", "salesperson", "viewer"):
            with self.assertRaises(AccessError, msg=role):
                self.start(user=self.users_a[role])
        with self.assertRaises(AccessError):
            self.start(user=self.users_b["manager"])  # another company's integration
        self.assertEqual(self.snapshot(), before)

        run = self.start()
        self.run_chunk_jobs()
        self.assertEqual(self.env["tv.link.run"].sudo(self.manager).search([]), run)
        self.assertEqual(self.rpc(self.manager, "tv.link.run", "read", [run.id],
                                  ["state"])[0]["state"], "planned")
        self.rpc(self.manager, "ir.attachment", "read", [run.report_attachment_id.id],
                 ["datas"])
        other = self.users_b["manager"]
        self.assertFalse(self.env["tv.link.run"].sudo(other).search([]))
        self.assertFalse(self.env["tv.link.run.line"].sudo(other).search([]))
        for user in [other] + [self.users_a[role] for role in ("operator", "clerk",
                                                               "salesperson")]:
            for method in ("action_apply", "action_resume", "action_cancel",
                           "action_download_report"):
                with self.assertRaises(AccessError, msg=(user.login, method)):
                    self.rpc(user, "tv.link.run", method, [run.id])
            with self.assertRaises(AccessError, msg=user.login):
                self.rpc(user, "ir.attachment", "read", [run.report_attachment_id.id],
                         ["datas"])
            with self.assertRaises(AccessError, msg=user.login):
                self.rpc(user, "tv.link.run", "write", [run.id], {"state": "done"})
        with self.assertRaises(AccessError):  # the manager reads; only the system writes
            self.rpc(self.manager, "tv.link.run", "write", [run.id], {"state": "done"})
        self.assertEqual(run.state, "planned")

    # -- the screens -----------------------------------------------------------------

    def test_wizard_runs_a_file_in_the_background(self):
        wizard = self.env["tv.link.subscribers.wizard"].sudo(self.manager).create({
            "integration_id": self.integration.id, "csv_filename": "old_erp.csv",
            "csv_file": base64.b64encode(self.text.encode("utf-8"))})
        action = wizard.action_start_run()
        run = self.env["tv.link.run"].browse(action["res_id"])
        self.assertEqual((action["res_model"], run.csv_filename, run.state),
                         ("tv.link.run", "old_erp.csv", "planning"))
        arch = self.env["tv.link.run"].fields_view_get(view_type="form")["arch"]
        self.assertIn('widget="progressbar"', arch)
        self.assertIn("action_download_report", arch)
        menu = self.env.ref("oletv_integration.menu_tv_link_run")
        self.assertEqual(menu.groups_id, self.env.ref("oletv_integration.group_tv_manager"))
