"""Render one brief in all formats and measure it against the quality gates, in a single job (one
interpreter, imports paid once; a QA result always describes the files made with it).

in:  <briefs>/<brief>.yaml, <data>/*, templates/*, the chart for the brief's language, reference.docx, the thesis text
out: output/<study>/briefs/<brief>/<brief>.{pdf,docx,html}, <brief>.build.json, <brief>.qa.json
"""


rule render:
    input:
        spec=lambda wildcards: f"{study(wildcards)['briefs']}/{wildcards.brief}.yaml",
        data=data_files,
        templates=TEMPLATE_FILES,
        code=CODE_FILES,
        chart=chart_for,
        reference=REFERENCE_DOCX,
        source=lambda wildcards: study(wildcards)["source"],
    output:
        pdf=report(f"{OUT}/{{study}}/briefs/{{brief}}/{{brief}}.pdf", caption="../report/brief.rst", category="{study}", subcategory="{brief}"),
        docx=report(f"{OUT}/{{study}}/briefs/{{brief}}/{{brief}}.docx", caption="../report/brief.rst", category="{study}", subcategory="{brief}"),
        html=report(f"{OUT}/{{study}}/briefs/{{brief}}/{{brief}}.html", caption="../report/brief.rst", category="{study}", subcategory="{brief}"),
        record=f"{OUT}/{{study}}/briefs/{{brief}}/{{brief}}.build.json",
        qa=f"{OUT}/{{study}}/briefs/{{brief}}/{{brief}}.qa.json",
    params:
        data=lambda wildcards: study(wildcards)["data"],
        briefs=lambda wildcards: study(wildcards)["briefs"],
        epoch=epoch,
        warn_only=config["qa"]["warn_only"],
    log:
        f"{OUT}/logs/{{study}}/render/{{brief}}.log",
    shell:
        """
        {PB} render {wildcards.brief} \
            --data {params.data:q} \
            --briefs {params.briefs:q} \
            --templates {TEMPLATES:q} \
            --charts {OUT:q}/{wildcards.study}/build/charts \
            --reference-docx {input.reference:q} \
            --out {OUT:q}/{wildcards.study}/briefs/{wildcards.brief} \
            --record {output.record:q} \
            --epoch {params.epoch} \
            --qa {output.qa:q} \
            --source {input.source:q} \
            --warn-only {params.warn_only:q} > {log:q} 2>&1 || (cat {log:q} >&2; exit 1)
        """
