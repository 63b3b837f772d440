"""Quality gates across briefs (each brief is measured by its render job, rules/briefs.smk):
qa_report prints the table and writes output/qa.html; qa_gate stops the build (mode: fail) or lets
it through with warnings.

in:  output/briefs/<brief>/<brief>.qa.json (both rules read these directly)
out: output/qa.html, output/build/qa-summary.json, output/build/qa-passed.txt
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
        expand(f"{OUT}/briefs/{{brief}}/{{brief}}.qa.json", brief=BRIEFS),
    output:
        f"{OUT}/build/qa-passed.txt",
    params:
        mode=config["qa"]["mode"],
    log:
        f"{OUT}/logs/qa_gate.log",
    shell:
        """
        {PB} qa-gate --mode {params.mode} --out {output:q} {input:q} > {log:q} 2>&1 \
        || (cat {log:q} >&2; exit 1)
        """
