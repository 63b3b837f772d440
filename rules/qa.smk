"""Quality gates, measured on the finished files: length, reading level, structure, fidelity,
cross-format equivalence, language and selection. qa_report prints the table and writes
output/qa.html; qa_gate stops the build (mode: fail) or lets it through with warnings.

in:  output/briefs/<brief>/* , the thesis text
out: <brief>.qa.json, output/qa.html, output/build/qa-summary.json, output/build/qa-passed.txt
"""


rule qa:
    input:
        pdf=f"{OUT}/briefs/{{brief}}/{{brief}}.pdf",
        docx=f"{OUT}/briefs/{{brief}}/{{brief}}.docx",
        html=f"{OUT}/briefs/{{brief}}/{{brief}}.html",
        record=f"{OUT}/briefs/{{brief}}/{{brief}}.build.json",
        source=config["source"],
        code=CODE_FILES,
    output:
        f"{OUT}/briefs/{{brief}}/{{brief}}.qa.json",
    params:
        warn_only=config["qa"]["warn_only"],
    log:
        f"{OUT}/logs/qa/{{brief}}.log",
    shell:
        """
        {PB} qa {wildcards.brief} \
            --data {DATA:q} \
            --briefs {BRIEFS_DIR:q} \
            --templates {TEMPLATES:q} \
            --source {input.source:q} \
            --dir {OUT:q}/briefs/{wildcards.brief} \
            --out {output:q} \
            --warn-only {params.warn_only:q} > {log:q} 2>&1 || (cat {log:q} >&2; exit 1)
        """


rule qa_report:
    input:
        expand(f"{OUT}/briefs/{{brief}}/{{brief}}.qa.json", brief=BRIEFS),
    output:
        html=f"{OUT}/qa.html",
        summary=f"{OUT}/build/qa-summary.json",
    log:
        f"{OUT}/logs/qa_report.log",
    shell:
        """
        {PB} qa-report --output {OUT:q} --templates {TEMPLATES:q} {input:q} 2>&1 | tee {log:q}
        """


rule qa_gate:
    input:
        f"{OUT}/build/qa-summary.json",
    output:
        f"{OUT}/build/qa-passed.txt",
    params:
        mode=config["qa"]["mode"],
    log:
        f"{OUT}/logs/qa_gate.log",
    shell:
        """
        {PB} qa-gate --summary {input:q} --mode {params.mode} --out {output:q} > {log:q} 2>&1 \
        || (cat {log:q} >&2; exit 1)
        """
