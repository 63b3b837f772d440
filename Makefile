# Two commands on a fresh machine: `make` (set up + build every brief) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SOURCE ?= ../shared/seed/thesis-garza-2010.md
# The study that `make release`, `make send` and `make report` act on (an id under `studies:` in config/config.yaml).
STUDY ?= garza-2010

.PHONY: all setup build validate verify test fuzz clean distclean i18n release report send preview check bench sign-off

all: build

# System libraries the build needs beyond Python: Enchant and the U.S. English dictionary (spelling
# gate). Installed with apt-get when run as root on Debian; otherwise a message says what to install.
SYSTEM_PACKAGES := libenchant-2-2 hunspell-en-us

$(STAMP): pyproject.toml
	@scripts/system-packages.sh $(SYSTEM_PACKAGES)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

validate: $(STAMP)
	$(BIN)/policybrief validate

verify: $(STAMP)
	$(BIN)/policybrief verify --source $(SOURCE)

build: $(STAMP)
	$(BIN)/snakemake

test: $(STAMP)
	$(BIN)/pytest

# Live preview for template editors: http://127.0.0.1:8000/ (PORT=… to change).
preview: $(STAMP)
	$(BIN)/policybrief preview --port $(or $(PORT),8000) --source $(SOURCE)

# Check data, specs, templates, catalogues and brand without building any PDF.
check: $(STAMP)
	$(BIN)/policybrief check --source $(SOURCE)

# Freeze a study's published briefs into output/<study>/releases/<date>-<hash>/ (never overwritten).
release: build
	$(BIN)/policybrief release --output output/$(STUDY)

# The standard Snakemake report: runtimes, the DAG and every brief attached, in one offline file.
report: build
	$(BIN)/snakemake --report output/report.html

# Deliver the e-mail drafts: a dry run unless SEND=1 (SMTP_* settings from the environment).
send: build
	$(BIN)/policybrief send --output output/$(STUDY) $(if $(SEND),--send,)

# Record that a person fact-checked a brief as last built: make sign-off BRIEF=press REVIEWER="Ana Ruiz"
sign-off: $(STAMP)
	@test -n "$(BRIEF)" -a -n "$(REVIEWER)" || { echo 'usage: make sign-off BRIEF=<id> REVIEWER="Full Name"' >&2; exit 2; }
	$(BIN)/policybrief sign-off $(BRIEF) --reviewer "$(REVIEWER)" --output output/$(STUDY)

# Benchmarks and their targets from one run: the renderers' floor, clean/no-op/edit rebuilds, synthetic
# studies at each SCALE, peak memory per job; writes bench/results.md. Run it on a quiet machine.
RUNS ?= 3
SCALE ?= 1,10,50
BUILD_SCALE ?= 10
bench: $(STAMP)
	$(BIN)/python bench/run.py --runs $(RUNS) --scale $(SCALE) --build-scale $(BUILD_SCALE)

fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=long $(BIN)/pytest tests/unit/test_properties.py

clean:
	rm -rf output/build output/logs output/manifest.json output/index.html output/*/build output/*/briefs output/*/manifest.json output/*/qa.html .snakemake

distclean: clean
	rm -rf $(VENV)

# Re-extract layout strings from templates and code, and merge them into each catalogue.
i18n: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k gettext -k ngettext:1,2 --no-location --sort-output --omit-header -o templates/locale/messages.pot .
	$(BIN)/python scripts/update_catalogue.py es
