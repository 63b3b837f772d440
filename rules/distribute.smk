"""Distribution, one job per study: stop here if a quality gate failed (mode: fail); otherwise
check and make the study's whole next edition (what passed QA, verified against its QA result;
the previous publication of briefs not built in this run; bundles, catalogue, drafts, manifest)
and switch it in atomically (policybrief.distribute.edition). Published files are not declared
outputs on purpose: Snakemake deletes declared outputs when a job starts or fails, and a failed
run must leave the previous edition served. The declared output is a stamp naming the edition.
Then one small job indexes the studies: output/manifest.json and output/index.html.

in:  the briefs' files, build records and QA results; every brief spec; the data checks; the QA
     report; <data>/distribution.csv; the checked brand (brand.json); templates/ (e-mail, catalogue,
     library, brand, fonts, logo)
out: output/<study>/build/edition.json (+ editions/, current, and the links published/, bundles/,
     catalogue/, assets/, drafts/, index.html, manifest.json); output/build/library.json (+
     output/manifest.json, output/index.html, output/assets/)
"""


rule distribute:
    input:
        checked=f"{OUT}/{{study}}/build/checked.txt",
        qa_report=f"{OUT}/{{study}}/qa.html",
        thesis=f"{OUT}/{{study}}/thesis.html",
        reviews=reviews_file,
        qa=study_outputs(f"{OUT}/{{study}}/briefs/{{brief}}/{{brief}}.qa.json"),
        records=study_outputs(f"{OUT}/{{study}}/briefs/{{brief}}/{{brief}}.build.json"),
        files=study_outputs(f"{OUT}/{{study}}/briefs/{{brief}}/{{brief}}.{{ext}}"),
        specs=every_spec,
        recipients=study_recipients,
        brand=BRAND_JSON,
        templates=TEMPLATE_FILES,
        code=DISTRIBUTE_CODE,
    output:
        f"{OUT}/{{study}}/build/edition.json",
    params:
        pb=PB,
        out=study_folder,
        data=study_data,
        briefs=study_briefs,
        templates=templates_dir,
        brief_ids=study_brief_ids,
        title=study_title,
        mode=config["qa"]["mode"],
        review_mode=config["review"]["mode"],
        sender=config["mail"]["from"],
        epoch=epoch,
        base_url=config["public_base_url"],
        published=publication_state,
    conda:
        "../environment.yml"
    log:
        f"{OUT}/logs/{{study}}/distribute.log",
    benchmark:
        f"{OUT}/benchmarks/{{study}}/distribute.tsv"
    shell:
        """
        {params.pb} distribute \
            --output {params.out:q} \
            --data {params.data:q} \
            --briefs {params.briefs:q} \
            --templates {params.templates:q} \
            --brand {input.brand:q} \
            --mode {params.mode} \
            --review-mode {params.review_mode} \
            --recipients {input.recipients:q} \
            --sender {params.sender:q} \
            --epoch {params.epoch} \
            --base-url={params.base_url:q} \
            --title={params.title:q} \
            --brief-ids {params.brief_ids} \
            --results {input.qa:q} \
            --stamp {output:q} \
            > {log:q} 2>&1
        """


rule library:
    input:
        editions=expand(f"{OUT}/{{study}}/build/edition.json", study=STUDIES),
        brand=BRAND_JSON,
        templates=TEMPLATE_FILES,
    output:
        f"{OUT}/build/library.json",
    params:
        pb=PB,
        out=output_dir,
        templates=templates_dir,
        studies=list(STUDIES),
        titles=[s["title"] for s in STUDIES.values()],
    conda:
        "../environment.yml"
    log:
        f"{OUT}/logs/library.log",
    benchmark:
        f"{OUT}/benchmarks/library.tsv"
    shell:
        """
        {params.pb} library \
            --output {params.out:q} \
            --templates {params.templates:q} \
            --brand {input.brand:q} \
            --studies {params.studies:q} \
            --titles {params.titles:q} \
            --stamp {output:q} \
            > {log:q} 2>&1
        """
