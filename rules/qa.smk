"""Quality report across briefs (each brief is measured by its render job, rules/briefs.smk; the
gate that stops the build is the first step of rules/distribute.smk). A separate job, so the
report survives a failed gate.

in:  output/briefs/<brief>/<brief>.qa.json
out: output/qa.html, output/build/qa-summary.json
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
