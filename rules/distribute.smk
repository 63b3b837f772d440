"""Distribution, one job per study: stop here if a quality gate failed (mode: fail); otherwise
publish what passed (atomically, never losing the last good copy), bundle it, catalogue it, draft
an e-mail per recipient and write the study's manifest. Published files, bundles and drafts are
not declared outputs on purpose: Snakemake deletes declared outputs when a job starts or fails.
Then one small job indexes the studies: output/manifest.json and output/index.html.

in:  the briefs' files, build records and QA results; the data checks; the QA report;
     <data>/distribution.csv; templates/email/, templates/catalogue.html.j2, templates/library.html.j2
out: output/<study>/manifest.json (+ published/, bundles/, index.html, mail/, indexed in build/*.json);
     output/manifest.json, output/index.html
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
        recipients=study_recipients,
        templates=DISTRIBUTE_TEMPLATES,
        code=DISTRIBUTE_CODE,
    output:
        f"{OUT}/{{study}}/manifest.json",
    params:
        pb=PB,
        out=study_folder,
        data=study_data,
        briefs=study_briefs,
        templates=TEMPLATES,
        brief_ids=study_brief_ids,
        title=study_title,
        mode=config["qa"]["mode"],
        sender=config["mail"]["from"],
        epoch=epoch,
        base_url=config["public_base_url"],
    log:
        f"{OUT}/logs/{{study}}/distribute.log",
    shell:
        """
        {params.pb} distribute \
            --output {params.out:q} \
            --data {params.data:q} \
            --briefs {params.briefs:q} \
            --templates {params.templates:q} \
            --mode {params.mode} \
            --recipients {input.recipients:q} \
            --sender {params.sender:q} \
            --epoch {params.epoch} \
            --base-url={params.base_url:q} \
            --title={params.title:q} \
            --brief-ids {params.brief_ids} \
            --results {input.qa:q} \
            > {log:q} 2>&1 || (cat {log:q} >&2; exit 1)
        """


rule library:
    input:
        manifests=expand(f"{OUT}/{{study}}/manifest.json", study=STUDIES),
        template=f"{TEMPLATES}/library.html.j2",
    output:
        manifest=f"{OUT}/manifest.json",
        index=f"{OUT}/index.html",
    params:
        pb=PB,
        out=OUT,
        templates=TEMPLATES,
        studies=list(STUDIES),
        titles=[s["title"] for s in STUDIES.values()],
    log:
        f"{OUT}/logs/library.log",
    shell:
        """
        {params.pb} library \
            --output {params.out:q} \
            --templates {params.templates:q} \
            --studies {params.studies:q} \
            --titles {params.titles:q} \
            > {log:q} 2>&1 || (cat {log:q} >&2; exit 1)
        """
