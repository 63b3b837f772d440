"""Distribution, in one job: stop here if a quality gate failed (mode: fail); otherwise publish
what passed (atomically, never losing the last good copy), bundle it, catalogue it, draft an
e-mail per recipient and write the manifest. Published files, bundles and drafts are not declared
outputs on purpose: Snakemake deletes declared outputs when a job starts or fails.

in:  the briefs' files, build records and QA results; the data checks; the QA report;
     data/distribution.csv; templates/email/, templates/catalogue.html.j2
out: output/manifest.json (+ output/published/, bundles/, index.html, mail/, indexed in output/build/*.json)
"""


rule distribute:
    input:
        checked=f"{OUT}/build/checked.txt",
        qa_report=f"{OUT}/qa.html",
        qa=expand(f"{OUT}/briefs/{{brief}}/{{brief}}.qa.json", brief=BRIEFS),
        records=expand(f"{OUT}/briefs/{{brief}}/{{brief}}.build.json", brief=BRIEFS),
        files=expand(f"{OUT}/briefs/{{brief}}/{{brief}}.{{ext}}", brief=BRIEFS, ext=["pdf", "docx", "html"]),
        recipients=config["recipients"],
        templates=[f for f in TEMPLATE_FILES if "/email/" in f or f.endswith("catalogue.html.j2")],
    output:
        f"{OUT}/manifest.json",
    params:
        mode=config["qa"]["mode"],
        sender=config["mail"]["from"],
        epoch=EPOCH,
        base_url=config["public_base_url"],
        title=config["catalogue_title"],
    log:
        f"{OUT}/logs/distribute.log",
    shell:
        """
        {PB} distribute \
            --output {OUT:q} \
            --briefs {BRIEFS_DIR:q} \
            --templates {TEMPLATES:q} \
            --mode {params.mode} \
            --recipients {input.recipients:q} \
            --sender {params.sender:q} \
            --epoch {params.epoch} \
            --base-url={params.base_url:q} \
            --title={params.title:q} \
            --brief-ids {BRIEFS} \
            --results {input.qa:q} > {log:q} 2>&1 || (cat {log:q} >&2; exit 1)
        """
