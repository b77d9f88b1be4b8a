# The commands a newcomer needs. `make up` then `make test`.
VENV := .venv/bin
SVC ?=

.PHONY: help venv up down test test-service lint gen migrate seed demo bench load dockerfiles

help:
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

venv: ## create .venv from uv.lock (finds Python 3.12+ by itself)
	@scripts/bootstrap.sh

up: venv ## start everything locally: Kafka, nginx gateway, WeChat sandbox, all services
	@$(VENV)/looklook-dev up

down: ## stop what `make up` started
	@$(VENV)/looklook-dev down

test: venv ## run the whole test suite (needs `make up`)
	$(VENV)/pytest

test-service: venv ## run one service's tests: make test-service SVC=order
	@test -n "$(SVC)" || (echo "usage: make test-service SVC=<service>" && exit 2)
	$(VENV)/pytest services/$(SVC)

lint: venv ## ruff, import-linter and mypy --strict on libs
	$(VENV)/ruff check .
	$(VENV)/lint-imports
	$(VENV)/mypy --strict libs/looklook

gen: venv ## regenerate the betterproto code from protos/
	$(VENV)/python -m looklook.rpc.codegen

migrate: venv ## apply the idempotent migrations of every database
	@for s in usercenter travel order payment; do $(VENV)/looklook-$$s migrate || exit 1; done

seed: venv ## load the demo data (idempotent)
	$(VENV)/python -m looklook_devtools.seed

demo: venv ## walk the booking flow against the running stack and print each step
	$(VENV)/python -m looklook_devtools.demo

bench: venv ## micro-benchmarks of the hot paths (prints figures)
	$(VENV)/python -m looklook_devtools.bench

load: venv ## a bounded load run through the gateway with locust (needs `make up`)
	$(VENV)/locust -f tools/looklook_devtools/loadtest.py --headless -u 20 -r 5 -t 30s --host http://127.0.0.1:8888

dockerfiles: venv ## render one Dockerfile per service into build/docker/
	$(VENV)/python tools/render_dockerfiles.py
