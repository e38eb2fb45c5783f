# The project's front door. Every target does its own setup when needed.
.PHONY: run test test-fast check lint bench setup db stop-db clean help

help:
	@echo "make run       - Odoo + Olé TV sandbox + demo data on http://127.0.0.1:8069 (admin/admin)"
	@echo "make test      - every test, on a real database (about 35 to 40 minutes from a fresh clone)"
	@echo "make test-fast - pure-Python tests + the addon's Odoo tests in two shards (about 5 minutes; keeps its databases)"
	@echo "                 T=PATHS (test files or node ids) K=EXPR (pytest -k): only those, e.g."
	@echo "                 T=oletv_integration/tests/test_settlement.py (about 40 seconds)"
	@echo "make check     - the addon's tests under Odoo's own runner (about 8.5 to 10 minutes)"
	@echo "make lint      - pylint-odoo (OCA's configuration, 11.0) and flake8: zero findings"
	@echo "make bench     - performance figures (about 5 minutes, plus part 5, the 50,000-line link: about 10 minutes, part 6, a year of platform history: about 45 s, and part 7, a month's revenue assurance: about 11 min; not part of make test)"
	@echo "make setup     - only the setup (venvs, lessc, PostgreSQL cluster)"
	@echo "make stop-db   - stop the private PostgreSQL cluster"
	@echo "make clean     - remove .venv and .local (databases included)"
	@echo "Each target does its own setup; on a fresh clone it adds about 5 minutes once (make bench:"
	@echo "2 more for its database). Durations measured on a 2-CPU machine."

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

# T: test files, directories or node ids (space-separated); K: a pytest -k expression
test-fast:
	@bash scripts/test_fast.sh $(T) $${K:+-k "$$K"}

check:
	@bash scripts/odoo_runner.sh

lint:
	@bash scripts/lint.sh

bench:
	@bash scripts/bench.sh

setup:
	@bash scripts/setup_venv.sh && bash scripts/setup_py312.sh && bash scripts/pg.sh start

stop-db:
	@bash scripts/pg.sh stop

clean:
	-@bash scripts/pg.sh stop
	rm -rf .venv .local
