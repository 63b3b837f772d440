# Policy briefs from a thesis held as data.
#
#   data/ + briefs/<id>.yaml + templates/  ->  output/briefs/<id>/<id>.{pdf,docx,html}
#                                           ->  quality gates: <id>.qa.json, output/qa.html
#                                           ->  published/, bundles/, index.html, mail/ drafts
#                                           ->  output/manifest.json
#
# Rules are thin; the logic lives in the `policybrief` package (src/policybrief).

configfile: "config/config.yaml"


report: "report/workflow.rst"


include: "rules/common.smk"
include: "rules/checks.smk"
include: "rules/assets.smk"
include: "rules/briefs.smk"
include: "rules/qa.smk"
include: "rules/distribute.smk"


rule all:
    default_target: True
    input:
        manifest=f"{OUT}/manifest.json",


onsuccess:
    print_qa_table(f"{OUT}/build/qa-summary.json")


onerror:
    print_qa_table(f"{OUT}/build/qa-summary.json")
