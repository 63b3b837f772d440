"""Quality report across a study's briefs (each brief is measured by its render job,
rules/briefs.smk; the gate that stops the build is the first step of rules/distribute.smk).
A separate job, so the report survives a failed gate.

in:  output/<study>/briefs/<brief>/<brief>.qa.json
out: output/<study>/qa.html, output/<study>/build/qa-summary.json
"""


rule qa_report:
    input:
        study_outputs(f"{OUT}/{{study}}/briefs/{{brief}}/{{brief}}.qa.json"),
    output:
        html=f"{OUT}/{{study}}/qa.html",
        summary=f"{OUT}/{{study}}/build/qa-summary.json",
    log:
        f"{OUT}/logs/{{study}}/qa_report.log",
    shell:
        """
        {PB} qa-report --output {OUT:q}/{wildcards.study} --templates {TEMPLATES:q} {input:q} 2>&1 | tee {log:q}
        """
