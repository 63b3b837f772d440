# Policy briefs from a thesis held as data.
#
#   per study (config `studies`), data/ + briefs/<id>.yaml + shared templates/
#       ->  output/<study>/briefs/<id>/<id>.{pdf,docx,html}
#       ->  quality gates: <id>.qa.json, output/<study>/qa.html
#       ->  output/<study>/editions/<id>/ (published/, bundles/, index.html, drafts/, manifest.json), switched in whole
#   ->  output/manifest.json and output/index.html: every study
#
# Rules are thin; the logic lives in the `policybrief` package (src/policybrief), layered
# core -> content -> spec -> render -> qa -> distribute -> edit.

from snakemake.utils import min_version

min_version("9.17")  # a function as a rule's priority (render jobs: longest first)


configfile: "config/config.yaml"


report: "report/workflow.rst"


include: "rules/common.smk"
include: "rules/checks.smk"
include: "rules/assets.smk"
include: "rules/briefs.smk"
include: "rules/qa.smk"
include: "rules/distribute.smk"


# Jobs of a second or less run where Snakemake runs, even on a cluster: queueing them would cost
# more than running them.
localrules:
    all,
    brand,
    check_inputs,
    reference_docx,
    qa_report,
    thesis_html,
    library,


rule all:
    default_target: True
    input:
        library=f"{OUT}/build/library.json",


onsuccess:
    print_qa_tables()


onerror:
    print_failure()
