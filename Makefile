# Entry points; the set-up itself lives in .ci/oms.
#   make run    serve Odoo with the OMS addons (oms_suite: the Order Management app, which
#               installs every OMS addon) and demo data on http://127.0.0.1:8069
#   make test   fresh database with the OMS addons, then every test (skips count as failures)
#   make lint   ruff, pylint-odoo's mandatory checks, README.rst up to date with readme/, and
#               the translations (.pot up to date, every lt.po complete)
#   make i18n-export  rewrite each addon's i18n/<addon>.pot from the code (then translate lt.po)
#   make setup  only the set-up: .venv, Python packages, PostgreSQL
#   make test-upstream  Odoo's own sale_stock, purchase_stock and stock_delivery tests, on plain
#               Odoo and with the OMS addons (about 25 minutes); fails when ours adds a failure
#   make wheels one wheel per OMS addon into dist/ (whool; see README, Installing from wheels)
#   make install-matrix  each OMS addon installed alone in a fresh database (ADDONS="a b" for some)
ODOO_PATH ?= /opt/odoo19
export ODOO_PATH

ifeq ($(wildcard $(ODOO_PATH)/odoo-bin),)
$(error Odoo 19.0 Community is missing: no odoo-bin in ODOO_PATH=$(ODOO_PATH). Get it from its official source, branch 19.0 of https://github.com/odoo/odoo (git clone --depth 1 --branch 19.0 https://github.com/odoo/odoo.git $(ODOO_PATH)), or set ODOO_PATH to your 19.0 checkout)
endif

.PHONY: run test lint i18n-export setup wheels bench-data test-upstream install-matrix

run:
	@bash .ci/oms run

test:
	@bash .ci/oms test

lint:
	@bash .ci/oms lint

i18n-export:
	@bash .ci/oms i18n-export

setup:
	@bash .ci/oms setup

wheels:
	@bash .ci/oms wheels

test-upstream:
	@bash .ci/oms upstream

install-matrix:
	@bash .ci/oms install-matrix $(ADDONS)

# A benchmark data set: make bench-data ORDERS=100000 BENCH_DB=oms_bench SEED=1
# (creates BENCH_DB with the OMS addons when missing, then runs bench/generate)
bench-data:
	@bash .ci/oms bench-data
