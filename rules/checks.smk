"""Validate data and brief specs and verify every anchor against the thesis. Each render job
validates what it reads too, so a brief never renders from invalid data; this rule adds the
anchor check and reports every problem across all briefs at once.

in:  data/*, briefs/*.yaml, the thesis text
out: output/build/checked.txt
"""


rule check_inputs:
    input:
        data=DATA_FILES,
        specs=expand(f"{BRIEFS_DIR}/{{brief}}.yaml", brief=BRIEFS),
        source=config["source"],
    output:
        f"{OUT}/build/checked.txt",
    log:
        f"{OUT}/logs/check_inputs.log",
    shell:
        """
        ({PB} validate --data {DATA:q} \
         && {PB} check-specs --data {DATA:q} --briefs {BRIEFS_DIR:q} \
         && {PB} verify --data {DATA:q} --source {input.source:q}) > {output:q} 2> {log:q} \
        || (cat {log:q} >&2; exit 1)
        """
