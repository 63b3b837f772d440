"""Render one brief in all formats and measure it against the quality gates, in a single job (one
interpreter, imports paid once; a QA result always describes the files made with it).

in:  <briefs>/<brief>.yaml, <data>/*, templates/*, the chart for the brief's language, reference.docx, the thesis text
out: output/<study>/briefs/<brief>/<brief>.{pdf,docx,html}, <brief>.build.json, <brief>.qa.json
"""


rule render:
    input:
        spec=spec_file,
        data=data_files,
        templates=TEMPLATE_FILES,
        code=RENDER_CODE,
        chart=chart_for,
        reference=REFERENCE_DOCX,
        source=study_source,
    output:
        pdf=report(f"{OUT}/{{study}}/briefs/{{brief}}/{{brief}}.pdf", caption="../report/brief.rst", category="{study}", subcategory="{brief}"),
        docx=report(f"{OUT}/{{study}}/briefs/{{brief}}/{{brief}}.docx", caption="../report/brief.rst", category="{study}", subcategory="{brief}"),
        html=report(f"{OUT}/{{study}}/briefs/{{brief}}/{{brief}}.html", caption="../report/brief.rst", category="{study}", subcategory="{brief}"),
        record=f"{OUT}/{{study}}/briefs/{{brief}}/{{brief}}.build.json",
        qa=f"{OUT}/{{study}}/briefs/{{brief}}/{{brief}}.qa.json",
        factcheck=multiext(f"{OUT}/{{study}}/briefs/{{brief}}/{{brief}}.factcheck", ".json", ".html", ".pdf"),
    params:
        pb=PB,
        data=study_data,
        briefs=study_briefs,
        templates=TEMPLATES,
        charts=charts_folder,
        out=brief_folder,
        epoch=epoch,
        warn_only=config["qa"]["warn_only"],
    log:
        f"{OUT}/logs/{{study}}/render/{{brief}}.log",
    benchmark:
        f"{OUT}/benchmarks/{{study}}/render/{{brief}}.tsv"
    resources:
        mem_mb=600,
    shell:
        """
        {params.pb} render {wildcards.brief} \
            --data {params.data:q} \
            --briefs {params.briefs:q} \
            --templates {params.templates:q} \
            --charts {params.charts:q} \
            --reference-docx {input.reference:q} \
            --out {params.out:q} \
            --record {output.record:q} \
            --epoch {params.epoch} \
            --qa {output.qa:q} \
            --source {input.source:q} \
            --warn-only {params.warn_only:q} \
            > {log:q} 2>&1 || (cat {log:q} >&2; exit 1)
        """
