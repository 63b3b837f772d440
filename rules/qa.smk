"""Quality report across a study's briefs (each brief is measured by its render job,
rules/briefs.smk; the gate that stops the build is the first step of rules/distribute.smk).
A separate job, so the report survives a failed gate.

in:  output/<study>/briefs/<brief>/<brief>.qa.json
out: output/<study>/qa.html, output/<study>/build/qa-summary.json, output/<study>/thesis.html
"""


rule qa_report:
    input:
        results=study_outputs(f"{OUT}/{{study}}/briefs/{{brief}}/{{brief}}.qa.json"),
        template=f"{TEMPLATES}/qa.html.j2",
    output:
        html=f"{OUT}/{{study}}/qa.html",
        summary=f"{OUT}/{{study}}/build/qa-summary.json",
    params:
        pb=PB,
        out=study_folder,
        templates=templates_dir,
    conda:
        "../environment.yml"
    log:
        f"{OUT}/logs/{{study}}/qa_report.log",
    benchmark:
        f"{OUT}/benchmarks/{{study}}/qa_report.tsv"
    shell:
        """
        {params.pb} qa-report \
            --output {params.out:q} \
            --templates {params.templates:q} \
            {input.results:q} \
            > {log:q} 2>&1
        """


rule thesis_html:
    """The thesis text with paragraph ids: where the fact-check sheets' links land."""
    input:
        source=study_source,
        structure=structure_file,
        template=f"{TEMPLATES}/thesis.html.j2",
    output:
        f"{OUT}/{{study}}/thesis.html",
    params:
        pb=PB,
        data=study_data,
        templates=templates_dir,
    conda:
        "../environment.yml"
    log:
        f"{OUT}/logs/{{study}}/thesis_html.log",
    benchmark:
        f"{OUT}/benchmarks/{{study}}/thesis_html.tsv"
    shell:
        """
        {params.pb} thesis-html \
            --data {params.data:q} \
            --source {input.source:q} \
            --templates {params.templates:q} \
            --out {output:q} \
            > {log:q} 2>&1 || (cat {log:q} >&2; exit 1)
        """
