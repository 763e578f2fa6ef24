# Thin wrapper: every target is a task in tasks.py, which needs nothing but Python 3.11+.
.DEFAULT_GOAL := help
PY ?= python3

help: ## List the tasks
	@$(PY) tasks.py help

run test test-fast lint fmt sample bench clean: ## See `python3 tasks.py help`
	@$(PY) tasks.py $@

.PHONY: help run test test-fast lint fmt sample bench clean
