"""Render one brief in all formats in a single job (one interpreter, imports paid once).

in:  briefs/<brief>.yaml, data/*, templates/*, the chart for the brief's language, reference.docx
out: output/briefs/<brief>/<brief>.{pdf,docx,html} and <brief>.build.json
"""


rule render:
    input:
        spec=f"{BRIEFS_DIR}/{{brief}}.yaml",
        data=DATA_FILES,
        templates=TEMPLATE_FILES,
        code=CODE_FILES,
        chart=chart_for,
        reference=REFERENCE_DOCX,
    output:
        pdf=f"{OUT}/briefs/{{brief}}/{{brief}}.pdf",
        docx=f"{OUT}/briefs/{{brief}}/{{brief}}.docx",
        html=f"{OUT}/briefs/{{brief}}/{{brief}}.html",
        record=f"{OUT}/briefs/{{brief}}/{{brief}}.build.json",
    params:
        epoch=EPOCH,
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
            --epoch {params.epoch} > {log:q} 2>&1 || (cat {log:q} >&2; exit 1)
        """
