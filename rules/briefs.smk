"""Render briefs in all formats and measure them against the quality gates (a QA result always
describes the files made with it). Every brief keeps its own declared outputs.

config render_batch = 1 (default): one job per brief, so editing one spec re-renders that brief only.
render_batch = N (0: all of a study's briefs): one job per N briefs of a study, rendering them in
one process with a pool of `threads` forked workers, so imports and the study's loaded data are
paid once per job instead of once per brief; editing one spec then re-renders its whole batch.

in:  <briefs>/<brief>.yaml, <data>/*, templates/*, the checked brand (brand.json), the chart in the brief's
     language (for a brief that prints it), reference.docx, the thesis text
out: output/<study>/briefs/<brief>/<brief>.{pdf,docx,html}, .build.json, .qa.json, .factcheck.{json,html,pdf}
"""

RENDER_SHELL = """
    {params.pb} render {params.ids} \
        --data {params.data:q} \
        --briefs {params.briefs:q} \
        --templates {params.templates:q} \
        --charts {params.charts:q} \
        --reference-docx {input.reference:q} \
        --brand {input.brand:q} \
        --out {params.out:q} \
        --epoch {params.epoch} \
        --source {input.source:q} \
        --warn-only {params.warn_only:q} \
        --workers {threads} \
        > {log:q} 2>&1
    """



if RENDER_BATCH == 1:

    rule render:
        input:
            spec=spec_file,
            data=data_files,
            templates=TEMPLATE_FILES,
            code=RENDER_CODE,
            chart=chart_for,
            reference=REFERENCE_DOCX,
            brand=BRAND_JSON,
            source=study_source,
        output:
            **brief_files("{study}", "{brief}"),
        params:
            pb=PB,
            ids=lambda wildcards: wildcards.brief,
            data=study_data,
            briefs=study_briefs,
            templates=templates_dir,
            charts=charts_folder,
            out=lambda wildcards: f"{OUT}/{wildcards.study}/briefs",
            epoch=epoch,
            warn_only=config["qa"]["warn_only"],
        conda:
            "../environment.yml"
        log:
            f"{OUT}/logs/{{study}}/render/{{brief}}.log",
        benchmark:
            f"{OUT}/benchmarks/{{study}}/render/{{brief}}.tsv"
        threads: 1
        priority: render_priority
        resources:
            mem_mb=render_memory(1),
            runtime=10,
        shell:
            RENDER_SHELL

else:
    # One rule per batch (a batch's outputs are listed, not a wildcard pattern). Every value below
    # is computed now, in this iteration: no function may look up the loop variables later.
    for study_id, number, ids in RENDER_BATCHES:

        rule:
            name:
                f"render_{study_id.replace('-', '_')}_{number}"
            input:
                specs=[f"{STUDIES[study_id]['briefs']}/{b}.yaml" for b in ids],
                data=study_data_files(study_id),
                templates=TEMPLATE_FILES,
                code=RENDER_CODE,
                charts=sorted({chart for b in ids for chart in chart_of(study_id, b)}),
                reference=REFERENCE_DOCX,
                brand=BRAND_JSON,
                source=STUDIES[study_id]["source"],
            output:
                [f for b in ids for f in brief_files(study_id, b).values()],
            params:
                pb=PB,
                ids=ids,
                data=STUDIES[study_id]["data"],
                briefs=STUDIES[study_id]["briefs"],
                templates=templates_dir,
                charts=f"{OUT}/{study_id}/build/charts",
                out=f"{OUT}/{study_id}/briefs",
                epoch=_epoch(study_id),
                warn_only=config["qa"]["warn_only"],
            conda:
                "../environment.yml"
            log:
                f"{OUT}/logs/{study_id}/render/batch-{number}.log",
            benchmark:
                f"{OUT}/benchmarks/{study_id}/render/batch-{number}.tsv"
            threads: len(ids)
            priority: render_priority_of(study_id, ids)
            resources:
                mem_mb=lambda wildcards, threads: render_memory(threads),
                runtime=5 + 2 * len(ids),
            shell:
                RENDER_SHELL
