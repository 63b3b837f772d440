"""Render one brief in all formats and measure it against the quality gates, in a single job (one
interpreter, imports paid once; a QA result always describes the files made with it).

in:  briefs/<brief>.yaml, data/*, templates/*, the chart for the brief's language, reference.docx, the thesis text
out: output/briefs/<brief>/<brief>.{pdf,docx,html}, <brief>.build.json, <brief>.qa.json
"""


rule render:
    input:
        spec=f"{BRIEFS_DIR}/{{brief}}.yaml",
        data=DATA_FILES,
        templates=TEMPLATE_FILES,
        code=CODE_FILES,
        chart=chart_for,
        reference=REFERENCE_DOCX,
        source=config["source"],
    output:
        pdf=report(f"{OUT}/briefs/{{brief}}/{{brief}}.pdf", caption="../report/brief.rst", category="{brief}", subcategory="PDF"),
        docx=report(f"{OUT}/briefs/{{brief}}/{{brief}}.docx", caption="../report/brief.rst", category="{brief}", subcategory="DOCX"),
        html=report(f"{OUT}/briefs/{{brief}}/{{brief}}.html", caption="../report/brief.rst", category="{brief}", subcategory="HTML"),
        record=f"{OUT}/briefs/{{brief}}/{{brief}}.build.json",
        qa=f"{OUT}/briefs/{{brief}}/{{brief}}.qa.json",
    params:
        epoch=EPOCH,
        warn_only=config["qa"]["warn_only"],
    log:
        f"{OUT}/logs/render/{{brief}}.log",
    shell:
        """
        {PB} render {wildcards.brief} \
            --data {DATA:q} \
            --briefs {BRIEFS_DIR:q} \
            --templates {TEMPLATES:q} \
            --charts {OUT:q}/build/charts \
            --reference-docx {input.reference:q} \
            --out {OUT:q}/briefs/{wildcards.brief} \
            --record {output.record:q} \
            --epoch {params.epoch} \
            --qa {output.qa:q} \
            --source {input.source:q} \
            --warn-only {params.warn_only:q} > {log:q} 2>&1 || (cat {log:q} >&2; exit 1)
        """
